using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Identity;

namespace FineTune;

/// <summary>
/// A connection to a fine-tuning service: which provider, where, as which organization and
/// project, signed in how. It owns the one HttpClient every call through it shares. The API key
/// and the Entra ID tokens are held privately and appear in no property and in no text this
/// object produces.
/// </summary>
public sealed class ServiceConnection : IDisposable
{
    /// <summary>Short-lived secrets (bearer tokens) kept masked after they are replaced; the oldest are released beyond this.</summary>
    private const int MaxHeldSecrets = 16;

    private readonly Lazy<HttpClient> _http;
    private readonly Lazy<TokenCache> _resourceManagerTokens;
    private readonly IDisposable _keyRegistration;
    private readonly Queue<IDisposable> _secretRegistrations = new();
    private int _disposed;

    private ServiceConnection(ServiceConnectionSettings settings, Uri baseUri, ApiKey? key, TokenCredential? credential)
    {
        Provider = settings.Provider ?? ServiceProvider.OpenAI;
        BaseUri = baseUri;
        Organization = settings.Organization;
        Project = settings.Project;
        ApiVersion = Provider == ServiceProvider.AzureOpenAI && settings.ApiVersion is { Length: > 0 } version
            && !string.Equals(version, ServiceConnectionSettings.V1ApiVersion, StringComparison.OrdinalIgnoreCase) ? version : null;
        MaxRetries = settings.MaxRetries;
        Timeout = settings.Timeout;
        Key = key;
        _keyRegistration = SecretRedactor.Register(key?.Reveal() ?? string.Empty);
        if (credential?.Secret is { Length: > 0 } credentialSecret)
        {
            RegisterSecret(credentialSecret);
        }
        Tokens = credential is null ? null : new TokenCache(credential) { Issued = RegisterSecret };
        ResourceManagerUri = settings.ResourceManagerUri ?? TokenScopes.PublicResourceManager;
        RetryTiming = settings.RetryTiming;
        _http = new Lazy<HttpClient>(CreateHttpClient, LazyThreadSafetyMode.ExecutionAndPublication);
        // A key signs in to the data plane only; Resource Manager (deployments) then uses the default chain.
        _resourceManagerTokens = new Lazy<TokenCache>(() => Tokens ?? new TokenCache(new DefaultCredentialChain()) { Issued = RegisterSecret }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public ServiceProvider Provider { get; }

    /// <summary>OpenAI/compatible: the base URL including its version segment; Azure: the resource endpoint.</summary>
    public Uri BaseUri { get; }

    public string? Organization { get; }

    public string? Project { get; }

    /// <summary>Azure's dated <c>api-version</c>; null for the v1 API and for other providers.</summary>
    public string? ApiVersion { get; }

    /// <summary>True for an Azure connection on the v1 API (<c>{endpoint}/openai/v1/...</c>, no api-version).</summary>
    public bool UsesV1Api => Provider == ServiceProvider.AzureOpenAI && ApiVersion is null;

    /// <summary>How requests are signed: <c>API key</c>, or the Entra ID credential.</summary>
    public string SignIn => Tokens is { } tokens ? tokens.Credential.Description : "API key";

    /// <summary>Azure Resource Manager, where deployments are made (public cloud unless told otherwise).</summary>
    public Uri ResourceManagerUri { get; }

    /// <summary>How many times a failed call is repeated.</summary>
    public int MaxRetries { get; }

    /// <summary>How long one attempt of a call may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The API key; null when the connection signs in with Entra ID.</summary>
    internal ApiKey? Key { get; }

    /// <summary>The Entra ID tokens of the data plane; null when the connection uses a key.</summary>
    internal TokenCache? Tokens { get; }

    internal RetryTiming RetryTiming { get; }

    internal HttpClient Http
    {
        get
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                throw new FineTuneException(ServiceErrorIds.NotConnected, FailureKind.InvalidOperation,
                    $"The connection to {BaseUri} was closed (Disconnect-FineTuneService).", BaseUri.ToString(),
                    "Run Connect-FineTuneService again, or leave out -Connection to use the session's connection.");
            }
            return _http.Value;
        }
    }

