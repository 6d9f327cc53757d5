using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FineTune.Service.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FineTune.Tests.Service.Fakes;

/// <summary>
/// A managed identity token endpoint as App Service, Functions and Automation publish it in
/// IDENTITY_ENDPOINT: GET with <c>X-IDENTITY-HEADER</c>, <c>api-version=2019-08-01</c>, <c>resource</c>
/// and an optional <c>client_id</c>; answers <c>access_token</c> and <c>expires_on</c> (Unix seconds as
/// a string). Tokens live <see cref="Lifetime"/>; the server they are mapped on accepts only
/// unexpired ones issued for its audience.
/// </summary>
public sealed class FakeIdentityEndpoint
{
    public const string Path = "/msi/token";
    public const string HeaderSecret = "fake-identity-header-3c9e71";

    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, string Resource)> _issued = new();
    private int _expiredUses;

    /// <summary>How long each token is valid.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The client id a request must name (a user-assigned identity); null: none may be named.</summary>
    public string? ClientId { get; set; }

    /// <summary>Every token request's query string, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public int Issued => _issued.Count;

    /// <summary>How often a request arrived with a token that had expired.</summary>
    public int ExpiredUses => _expiredUses;

    public void Map(IEndpointRouteBuilder app) => app.MapGet(Path, (HttpRequest request) =>
    {
        Requests.Enqueue(request.QueryString.Value ?? string.Empty);
        if (request.Headers["X-IDENTITY-HEADER"] != HeaderSecret)
        {
            return Problem("The X-IDENTITY-HEADER header is missing or wrong.");
        }
        if (request.Query["api-version"] != "2019-08-01")
        {
            return Problem("api-version must be 2019-08-01.");
        }
        string? resource = request.Query["resource"];
        if (string.IsNullOrEmpty(resource) || resource.EndsWith("/.default", StringComparison.Ordinal))
        {
            return Problem("resource must be a resource URI (without /.default).");
        }
        if ((string?)request.Query["client_id"] != ClientId)
        {
            return Problem("No such user-assigned identity.");
        }
        long expires = DateTimeOffset.UtcNow.Add(Lifetime).ToUnixTimeSeconds();
        string token = NewToken(resource, expires);
        _issued[token] = (DateTimeOffset.FromUnixTimeSeconds(expires), resource);
        return Results.Text(new JsonObject
        {
            ["access_token"] = token,
            ["expires_on"] = expires.ToString(CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
            ["client_id"] = ClientId ?? "system-assigned",
        }.ToJsonString(), "application/json");
    });

    /// <summary>True for <c>Bearer {token}</c> with a token issued here for <paramref name="audience"/> that has not expired.</summary>
    public bool Accepts(string authorization, string audience)
    {
        const string Scheme = "Bearer ";
        if (!authorization.StartsWith(Scheme, StringComparison.Ordinal) || !_issued.TryGetValue(authorization.Substring(Scheme.Length), out var issued))
        {
            return false;
        }
        if (issued.Expires <= DateTimeOffset.UtcNow)
        {
            System.Threading.Interlocked.Increment(ref _expiredUses);
            return false;
        }
        return string.Equals(issued.Resource.TrimEnd('/'), audience.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A managed identity credential that finds this endpoint as the platform's variables would name it.</summary>
    public ManagedIdentityCredential Credential(Uri root, string? clientId = null) =>
        new(clientId, name => name switch
        {
            ManagedIdentityCredential.IdentityEndpointVariable => new Uri(root, Path.TrimStart('/')).ToString(),
            ManagedIdentityCredential.IdentityHeaderVariable => HeaderSecret,
            _ => null,
        }, null, null);

    private static string NewToken(string audience, long expires)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return Part("{\"typ\":\"JWT\",\"alg\":\"none\"}") + "." + Part($"{{\"aud\":\"{audience}\",\"exp\":{expires},\"n\":\"{Guid.NewGuid():N}\"}}") + "." + Guid.NewGuid().ToString("N");
    }

    private static IResult Problem(string message) =>
        Results.Text(new JsonObject { ["error"] = "invalid_request", ["error_description"] = message }.ToJsonString(), "application/json", statusCode: 400);
}
