using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using FineTune.PowerShell.Service;
using FineTune.Service;
using FineTune.Service.Identity;

namespace FineTune.PowerShell.Commands;

/// <summary>Sets the fine-tuning service that the FineTune cmdlets of this session talk to.</summary>
/// <remarks>
/// <para>Chooses a provider (OpenAI, AzureOpenAI or any Compatible host), its address, key, organization and project for every online FineTune cmdlet in the current session. Values that are not given come from the environment variables the official SDKs read: OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID and OPENAI_PROJECT_ID for OpenAI and compatible hosts; AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION for Azure OpenAI.</para>
/// <para>Without this command, the online cmdlets build the same connection from those environment variables on their own. The command sends nothing to the service; the key is checked by the first call that uses it.</para>
/// <para>For Azure OpenAI, requests go to the v1 API, <c>{endpoint}/openai/v1/{path}</c> with no api-version; a dated -ApiVersion (or OPENAI_API_VERSION) such as 2025-04-01-preview selects the dated API, <c>{endpoint}/openai/{path}?api-version=...</c>, instead. For OpenAI and compatible hosts, requests go to <c>{base}/{path}</c> with a bearer key, where the base includes the version segment (default https://api.openai.com/v1).</para>
/// <para>Azure OpenAI signs in with an <c>api-key</c> header, or with Microsoft Entra ID as runbooks do: -Identity uses the managed identity of the App Service, Functions, Container Apps or Automation account (IDENTITY_ENDPOINT and IDENTITY_HEADER) or of the virtual machine (the instance metadata endpoint), -ClientId selecting a user-assigned one; -TenantId with -ClientSecretCredential signs in as a service principal (or from AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET); -AccessToken takes a token obtained elsewhere (Get-AzAccessToken). With neither a key nor any of these, the usual chain is tried: the AZURE_* service principal variables, the managed identity, the Azure CLI (az login), then Az.Accounts (Connect-AzAccount). Tokens are cached and renewed before they expire, so a wait of many hours never fails on an expired token; a token given with -AccessToken cannot be renewed. Deployments (New-FineTuneDeployment) get their Azure Resource Manager tokens from the same sign-in; a key-only connection uses the usual chain for them.</para>
/// <para>Keys, tokens and client secrets are never shown: not in the output, not in -Verbose text and not in error records, also when the service echoes it back in an error, a header or a reason phrase. Service answers are read as they arrive: a JSON answer may be at most 16 MiB (FineTune.Service.ResponseTooLarge past it), and of an error answer only what is shown is read. Plain http:// is refused for hosts other than the local machine unless -AllowInsecureHttp is given.</para>
/// </remarks>
/// <example>
/// <code>Connect-FineTuneService -ApiKey (Read-Host -AsSecureString 'OpenAI key')</code>
/// <para>Connects to OpenAI with a key typed at the prompt.</para>
/// </example>
/// <example>
/// <code>Connect-FineTuneService -Provider AzureOpenAI -BaseUri https://contoso.openai.azure.com -ApiKey $key -PassThru</code>
/// <para>Connects to an Azure OpenAI resource with the default api-version and shows the connection.</para>
/// </example>
/// <example>
/// <code>Connect-FineTuneService -Provider AzureOpenAI -Endpoint https://contoso.openai.azure.com -Identity</code>
/// <para>In an Azure Automation runbook, a Function or a VM: signs in with the resource's system-assigned managed identity, which needs a role such as Cognitive Services OpenAI Contributor on the Azure OpenAI resource.</para>
/// </example>
/// <example>
/// <code>Connect-FineTuneService -Provider AzureOpenAI -Endpoint https://contoso.openai.azure.com -TenantId $tenant -ClientSecretCredential (Get-Credential $appId)</code>
/// <para>Signs in as a service principal: the user name is the application (client) id, the password its client secret.</para>
/// </example>
/// <example>
/// <code>Connect-FineTuneService -Provider Compatible -BaseUri http://127.0.0.1:8000/v1</code>
/// <para>Uses a compatible server on the local machine, with the key from OPENAI_API_KEY.</para>
/// </example>
[Cmdlet(VerbsCommunications.Connect, "FineTuneService", DefaultParameterSetName = KeySet)]
[OutputType(typeof(ServiceConnection))]
public sealed class ConnectFineTuneServiceCommand : FineTuneCmdlet
{
    private const string KeySet = "ApiKey";
    private const string IdentitySet = "ManagedIdentity";
    private const string ServicePrincipalSet = "ServicePrincipal";
    private const string TokenSet = "AccessToken";

    /// <summary>Which API flavour to speak: OpenAI, AzureOpenAI or Compatible. By default AzureOpenAI when only the Azure environment variables are set, otherwise OpenAI.</summary>
    [Parameter(Position = 0)]
    public ServiceProvider? Provider { get; set; }

    /// <summary>The service address: for OpenAI and compatible hosts the base URL including its version segment (https://host/v1); for Azure OpenAI the resource endpoint (https://name.openai.azure.com).</summary>
    [Parameter]
    [Alias("Endpoint", "BaseUrl")]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    /// <summary>The API key, as a secure string; by default OPENAI_API_KEY or, for Azure, AZURE_OPENAI_API_KEY.</summary>
    [Parameter(ParameterSetName = KeySet)]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    /// <summary>Azure OpenAI: signs in with the managed identity of the Azure resource this runs on (App Service, Functions, Container Apps, Automation, virtual machine).</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdentitySet)]
    public SwitchParameter Identity { get; set; }