    /// <summary>Validates the settings (after environment defaults were applied) and opens nothing yet.</summary>
    public static ServiceConnection Create(ServiceConnectionSettings settings)
    {
        if (settings is null)
        {
            throw new ArgumentNullException(nameof(settings));
        }
        ServiceProvider provider = settings.Provider ?? ServiceProvider.OpenAI;
        Uri baseUri = settings.BaseUri ?? (provider == ServiceProvider.OpenAI ? ServiceConnectionSettings.DefaultOpenAIBaseUri : throw MissingBaseUri(provider));
        if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new FineTuneException(ServiceErrorIds.InvalidConnection, FailureKind.InvalidArgument,
                $"The service address '{baseUri}' is not an http or https URL.", baseUri.ToString(),
                "Pass -BaseUri with an https:// URL.");
        }
        if (baseUri.Scheme == Uri.UriSchemeHttp && !settings.AllowInsecureHttp && !IsLoopback(baseUri))
        {
            throw new FineTuneException(ServiceErrorIds.InsecureHttp, FailureKind.InvalidArgument,
                $"Refusing to send the API key over plain http to '{baseUri.Host}': only loopback hosts may use http://.", baseUri.ToString(),
                "Use https://, or pass -AllowInsecureHttp if this network is trusted.");
        }
        if (settings.MaxRetries < 0)
        {
            throw new FineTuneException(ServiceErrorIds.InvalidConnection, FailureKind.InvalidArgument,
                $"MaxRetries must be 0 or more, not {settings.MaxRetries}.", settings.MaxRetries);
        }
        if (settings.Timeout <= TimeSpan.Zero && settings.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new FineTuneException(ServiceErrorIds.InvalidConnection, FailureKind.InvalidArgument,
                $"Timeout must be positive, not {settings.Timeout}.", settings.Timeout);
        }
        if (provider != ServiceProvider.AzureOpenAI)
        {
            if (settings.Credential is not null)
            {
                throw new FineTuneException(ServiceErrorIds.InvalidConnection, FailureKind.InvalidArgument,
                    $"Entra ID sign-in (-Identity, -TenantId, -AccessToken) is for Azure OpenAI, not for {provider}.", provider,
                    "Add -Provider AzureOpenAI with the resource's -Endpoint, or pass -ApiKey.");
            }
            ApiKey key = settings.ApiKey ?? throw new FineTuneException(ServiceErrorIds.NotConnected, FailureKind.AuthenticationError,
                "No API key: neither -ApiKey nor the environment variable OPENAI_API_KEY is set.", null,
                "Run Connect-FineTuneService -ApiKey (Read-Host -AsSecureString), or set the environment variable.");
            return new ServiceConnection(settings, baseUri, key, null);
        }
        if (settings.ApiKey is not null && settings.Credential is not null)
        {
            throw new FineTuneException(ServiceErrorIds.InvalidConnection, FailureKind.InvalidArgument,
                "Both an API key and an Entra ID credential were given; a connection signs in one way.", null,
                "Leave out -ApiKey to sign in with Entra ID, or leave out -Identity / -TenantId / -AccessToken to use the key.");
        }
        if (settings.ResourceManagerUri is { } arm && (!arm.IsAbsoluteUri || (arm.Scheme != Uri.UriSchemeHttps && !IsLoopback(arm))))
        {
            throw new FineTuneException(ServiceErrorIds.InvalidConnection, FailureKind.InvalidArgument,
                $"The Resource Manager address '{arm}' is not an https URL.", arm.ToString(), "Pass -ResourceManagerUri with the cloud's https:// Resource Manager address.");
        }
        // With neither a key nor a credential, sign in the way Azure tools do by default.
        TokenCredential? credential = settings.ApiKey is null ? settings.Credential ?? new DefaultCredentialChain() : null;
        return new ServiceConnection(settings, baseUri, settings.ApiKey, credential);
    }

    /// <summary>True when both connections talk to the same place in the same way with the same key or credential.</summary>
    public bool IsEquivalentTo(ServiceConnection? other) =>
        other is not null && other.Provider == Provider && other.BaseUri == BaseUri && other.Organization == Organization
        && other.Project == Project && other.ApiVersion == ApiVersion && other.MaxRetries == MaxRetries && other.Timeout == Timeout
        && other.ResourceManagerUri == ResourceManagerUri
        && (Key is null ? other.Key is null : Key.SameAs(other.Key))
        && SameCredential(Tokens?.Credential, other.Tokens?.Credential);

    public override string ToString()
    {
        string surface = Provider != ServiceProvider.AzureOpenAI ? "" : ApiVersion is null ? " (v1 API" : $" (api-version {ApiVersion}";
        return Provider != ServiceProvider.AzureOpenAI ? $"{Provider} {BaseUri}" : $"{Provider} {BaseUri}{surface}, {SignIn})";
    }

    /// <summary>
    /// The Authorization header for a request: an Entra ID bearer token for <paramref name="scope"/>
    /// (Resource Manager), or for the data plane when the connection signs in with Entra ID; null
    /// when the data plane is reached with the key.
    /// </summary>
    internal async Task<AuthenticationHeaderValue?> AuthorizationAsync(string? scope, Action<string>? log, CancellationToken cancellationToken)
    {
        TokenCache? tokens = scope is null ? Tokens : _resourceManagerTokens.Value;
        if (tokens is null)
        {
            return null;
        }
        AccessToken token = await tokens.GetTokenAsync(scope ?? TokenScopes.CognitiveServices, Http, log, cancellationToken).ConfigureAwait(false);
        return new AuthenticationHeaderValue("Bearer", token.Reveal());
    }

    private static bool SameCredential(TokenCredential? a, TokenCredential? b) =>
        ReferenceEquals(a, b) || (a is DefaultCredentialChain && b is DefaultCredentialChain);

    /// <summary>
    /// Masks another secret this connection sends (a bearer token it obtained) in every text the
    /// module shows, for as long as the connection lives; the key is registered from the start.
    /// </summary>
    internal void RegisterSecret(string secret)
    {
        lock (_secretRegistrations)
        {
            _secretRegistrations.Enqueue(SecretRedactor.Register(secret));
            while (_secretRegistrations.Count > MaxHeldSecrets)
            {
                _secretRegistrations.Dequeue().Dispose();
            }
        }
    }


    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }
        _keyRegistration.Dispose();
        lock (_secretRegistrations)
        {
            while (_secretRegistrations.Count > 0)
            {
                _secretRegistrations.Dequeue().Dispose();
            }
        }
    }

    /// <summary>True for 127.x, ::1 and localhost: the only hosts plain http:// may reach without -AllowInsecureHttp.</summary>
    public static bool IsLoopback(Uri uri)
    {
        if (uri.IsLoopback)
        {
            return true;
        }
        string host = uri.Host.Trim('[', ']');
        return IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address);
    }

    private static FineTuneException MissingBaseUri(ServiceProvider provider) =>
        new(ServiceErrorIds.InvalidConnection, FailureKind.InvalidArgument,
            provider == ServiceProvider.AzureOpenAI
                ? "No Azure OpenAI endpoint: neither -BaseUri nor the environment variable AZURE_OPENAI_ENDPOINT is set."
                : "A Compatible connection needs a base URL: neither -BaseUri nor the environment variable OPENAI_BASE_URL is set.",
            provider,
            provider == ServiceProvider.AzureOpenAI
                ? "Pass -BaseUri https://<resource>.openai.azure.com or set AZURE_OPENAI_ENDPOINT."
                : "Pass -BaseUri with the service's base URL including its version segment (for example https://host/v1).");

