using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Identity;

/// <summary>
/// A bearer token the user obtained elsewhere (<c>Get-AzAccessToken</c>, <c>az account
/// get-access-token</c>). It cannot be refreshed: when it has expired, or when it was issued for
/// another audience than the call needs, the call fails with FineTune.Identity.TokenUnusable
/// naming the fix. Expiry and audience are read from the token's own claims when it is a JWT.
/// </summary>
public sealed class GivenTokenCredential : TokenCredential
{
    private readonly string _token;

    public GivenTokenCredential(string token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new FineTuneException(IdentityErrorIds.InvalidSettings, FailureKind.InvalidArgument, "The access token is empty.", "AccessToken",
                "Pass the token itself, for example (Get-AzAccessToken -ResourceUrl https://cognitiveservices.azure.com -AsSecureString).Token.");
        }
        _token = token.Trim();
        if (_token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            _token = _token.Substring(7).Trim();
        }
        (ExpiresOn, Audience) = ReadClaims(_token);
    }

    /// <summary>When the token expires, from its <c>exp</c> claim; null when the token does not say.</summary>
    public DateTimeOffset? ExpiresOn { get; }

    /// <summary>Who the token is for, from its <c>aud</c> claim; null when the token does not say.</summary>
    public string? Audience { get; }

    public override string Description => "an access token given with -AccessToken";

    internal override string? Secret => _token;

    internal override Task<AccessToken> RequestTokenAsync(string scope, HttpClient http, CancellationToken cancellationToken)
    {
        if (ExpiresOn is { } expires && expires <= Now())
        {
            throw new FineTuneException(IdentityErrorIds.TokenUnusable, FailureKind.AuthenticationError,
                $"The access token given with -AccessToken expired at {expires:u}; a given token cannot be refreshed.", "AccessToken",
                "Get a new token and connect again, or connect with -Identity or -TenantId, whose tokens FineTune refreshes by itself.");
        }
        string resource = TokenScopes.ToResource(scope);
        if (Audience is { } audience && Uri.TryCreate(audience, UriKind.Absolute, out Uri? audienceUri) && Uri.TryCreate(resource, UriKind.Absolute, out Uri? resourceUri)
            && !string.Equals(audienceUri.Host, resourceUri.Host, StringComparison.OrdinalIgnoreCase))
        {
            throw new FineTuneException(IdentityErrorIds.TokenUnusable, FailureKind.AuthenticationError,
                $"The access token given with -AccessToken is for {audience}, but this call needs one for {resource}.", "AccessToken",
                $"Get a token for {resource} (for example Get-AzAccessToken -ResourceUrl {resource}), or connect with -Identity or -TenantId, which get tokens for each audience.");
        }
        return Task.FromResult(new AccessToken(_token, ExpiresOn ?? DateTimeOffset.MaxValue));
    }

    /// <summary>The <c>exp</c> and <c>aud</c> claims of a JWT; nulls for a token of another shape.</summary>
    internal static (DateTimeOffset? Expires, string? Audience) ReadClaims(string token)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (null, null);
        }
        try
        {
            string payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            using JsonDocument claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            DateTimeOffset? expires = claims.RootElement.GetInt64OrNull("exp") is long exp ? DateTimeOffset.FromUnixTimeSeconds(exp) : null;
            string? audience = claims.RootElement.Property("aud") is { ValueKind: JsonValueKind.String } aud ? aud.GetString() : null;
            return (expires, audience);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return (null, null);
        }
    }
}
