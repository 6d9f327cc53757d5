using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service;

/// <summary>
/// A successful answer: either an HTTP response whose body is read once (as JSON or as a
/// stream), or an object already read (or found by a <see cref="ServiceRequest.FindExisting"/> check). Every body
/// is read from the network as it arrives, never buffered whole by the HTTP stack, and every
/// read must make progress within the connection's timeout.
/// </summary>
public sealed class ServiceResponse : IDisposable
{
    /// <summary>
    /// The largest JSON answer read (16 MiB): far above any list page, job or chat reply, and
    /// small enough to hold. A longer answer is a FineTune.Service.ResponseTooLarge error.
    /// </summary>
    public const long MaxJsonBytes = 16 * 1024 * 1024;

    private readonly HttpResponseMessage? _message;
    private readonly JsonElement? _object;
    private readonly ServiceRequest? _request;
    private readonly Uri? _uri;
    private readonly TimeSpan _stallTimeout;

    internal ServiceResponse(HttpResponseMessage message, string? requestId, ServiceRequest request, Uri uri, TimeSpan stallTimeout)
    {
        _message = message;
        _request = request;
        _uri = uri;
        _stallTimeout = stallTimeout;
        StatusCode = (int)message.StatusCode;
        RequestId = requestId;
    }

    /// <summary>The object a <see cref="ServiceRequest.FindExisting"/> look-up found after an unknown outcome.</summary>
    internal ServiceResponse(JsonElement found)
        : this(found, 200, null)
    {
        RecoveredFromUnknownOutcome = true;
    }

    /// <summary>An answer whose JSON body has already been read and checked.</summary>
    internal ServiceResponse(JsonElement answer, int statusCode, string? requestId)
    {
        _object = answer;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    public int StatusCode { get; }

    public string? RequestId { get; }

    /// <summary>True when the object came from <see cref="ServiceRequest.FindExisting"/> after an unknown outcome.</summary>
    public bool RecoveredFromUnknownOutcome { get; }

    /// <summary>The body length when the service announced it.</summary>
    public long? ContentLength => _message?.Content.Headers.ContentLength;

    /// <summary>
    /// Reads the body as JSON (at most <see cref="MaxJsonBytes"/>), checks that it is the object
    /// the request expects, and masks any secret in it. Failures are <see cref="ServiceException"/>s
    /// naming the operation: InvalidResponse, ResponseTooLarge, Timeout (the body stalled) or
    /// Connection (it broke off).
    /// </summary>
    public async Task<JsonElement> ReadJsonAsync(CancellationToken cancellationToken)
    {
        if (_object is { } read)
        {
            return read;
        }
        ServiceRequest request = _request!;
        if (ContentLength is long announced && announced > MaxJsonBytes)
        {
            throw TooLarge();
        }
        JsonElement answer;
        try
        {
            using Stream stream = await OpenBodyAsync(MaxJsonBytes, cancellationToken).ConfigureAwait(false);
            using JsonDocument document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            answer = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            // The parser's own message may quote the body; the position is what helps.
            throw Invalid($"a body that is not JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}{ContentTypeNote()})");
        }
        catch (BodyTooLargeException)
        {
            throw TooLarge();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw BodyFailed(ex);
        }
        if (request.Expects.Problem(answer) is { } problem)
        {
            throw Invalid($"no {request.Expects.What}: {problem}");
        }
        return JsonSecrets.Mask(answer);
    }

    /// <summary>
    /// The body as a stream for the caller to copy (a download): each read must bring data within
    /// the connection's timeout, else it throws <see cref="IOException"/> saying the answer stalled;
    /// with <paramref name="maxBytes"/>, a read past it throws <see cref="BodyTooLargeException"/>.
    /// </summary>
    public Task<Stream> ReadStreamAsync(CancellationToken cancellationToken, long? maxBytes = null) => OpenBodyAsync(maxBytes, cancellationToken);

    public void Dispose() => _message?.Dispose();

    private async Task<Stream> OpenBodyAsync(long? maxBytes, CancellationToken cancellationToken)
    {
        if (_message is null)
        {
            throw new InvalidOperationException("This response carries an object, not a stream.");
        }
        return new ResponseBodyStream(await ReadBodyAsync(_message, cancellationToken).ConfigureAwait(false), _stallTimeout, maxBytes, cancellationToken);
    }

    internal static Task<Stream> ReadBodyAsync(HttpResponseMessage message, CancellationToken cancellationToken)
    {
#if NET8_0_OR_GREATER
        return message.Content.ReadAsStreamAsync(cancellationToken);
#else
        cancellationToken.ThrowIfCancellationRequested();
        return message.Content.ReadAsStreamAsync();
#endif
    }

    private string Describe() => $"{_request!.Describe()} ({_request.Method.Method} {_uri})";

    private string ContentTypeNote() =>
        _message!.Content.Headers.ContentType?.MediaType is { } type && !type.EndsWith("json", StringComparison.OrdinalIgnoreCase)
            ? $"; it says it is {type}"
            : string.Empty;

    private ServiceException Invalid(string what) =>
        new(ServiceErrorIds.InvalidResponse, FailureKind.ProtocolError,
            $"The service answered {Describe()} with HTTP {StatusCode} but {what}.",
            _request!.Target ?? _uri!.ToString(), "Check that the base URL points at an OpenAI-compatible API.", null,
            StatusCode, RequestId, method: _request.Method.Method, requestUri: _uri);

    private ServiceException TooLarge() =>
        new(ServiceErrorIds.ResponseTooLarge, FailureKind.LimitsExceeded,
            $"The answer to {Describe()} is larger than {MaxJsonBytes / (1024 * 1024)} MiB, the most FineTune reads as JSON; it was not read further.",
            _request!.Target ?? _uri!.ToString(), "Ask for fewer items (-First), or check that the base URL points at an OpenAI-compatible API.", null,
            StatusCode, RequestId, method: _request.Method.Method, requestUri: _uri);

    private ServiceException BodyFailed(Exception ex) => ex is BodyStalledException stalled
        ? new ServiceException(ServiceErrorIds.Timeout, FailureKind.OperationTimeout,
            $"The answer to {Describe()} stopped arriving: {stalled.Message}.",
            _request!.Target ?? _uri!.ToString(), "Try again later, or connect with a longer -TimeoutSec.", null,
            StatusCode, RequestId, method: _request.Method.Method, requestUri: _uri)
        : new ServiceException(ServiceErrorIds.Connection, FailureKind.ConnectionError,
            $"The answer to {Describe()} broke off: {ServiceText.Clean(ex.Message)}",
            _request!.Target ?? _uri!.ToString(), "Check the network and the service address, then try again.", null,
            StatusCode, RequestId, method: _request.Method.Method, requestUri: _uri);
}
