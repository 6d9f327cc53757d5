using System;

namespace FineTune.Service;

/// <summary>
/// A failure reported by (or on the way to) the fine-tuning service, with what the service
/// said: its <c>message</c>, <c>type</c>, <c>code</c> and <c>param</c>, the HTTP status and the
/// <c>x-request-id</c> to quote to support. The message and every field the service supplied
/// pass <see cref="ServiceText"/> here: no secret, no control character, bounded length.
/// </summary>
public sealed class ServiceException : FineTuneException
{
    public ServiceException(
        string errorId,
        FailureKind kind,
        string message,
        object? target = null,
        string? recommendedAction = null,
        Exception? innerException = null,
        int? statusCode = null,
        string? requestId = null,
        string? serviceMessage = null,
        string? serviceType = null,
        string? serviceCode = null,
        string? param = null,
        string? method = null,
        Uri? requestUri = null)
        : base(errorId, kind, ServiceText.Scrub(message), target, recommendedAction, innerException)
    {
        StatusCode = statusCode;
        RequestId = ServiceText.Clean(requestId);
        ServiceMessage = ServiceText.Clean(serviceMessage);
        ServiceType = ServiceText.Clean(serviceType);
        ServiceCode = ServiceText.Clean(serviceCode);
        Param = ServiceText.Clean(param);
        Method = method;
        RequestUri = requestUri;
    }

    /// <summary>The HTTP status, or null when no response arrived (connection failure, timeout).</summary>
    public int? StatusCode { get; }

    /// <summary>The service's <c>x-request-id</c> header.</summary>
    public string? RequestId { get; }

    /// <summary>The <c>error.message</c> of the service's answer.</summary>
    public string? ServiceMessage { get; }

    /// <summary>The <c>error.type</c> of the service's answer (e.g. <c>invalid_request_error</c>).</summary>
    public string? ServiceType { get; }

    /// <summary>The <c>error.code</c> of the service's answer.</summary>
    public string? ServiceCode { get; }

    /// <summary>The <c>error.param</c> of the service's answer: the request field at fault.</summary>
    public string? Param { get; }

    /// <summary>The HTTP method of the failed call.</summary>
    public string? Method { get; }

    /// <summary>The URL of the failed call (never contains a key: keys travel in headers).</summary>
    public Uri? RequestUri { get; }
}
