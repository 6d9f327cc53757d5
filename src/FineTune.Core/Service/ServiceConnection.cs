using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using FineTune.Service;

namespace FineTune;

/// <summary>
/// A connection to a fine-tuning service: which provider, where, as which organization and
/// project. It owns the one HttpClient every call through it shares. The API key is held
/// privately and appears in no property and in no text this object produces.
/// </summary>
public sealed class ServiceConnection : IDisposable
{
    /// <summary>Short-lived secrets (bearer tokens) kept masked after they are replaced; the oldest are released beyond this.</summary>
    private const int MaxHeldSecrets = 16;

    private readonly Lazy<HttpClient> _http;
    private readonly IDisposable _keyRegistration;
    private readonly Queue<IDisposable> _secretRegistrations = new();
    private int _disposed;

    private ServiceConnection(ServiceConnectionSettings settings, Uri baseUri, ApiKey key)
    {
        Provider = settings.Provider ?? ServiceProvider.OpenAI;
        BaseUri = baseUri;
        Organization = settings.Organization;
        Project = settings.Project;
        ApiVersion = Provider == ServiceProvider.AzureOpenAI ? settings.ApiVersion ?? ServiceConnectionSettings.DefaultAzureApiVersion : null;
        MaxRetries = settings.MaxRetries;
        Timeout = settings.Timeout;
        Key = key;
        _keyRegistration = SecretRedactor.Register(key.Reveal());
        RetryTiming = settings.RetryTiming;
        _http = new Lazy<HttpClient>(CreateHttpClient, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public ServiceProvider Provider { get; }

    /// <summary>OpenAI/compatible: the base URL including its version segment; Azure: the resource endpoint.</summary>
    public Uri BaseUri { get; }

    public string? Organization { get; }

    public string? Project { get; }

    /// <summary>Azure's <c>api-version</c>; null for other providers.</summary>
    public string? ApiVersion { get; }

    /// <summary>How many times a failed call is repeated.</summary>
    public int MaxRetries { get; }

    /// <summary>How long one attempt of a call may take.</summary>
    public TimeSpan Timeout { get; }

    internal ApiKey Key { get; }

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
        ApiKey key = settings.ApiKey ?? throw new FineTuneException(ServiceErrorIds.NotConnected, FailureKind.AuthenticationError,
            provider == ServiceProvider.AzureOpenAI
                ? "No API key: neither -ApiKey nor the environment variable AZURE_OPENAI_API_KEY is set."
                : "No API key: neither -ApiKey nor the environment variable OPENAI_API_KEY is set.",
            null,
            "Run Connect-FineTuneService -ApiKey (Read-Host -AsSecureString), or set the environment variable.");
        return new ServiceConnection(settings, baseUri, key);
    }

    /// <summary>True when both connections talk to the same place in the same way with the same key.</summary>
    public bool IsEquivalentTo(ServiceConnection? other) =>
        other is not null && other.Provider == Provider && other.BaseUri == BaseUri && other.Organization == Organization
        && other.Project == Project && other.ApiVersion == ApiVersion && other.MaxRetries == MaxRetries && other.Timeout == Timeout
        && other.Key.SameAs(Key);

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

    public override string ToString() =>
        ApiVersion is null ? $"{Provider} {BaseUri}" : $"{Provider} {BaseUri} (api-version {ApiVersion})";

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

    internal static bool IsLoopback(Uri uri)
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