    /// <summary>With -Identity: the client id of a user-assigned managed identity; the system-assigned identity when omitted.</summary>
    [Parameter(ParameterSetName = IdentitySet)]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    /// <summary>Azure OpenAI: the Entra ID tenant (directory) id or domain of a service principal; signs in with -ClientSecretCredential or AZURE_CLIENT_ID and AZURE_CLIENT_SECRET.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ServicePrincipalSet)]
    [ValidateNotNullOrEmpty]
    public string? TenantId { get; set; }

    /// <summary>With -TenantId: the service principal, its application (client) id as user name and its client secret as password.</summary>
    [Parameter(ParameterSetName = ServicePrincipalSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? ClientSecretCredential { get; set; }

    /// <summary>Azure OpenAI: a bearer token obtained elsewhere, such as (Get-AzAccessToken -ResourceUrl https://cognitiveservices.azure.com -AsSecureString).Token. It is not renewed when it expires.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
    [ValidateNotNull]
    public SecureString? AccessToken { get; set; }

    /// <summary>Azure Resource Manager of the cloud, for New-FineTuneDeployment and its kin; https://management.azure.com by default.</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? ResourceManagerUri { get; set; }

    /// <summary>The OpenAI organization id sent as the OpenAI-Organization header; by default OPENAI_ORG_ID.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Organization { get; set; }

    /// <summary>The OpenAI project id sent as the OpenAI-Project header; by default OPENAI_PROJECT_ID.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Project { get; set; }

    /// <summary>The Azure OpenAI api-version: a date such as 2025-04-01-preview selects the dated API; by default OPENAI_API_VERSION, else the v1 API (no api-version).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ApiVersion { get; set; }

    /// <summary>How many times a call that failed for a passing reason (connection lost, 408, 409, 429, 5xx) is repeated. The default is 2.</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetries { get; set; } = ServiceConnectionSettings.DefaultMaxRetries;

    /// <summary>How many seconds one attempt of a call may take before it counts as failed, its JSON answer included; a download fails once no data has arrived for that long. The default is 600.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = (int)ServiceConnectionSettings.DefaultTimeout.TotalSeconds;

    /// <summary>Allows a plain http:// address for a host other than the local machine (the key then travels unencrypted).</summary>
    [Parameter]
    public SwitchParameter AllowInsecureHttp { get; set; }

    /// <summary>Writes the new connection to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        TokenCredential? credential;
        try
        {
            credential = CreateCredential();
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex);
            return;
        }
        var settings = new ServiceConnectionSettings
        {
            // Entra ID sign-in means Azure, as it does for Connect-AzAccount.
            Provider = Provider ?? (credential is null ? null : ServiceProvider.AzureOpenAI),
            BaseUri = BaseUri,
            ApiKey = ApiKey is null ? null : ToApiKey(ApiKey),
            Credential = credential,
            ResourceManagerUri = ResourceManagerUri,
            Organization = Organization,
            Project = Project,
            ApiVersion = ApiVersion,
            AllowInsecureHttp = AllowInsecureHttp.IsPresent,
            MaxRetries = MaxRetries,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
        };
        ServiceConnection connection;
        try
        {
            connection = ServiceConnection.Create(settings.WithEnvironmentDefaults());
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex);
            return;
        }
        ServiceSession.Set(connection);
        WriteVerbose($"Connected to {connection}.");
        if (PassThru.IsPresent)
        {
            WriteObject(connection);
        }
    }

    /// <summary>The Entra ID credential the parameters ask for, or null for a key (or the default chain).</summary>
    private TokenCredential? CreateCredential()
    {
        switch (ParameterSetName)
        {
            case IdentitySet:
                return new ManagedIdentityCredential(ClientId);
            case TokenSet:
                return new GivenTokenCredential(new NetworkCredential(string.Empty, AccessToken).Password);
            case ServicePrincipalSet:
                string? clientId = ClientSecretCredential?.UserName ?? Environment.GetEnvironmentVariable("AZURE_CLIENT_ID");
                string? secret = ClientSecretCredential is null ? Environment.GetEnvironmentVariable("AZURE_CLIENT_SECRET") : ClientSecretCredential.GetNetworkCredential().Password;
                if (string.IsNullOrWhiteSpace(clientId) || string.IsNullOrEmpty(secret))
                {
                    throw new FineTuneException(IdentityErrorIds.InvalidSettings, FailureKind.InvalidArgument,
                        "-TenantId needs the service principal: -ClientSecretCredential was not given and AZURE_CLIENT_ID or AZURE_CLIENT_SECRET is not set.", "ClientSecretCredential",
                        "Pass -ClientSecretCredential (Get-Credential <application id>), with the client secret as password.");
                }
                return new FineTune.Service.Identity.ClientSecretCredential(TenantId!, clientId!, secret!, FineTune.Service.Identity.ClientSecretCredential.AuthorityHostFromEnvironment());
            default:
                return null;
        }
    }

    private ApiKey ToApiKey(SecureString secure)
    {
        string plain = new NetworkCredential(string.Empty, secure).Password;
        if (string.IsNullOrWhiteSpace(plain))
        {
            ThrowTerminatingError(new FineTuneException(ServiceErrorIds.InvalidConnection, FailureKind.InvalidArgument,
                "The API key is empty.", null, "Pass the key the service gave you."));
        }
        return new ApiKey(plain);
    }
}
