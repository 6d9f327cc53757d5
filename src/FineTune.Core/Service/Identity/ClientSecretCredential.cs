using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Identity;

/// <summary>
/// A service principal signing in with its client secret: the OAuth client-credentials grant
/// against <c>{authority}/{tenant}/oauth2/v2.0/token</c>. The authority is Entra ID's public cloud
/// (<c>https://login.microsoftonline.com/</c>) unless <c>AZURE_AUTHORITY_HOST</c> or the caller says otherwise.
/// </summary>
public sealed class ClientSecretCredential : TokenCredential
{
    public const string AuthorityHostVariable = "AZURE_AUTHORITY_HOST";

    /// <summary>Entra ID's sign-in host in the public cloud.</summary>
    public static readonly Uri PublicAuthorityHost = new("https://login.microsoftonline.com/");

    private readonly string _clientSecret;

    public ClientSecretCredential(string tenantId, string clientId, string clientSecret, Uri? authorityHost = null)
    {
        TenantId = Require(tenantId, "TenantId");
        ClientId = Require(clientId, "ClientId");
        _clientSecret = string.IsNullOrEmpty(clientSecret)
            ? throw Invalid("The client secret is empty.", "ClientSecret", "Pass the secret of the service principal in -ClientSecretCredential, or set AZURE_CLIENT_SECRET.")
            : clientSecret;
        foreach (char c in TenantId)
        {
            if (!(char.IsLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                throw Invalid($"The tenant '{TenantId}' is not a tenant id or domain.", "TenantId", "Pass the directory (tenant) id, a GUID, or its domain such as contoso.onmicrosoft.com.");
            }
        }
        AuthorityHost = authorityHost ?? PublicAuthorityHost;
        if (AuthorityHost.Scheme != Uri.UriSchemeHttps && !ServiceConnection.IsLoopback(AuthorityHost))
        {
            throw Invalid($"The authority host '{AuthorityHost}' is not https.", "AuthorityHost", "Use the https:// address of the cloud's Entra ID (AZURE_AUTHORITY_HOST).");
        }
    }

    public string TenantId { get; }

    public string ClientId { get; }

    public Uri AuthorityHost { get; }

    public override string Description => $"service principal {ClientId} in tenant {TenantId}";

    internal override string? Secret => _clientSecret;

    internal override Task<AccessToken> RequestTokenAsync(string scope, HttpClient http, CancellationToken cancellationToken)
    {
        var uri = new Uri(AuthorityHost, Uri.EscapeDataString(TenantId) + "/oauth2/v2.0/token");
        return TokenEndpoint.SendAsync(http, () => new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new FormUrlEncodedContent(new[]
            {
                new KeyValuePair<string, string>("grant_type", "client_credentials"),
                new KeyValuePair<string, string>("client_id", ClientId),
                new KeyValuePair<string, string>("client_secret", _clientSecret),
                new KeyValuePair<string, string>("scope", scope),
            }),
        }, Description, cancellationToken);
    }

    /// <summary>The authority host from <c>AZURE_AUTHORITY_HOST</c>, or null when it is not set.</summary>
    public static Uri? AuthorityHostFromEnvironment(Func<string, string?>? environment = null)
    {
        string? value = (environment ?? Environment.GetEnvironmentVariable)(AuthorityHostVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return Uri.TryCreate(value!.Trim().TrimEnd('/') + "/", UriKind.Absolute, out Uri? uri)
            ? uri
            : throw Invalid($"{AuthorityHostVariable} is not an absolute URL: '{value}'.", AuthorityHostVariable, "Set it to the https:// address of the cloud's Entra ID, or remove it.");
    }

    private static string Require(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid($"The {name} is empty.", name, $"Pass -{name}.") : value.Trim();

    private static FineTuneException Invalid(string message, string target, string fix) =>
        new(IdentityErrorIds.InvalidSettings, FailureKind.InvalidArgument, message, target, fix);
}