#if !NET8_0_OR_GREATER
    /// <summary>
    /// Windows PowerShell 5.1 runs on .NET Framework, whose default protocol list may lack TLS 1.2,
    /// which the services require. Adds TLS 1.2 (and 1.3 where known) unless the process leaves
    /// the choice to the operating system.
    /// </summary>
    private static void EnableModernTls()
    {
        const SecurityProtocolType Tls13 = (SecurityProtocolType)12288;
        SecurityProtocolType current = ServicePointManager.SecurityProtocol;
        if (current != 0 && (current & SecurityProtocolType.Tls12) == 0)
        {
            try
            {
                ServicePointManager.SecurityProtocol = current | SecurityProtocolType.Tls12 | Tls13;
            }
            catch (NotSupportedException)
            {
                // A framework without TLS 1.3 refuses the whole value.
                ServicePointManager.SecurityProtocol = current | SecurityProtocolType.Tls12;
            }
        }
    }

#endif
    private HttpClient CreateHttpClient()
    {
#if NET8_0_OR_GREATER
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            // An answer left unread (past a size cap, or an error body beyond what is shown) is
            // drained for the connection's reuse only if little is left; otherwise the connection
            // is closed rather than made to swallow a body of any size.
            MaxResponseDrainSize = 64 * 1024,
            ResponseDrainTimeout = TimeSpan.FromSeconds(1),
        };
#else
        EnableModernTls();
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };
#endif
        // Redirects are not followed so that a key header never travels to another host; the
        // timeout is applied per attempt by the client, so HttpClient's own is switched off.
        return new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }
}
