using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service;

/// <summary>
/// A successful answer: either an HTTP response whose body is read once (as JSON or as a
/// stream), or the object a <see cref="ServiceRequest.FindExisting"/> check found.
/// </summary>
public sealed class ServiceResponse : IDisposable
{
    private readonly HttpResponseMessage? _message;
    private readonly JsonElement? _found;

    internal ServiceResponse(HttpResponseMessage message, string? requestId)
    {
        _message = message;
        StatusCode = (int)message.StatusCode;
        RequestId = requestId;
    }

    internal ServiceResponse(JsonElement found)
    {
        _found = found;
        StatusCode = 200;
        RecoveredFromUnknownOutcome = true;
    }

    public int StatusCode { get; }

    public string? RequestId { get; }

    /// <summary>True when the object came from <see cref="ServiceRequest.FindExisting"/> after an unknown outcome.</summary>
    public bool RecoveredFromUnknownOutcome { get; }

    /// <summary>The body length when the service announced it.</summary>
    public long? ContentLength => _message?.Content.Headers.ContentLength;

    public async Task<JsonElement> ReadJsonAsync(CancellationToken cancellationToken)
    {
        if (_found is { } found)
        {
            return found;
        }
        try
        {
            using Stream stream = await ReadStreamAsync(cancellationToken).ConfigureAwait(false);
            using JsonDocument document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ServiceException(ServiceErrorIds.InvalidResponse, FailureKind.ProtocolError,
                $"The service answered {_message!.RequestMessage?.Method} {_message.RequestMessage?.RequestUri} with a body that is not JSON: {ex.Message}",
                _message.RequestMessage?.RequestUri?.ToString(), "Check that the base URL points at an OpenAI-compatible API.", ex,
                StatusCode, RequestId, method: _message.RequestMessage?.Method.Method, requestUri: _message.RequestMessage?.RequestUri);
        }
    }

    public Task<Stream> ReadStreamAsync(CancellationToken cancellationToken)
    {
        if (_message is null)
        {
            throw new InvalidOperationException("This response carries an object, not a stream.");
        }
#if NET8_0_OR_GREATER
        return _message.Content.ReadAsStreamAsync(cancellationToken);
#else
        cancellationToken.ThrowIfCancellationRequested();
        return _message.Content.ReadAsStreamAsync();
#endif
    }

    public void Dispose() => _message?.Dispose();
}
