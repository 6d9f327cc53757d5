using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Identity;

/// <summary>
/// Sends one request to a token endpoint (managed identity, Entra ID) and reads its answer: the
/// body is read up to a limit, the wait is bounded, and an error answer becomes a
/// FineTune.Identity.TokenFailed error with the endpoint's own explanation but never a token.
/// </summary>
internal static class TokenEndpoint
{
    private const int MaxBodyBytes = 64 * 1024;
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<AccessToken> SendAsync(HttpClient http, Func<HttpRequestMessage> createRequest, string what, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout ?? DefaultTimeout);
        using HttpRequestMessage request = createRequest();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TokenCredential.Unavailable(what, $"{request.RequestUri!.GetLeftPart(UriPartial.Path)} did not answer within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s.",
                "Check that this machine has that identity, or sign in another way.");
        }
        catch (HttpRequestException ex)
        {
            throw TokenCredential.Unavailable(what, $"{request.RequestUri!.GetLeftPart(UriPartial.Path)} could not be reached ({ex.Message}).",
                "Check that this machine has that identity, or sign in another way.");
        }
        using (response)
        {
            string body = await ReadLimitedAsync(response, attempt.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new FineTuneException(IdentityErrorIds.TokenFailed, FailureKind.AuthenticationError,
                    $"{what} refused to issue a token (HTTP {(int)response.StatusCode}): {Explain(body)}", what,
                    "Check the client id, tenant and secret, and that the identity has a role on the resource (for example Cognitive Services OpenAI Contributor).");
            }
            return Parse(body, what);
        }
    }

    /// <summary>
    /// Reads <c>access_token</c> and its expiry from a token answer: <c>expires_on</c> (Unix seconds,
    /// as a number or a string, as managed identity endpoints write it) or <c>expires_in</c> (seconds
    /// from now, as Entra ID's v2 endpoint writes it).
    /// </summary>
    public static AccessToken Parse(string body, string what)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            string? token = root.GetStringOrNull("access_token");
            if (string.IsNullOrWhiteSpace(token))
            {
                throw Malformed(what, "it has no access_token");
            }
            DateTimeOffset expires = Seconds(root, "expires_on") is long on
                ? DateTimeOffset.FromUnixTimeSeconds(on)
                : Seconds(root, "expires_in") is long inSeconds
                    ? TokenCredential.Now().AddSeconds(inSeconds)
                    : throw Malformed(what, "it says neither expires_on nor expires_in");
            return new AccessToken(token!, expires);
        }
        catch (JsonException)
        {
            throw Malformed(what, "it is not JSON");
        }
    }

    private static long? Seconds(JsonElement root, string name) => root.Property(name) switch
    {
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt64(out long value) => value,
        { ValueKind: JsonValueKind.String } text when long.TryParse(text.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) => value,
        _ => null,
    };

    /// <summary>The error an endpoint explains (<c>error_description</c>, <c>error.message</c>, ...), short and without tokens.</summary>
    private static string Explain(string body)
    {
        string? text = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            text = root.GetStringOrNull("error_description")
                ?? (root.Property("error") is { ValueKind: JsonValueKind.Object } error ? error.GetStringOrNull("message") : root.GetStringOrNull("error"))
                ?? root.GetStringOrNull("message");
        }
        catch (JsonException)
        {
            text = body.Length <= 300 ? body : null;
        }
        text = SecretRedactor.Redact((text ?? "no explanation").Trim());
        return text.Length > 500 ? text.Substring(0, 500) + "..." : text;
    }

    private static FineTuneException Malformed(string what, string why) =>
        new(IdentityErrorIds.TokenFailed, FailureKind.ProtocolError, $"{what} answered with a token response FineTune cannot read: {why}.", what,
            "Check that the endpoint is a managed identity or Entra ID token endpoint.");

    private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
#if NET8_0_OR_GREATER
        using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
        using Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
        var buffer = new byte[MaxBodyBytes];
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer, total, buffer.Length - total, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
