using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Identity;

/// <summary>
/// The managed identity of the Azure resource FineTune runs on. App Service, Functions, Container
/// Apps and Automation publish a local token endpoint in <c>IDENTITY_ENDPOINT</c>, guarded by the
/// secret in <c>IDENTITY_HEADER</c> (sent as <c>X-IDENTITY-HEADER</c>, api-version 2019-08-01);
/// virtual machines answer on the instance metadata endpoint (<c>Metadata: true</c>, api-version
/// 2018-02-01). A client id selects a user-assigned identity; without one the system-assigned
/// identity is used.
/// </summary>
public sealed class ManagedIdentityCredential : TokenCredential
{
    public const string IdentityEndpointVariable = "IDENTITY_ENDPOINT";
    public const string IdentityHeaderVariable = "IDENTITY_HEADER";
    internal const string AppServiceApiVersion = "2019-08-01";
    internal const string ImdsApiVersion = "2018-02-01";

    /// <summary>The instance metadata service's token endpoint on Azure virtual machines.</summary>
    public static readonly Uri DefaultImdsEndpoint = new("http://169.254.169.254/metadata/identity/oauth2/token");

    private readonly Func<string, string?> _environment;

    /// <summary>
    /// Both endpoints are on the machine itself (localhost, the link-local 169.254.169.254): a web
    /// proxy set for the services must not carry these requests, so they get a client without one.
    /// </summary>
    private static readonly Lazy<HttpClient> Direct = new(() => new HttpClient(new HttpClientHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    });

    public ManagedIdentityCredential(string? clientId = null)
        : this(clientId, null, null, null)
    {
    }

    /// <param name="clientId">The client id of a user-assigned identity, or null for the system-assigned one.</param>
    /// <param name="environment">Reads an environment variable (tests pass their own).</param>
    /// <param name="imdsEndpoint">The instance metadata endpoint (tests pass a loopback one).</param>
    /// <param name="imdsTimeout">How long to wait for the instance metadata endpoint; short when probing in the default chain.</param>
    internal ManagedIdentityCredential(string? clientId, Func<string, string?>? environment, Uri? imdsEndpoint, TimeSpan? imdsTimeout)
    {
        ClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId!.Trim();
        _environment = environment ?? Environment.GetEnvironmentVariable;
        ImdsEndpoint = imdsEndpoint ?? DefaultImdsEndpoint;
        ImdsTimeout = imdsTimeout;
    }

    /// <summary>The client id of the user-assigned identity; null for the system-assigned identity.</summary>
    public string? ClientId { get; }

    internal Uri ImdsEndpoint { get; }

    internal TimeSpan? ImdsTimeout { get; }

    public override string Description => ClientId is null ? "managed identity (system-assigned)" : $"managed identity (client id {ClientId})";

    internal override async Task<AccessToken> RequestTokenAsync(string scope, HttpClient http, CancellationToken cancellationToken)
    {
        http = Direct.Value;
        string resource = TokenScopes.ToResource(scope);
        string? endpoint = Variable(IdentityEndpointVariable);
        string? header = Variable(IdentityHeaderVariable);
        if (endpoint is not null && header is not null)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? endpointUri) || (endpointUri.Scheme != Uri.UriSchemeHttp && endpointUri.Scheme != Uri.UriSchemeHttps))
            {
                throw Unavailable(Description, $"{IdentityEndpointVariable} is not an http URL.", "Check the identity settings of the Azure resource.");
            }
            Uri uri = WithQuery(endpointUri, AppServiceApiVersion, resource);
            return await TokenEndpoint.SendAsync(http, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.TryAddWithoutValidation("X-IDENTITY-HEADER", header);
                return request;
            }, Description, cancellationToken).ConfigureAwait(false);
        }
        Uri imds = WithQuery(ImdsEndpoint, ImdsApiVersion, resource);
        try
        {
            return await TokenEndpoint.SendAsync(http, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, imds);
                request.Headers.TryAddWithoutValidation("Metadata", "true");
                return request;
            }, Description, cancellationToken, ImdsTimeout).ConfigureAwait(false);
        }
        catch (FineTuneException ex) when (ImdsTimeout is not null && ex.ErrorId == IdentityErrorIds.TokenFailed)
        {
            // Probing in the default chain: a VM without an identity answers an error, which only means "not this way".
            throw Unavailable(Description, ex.Message, "Assign a managed identity to the VM, or sign in another way.");
        }
    }

    private Uri WithQuery(Uri endpoint, string apiVersion, string resource)
    {
        string query = "api-version=" + apiVersion + "&resource=" + Uri.EscapeDataString(resource)
            + (ClientId is null ? string.Empty : "&client_id=" + Uri.EscapeDataString(ClientId));
        string baseText = endpoint.GetLeftPart(UriPartial.Query);
        return new Uri(baseText + (endpoint.Query.Length > 1 ? "&" : "?") + query);
    }

    private string? Variable(string name) => _environment(name) is { Length: > 0 } value ? value.Trim() : null;
}
