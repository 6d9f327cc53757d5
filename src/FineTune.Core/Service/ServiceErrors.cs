using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service;

/// <summary>Turns an error answer into a <see cref="ServiceException"/> with the service's own words.</summary>
internal static class ServiceErrors
{
    /// <summary>
    /// The error an answer with a failure status stands for. Only the first
    /// <paramref name="maxBodyChars"/> characters of its body are read (the rest is never
    /// downloaded), within the attempt's time (<paramref name="attemptToken"/>), and every piece of
    /// it passes <see cref="ServiceText"/>.
    /// </summary>
    public static async Task<ServiceException> FromResponseAsync(HttpResponseMessage response, ServiceRequest request, Uri uri, string? requestId, string? reasonPhrase,
        int maxBodyChars, TimeSpan stallTimeout, CancellationToken cancellationToken, CancellationToken attemptToken)
    {
        string body = await ReadLimitedAsync(response, maxBodyChars, stallTimeout, cancellationToken, attemptToken).ConfigureAwait(false);
        (string? message, string? type, string? code, string? param) = Parse(body);
        int status = (int)response.StatusCode;
        (string errorId, FailureKind kind, string advice) = Classify(status);

        message = ServiceText.Clean(message);
        string said = message ?? (body.Length > 0 && body.Length <= 500 ? ServiceText.Clean(body.Trim())! : reasonPhrase ?? "no details");
        code = ServiceText.Clean(code);
        param = ServiceText.Clean(param);
        var text = new StringBuilder(said.TrimEnd());
        text.Append(" (HTTP ").Append(status).Append(" from ").Append(request.Method.Method).Append(' ').Append(uri);
        if (code is { Length: > 0 })
        {
            text.Append(", code ").Append(code);
        }
        if (param is { Length: > 0 })
        {
            text.Append(", param ").Append(param);
        }
        if (requestId is { Length: > 0 })
        {
            text.Append(", request id ").Append(requestId);
        }
        text.Append(')');

        return new ServiceException(errorId, kind, text.ToString(), request.Target ?? uri.ToString(), advice, null,
            status, requestId, message, type, code, param, request.Method.Method, uri);
    }

    public static (string ErrorId, FailureKind Kind, string Advice) Classify(int status) => status switch
    {
        400 => (ServiceErrorIds.BadRequest, FailureKind.InvalidArgument, "Correct the request as the service's message says."),
        401 => (ServiceErrorIds.Unauthorized, FailureKind.AuthenticationError, "Check the API key (Connect-FineTuneService -ApiKey, or OPENAI_API_KEY / AZURE_OPENAI_API_KEY) or, with Entra ID, that the identity has a role on the resource such as Cognitive Services OpenAI Contributor."),
        403 => (ServiceErrorIds.Forbidden, FailureKind.PermissionDenied, "The key has no access to this resource or model; check its organization, project and permissions."),
        404 => (ServiceErrorIds.NotFound, FailureKind.ObjectNotFound, "Check the id, and that the connection points at the organization, project or resource that owns it."),
        408 => (ServiceErrorIds.Timeout, FailureKind.OperationTimeout, "Try again later."),
        409 => (ServiceErrorIds.Conflict, FailureKind.InvalidOperation, "The object is not in a state that allows this; check its status and try again."),
        422 => (ServiceErrorIds.UnprocessableEntity, FailureKind.InvalidData, "Correct the request as the service's message says."),
        429 => (ServiceErrorIds.RateLimited, FailureKind.LimitsExceeded, "Wait and try again, or check the quota and billing of the account."),
        >= 500 => (ServiceErrorIds.ServerError, FailureKind.ResourceUnavailable, "The service failed; try again later and quote the request id if it persists."),
        _ => (ServiceErrorIds.BadRequest, FailureKind.InvalidArgument, "Correct the request as the service's message says."),
    };

    private static (string? Message, string? Type, string? Code, string? Param) Parse(string body)
    {
        if (body.Length == 0 || (body[0] != '{' && !body.TrimStart().StartsWith("{", StringComparison.Ordinal)))
        {
            return (null, null, null, null);
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            JsonElement error = root.Property("error") ?? root;
            if (error.ValueKind == JsonValueKind.String)
            {
                return (error.GetString(), null, null, null);
            }
            string? message = error.GetStringOrNull("message") ?? ProblemDetails(root);
            return (message, error.GetStringOrNull("type"), error.GetStringOrNull("code"), error.GetStringOrNull("param"));
        }
        catch (JsonException)
        {
            return (null, null, null, null);
        }
    }

    /// <summary>An RFC 7807 problem body (<c>title</c>, <c>detail</c>, and a <c>validation</c> or <c>errors</c> list), as some compatible hosts and mock servers send.</summary>
    private static string? ProblemDetails(JsonElement root)
    {
        string? text = root.GetStringOrNull("detail") ?? root.GetStringOrNull("title");
        if (text is null)
        {
            return null;
        }
        JsonElement? list = root.Property("validation") ?? root.Property("errors");
        if (list is { ValueKind: JsonValueKind.Array } items)
        {
            var details = new StringBuilder(text);
            foreach (JsonElement item in items.EnumerateArray())
            {
                string? detail = item.ValueKind == JsonValueKind.String ? item.GetString() : item.GetStringOrNull("message");
                if (detail is not null)
                {
                    details.Append(" | ").Append(detail);
                    if (item.Property("location") is { ValueKind: JsonValueKind.Array } location)
                    {
                        details.Append(" at ").Append(location.GetRawText());
                    }
                }
            }
            text = details.ToString();
        }
        return text;
    }

    /// <summary>Up to <paramref name="maxChars"/> characters of the body: what arrived before it stalled or broke off, if it did.</summary>
    private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, int maxChars, TimeSpan stallTimeout, CancellationToken cancellationToken, CancellationToken attemptToken)
    {
        char[] buffer = new char[maxChars];
        int total = 0;
        try
        {
            using var stream = new ResponseBodyStream(await ServiceResponse.ReadBodyAsync(response, attemptToken).ConfigureAwait(false), stallTimeout, null, attemptToken);
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 4096);
            while (total < maxChars)
            {
                int read = await reader.ReadAsync(buffer, total, maxChars - total).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Out of time or broken off: show what arrived.
        }
        return new string(buffer, 0, total);
    }
}
