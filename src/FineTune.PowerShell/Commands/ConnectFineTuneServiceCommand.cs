using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using FineTune.PowerShell.Service;
using FineTune.Service;

namespace FineTune.PowerShell.Commands;

/// <summary>Sets the fine-tuning service that the FineTune cmdlets of this session talk to.</summary>
/// <remarks>
/// <para>Chooses a provider (OpenAI, AzureOpenAI or any Compatible host), its address, key, organization and project for every online FineTune cmdlet in the current session. Values that are not given come from the environment variables the official SDKs read: OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID and OPENAI_PROJECT_ID for OpenAI and compatible hosts; AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION for Azure OpenAI.</para>
/// <para>Without this command, the online cmdlets build the same connection from those environment variables on their own. The command sends nothing to the service; the key is checked by the first call that uses it.</para>
/// <para>For Azure OpenAI, requests go to <c>{endpoint}/openai/{path}?api-version=...</c> with an <c>api-key</c> header; the default api-version is 2025-04-01-preview. For OpenAI and compatible hosts, requests go to <c>{base}/{path}</c> with a bearer key, where the base includes the version segment (default https://api.openai.com/v1).</para>
/// <para>The key is never shown: not in the output, not in -Verbose text and not in error records, also when the service echoes it back in an error, a header or a reason phrase. Service answers are read as they arrive: a JSON answer may be at most 16 MiB (FineTune.Service.ResponseTooLarge past it), and of an error answer only what is shown is read. Plain http:// is refused for hosts other than the local machine unless -AllowInsecureHttp is given.</para>
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
/// <code>Connect-FineTuneService -Provider Compatible -BaseUri http://127.0.0.1:8000/v1</code>
/// <para>Uses a compatible server on the local machine, with the key from OPENAI_API_KEY.</para>
/// </example>
[Cmdlet(VerbsCommunications.Connect, "FineTuneService")]
[OutputType(typeof(ServiceConnection))]
public sealed class ConnectFineTuneServiceCommand : FineTuneCmdlet
{
    /// <summary>Which API flavour to speak: OpenAI, AzureOpenAI or Compatible. By default AzureOpenAI when only the Azure environment variables are set, otherwise OpenAI.</summary>
    [Parameter(Position = 0)]
    public ServiceProvider? Provider { get; set; }

    /// <summary>The service address: for OpenAI and compatible hosts the base URL including its version segment (https://host/v1); for Azure OpenAI the resource endpoint (https://name.openai.azure.com).</summary>
    [Parameter]
    [Alias("Endpoint", "BaseUrl")]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    /// <summary>The API key, as a secure string; by default OPENAI_API_KEY or, for Azure, AZURE_OPENAI_API_KEY.</summary>
    [Parameter]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    /// <summary>The OpenAI organization id sent as the OpenAI-Organization header; by default OPENAI_ORG_ID.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Organization { get; set; }

    /// <summary>The OpenAI project id sent as the OpenAI-Project header; by default OPENAI_PROJECT_ID.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Project { get; set; }

    /// <summary>The Azure OpenAI api-version; by default OPENAI_API_VERSION, else 2025-04-01-preview.</summary>
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
        var settings = new ServiceConnectionSettings
        {
            Provider = Provider,
            BaseUri = BaseUri,
            ApiKey = ApiKey is null ? null : ToApiKey(ApiKey),
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
