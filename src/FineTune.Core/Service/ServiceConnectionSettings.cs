using System;

namespace FineTune.Service;

/// <summary>
/// What a user asks for when connecting; blanks are filled from the environment variables the
/// official SDKs read (<see cref="WithEnvironmentDefaults"/>), then <see cref="ServiceConnection.Create"/>
/// validates the result.
/// </summary>
public sealed class ServiceConnectionSettings
{
    /// <summary>
    /// The newest dated Azure OpenAI data-plane version that serves files, the Uploads API and
    /// fine-tuning jobs including pause/resume, DPO, checkpoints and <c>trainingType</c>. Azure
    /// connections use the v1 API (<c>{endpoint}/openai/v1/...</c>, no api-version) unless an
    /// api-version is given; this is the one to give for the dated surface.
    /// </summary>
    public const string DatedAzureApiVersion = "2025-04-01-preview";

    /// <summary>The api-version value that means the v1 API (the same as giving none).</summary>
    public const string V1ApiVersion = "v1";

    /// <summary>OpenAI's public endpoint, including the version segment (as OPENAI_BASE_URL).</summary>
    public static readonly Uri DefaultOpenAIBaseUri = new("https://api.openai.com/v1");

    /// <summary>Retries after the first attempt (the SDKs' default is 2).</summary>
    public const int DefaultMaxRetries = 2;

    /// <summary>Per-attempt timeout (the SDKs' default is 10 minutes).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Null means: AzureOpenAI when only Azure variables are set, OpenAI otherwise.</summary>
    public ServiceProvider? Provider { get; set; }

    /// <summary>OpenAI/compatible: base URL with version segment. Azure: the resource endpoint.</summary>
    public Uri? BaseUri { get; set; }

    public ApiKey? ApiKey { get; set; }

    /// <summary>
    /// Azure OpenAI only: how to get Entra ID tokens instead of sending a key. With neither a key
    /// nor a credential, an Azure connection signs in through <see cref="Identity.DefaultCredentialChain"/>.
    /// </summary>
    public Identity.TokenCredential? Credential { get; set; }

    /// <summary>Azure Resource Manager, for deployments (public cloud by default).</summary>
    public Uri? ResourceManagerUri { get; set; }

    public string? Organization { get; set; }

    public string? Project { get; set; }

    /// <summary>Azure's <c>api-version</c> query value: null or <c>v1</c> for the v1 API, a date for the dated API.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Allows plain http:// to a host that is not loopback.</summary>
    public bool AllowInsecureHttp { get; set; }

    public int MaxRetries { get; set; } = DefaultMaxRetries;

    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>How retries wait; tests replace it so they do not sleep.</summary>
    public RetryTiming RetryTiming { get; set; } = RetryTiming.Default;

    /// <summary>
    /// A copy with every unset value taken from the environment: OPENAI_API_KEY, OPENAI_BASE_URL,
    /// OPENAI_ORG_ID, OPENAI_PROJECT_ID for OpenAI/compatible; AZURE_OPENAI_API_KEY,
    /// AZURE_OPENAI_ENDPOINT, OPENAI_API_VERSION for Azure (the key only when no credential is given). <paramref name="environment"/> reads a
    /// variable (default: the process environment).
    /// </summary>
    public ServiceConnectionSettings WithEnvironmentDefaults(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? Env(string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;

        var result = (ServiceConnectionSettings)MemberwiseClone();
        result.Provider ??= Env("AZURE_OPENAI_ENDPOINT") is not null && Env("OPENAI_API_KEY") is null && BaseUri is null
            ? ServiceProvider.AzureOpenAI
            : ServiceProvider.OpenAI;

        if (result.Provider == ServiceProvider.AzureOpenAI)
        {
            if (result.Credential is null)
            {
                result.ApiKey ??= Env("AZURE_OPENAI_API_KEY") is { } azureKey ? new ApiKey(azureKey) : null;
            }
            result.BaseUri ??= ParseUri(Env("AZURE_OPENAI_ENDPOINT"), "AZURE_OPENAI_ENDPOINT");
            result.ApiVersion ??= Env("OPENAI_API_VERSION");
        }
        else
        {
            result.ApiKey ??= Env("OPENAI_API_KEY") is { } key ? new ApiKey(key) : null;
            result.BaseUri ??= ParseUri(Env("OPENAI_BASE_URL"), "OPENAI_BASE_URL")
                ?? (result.Provider == ServiceProvider.OpenAI ? DefaultOpenAIBaseUri : null);
            result.Organization ??= Env("OPENAI_ORG_ID");
            result.Project ??= Env("OPENAI_PROJECT_ID");
        }
        return result;
    }

    private static Uri? ParseUri(string? value, string variable)
    {
        if (value is null)
        {
            return null;
        }
        if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri))
        {
            return uri;
        }
        throw new FineTuneException(ServiceErrorIds.InvalidConnection, FailureKind.InvalidArgument,
            $"The environment variable {variable} is not an absolute URL: '{value}'.", variable,
            $"Set {variable} to a URL such as https://example.com/v1, or pass -BaseUri.");
    }
}
