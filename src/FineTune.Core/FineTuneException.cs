using System;

namespace FineTune;

/// <summary>
/// A failure the engine can explain: a stable, namespaced id (for example
/// <c>FineTune.Dataset.MissingAssistant</c>), what kind of failure it is, the input
/// that caused it, and a sentence telling the user how to fix it. Its message and advice never
/// carry a secret in use (<see cref="Service.SecretRedactor"/>), whoever built them.
/// </summary>
public class FineTuneException : Exception
{
    /// <remarks>
    /// Control characters in <paramref name="message"/> and <paramref name="recommendedAction"/>
    /// (which may quote data or a server's words) are escaped here, once for every error.
    /// </remarks>
    public FineTuneException(string errorId, FailureKind kind, string message, object? target = null, string? recommendedAction = null, Exception? innerException = null)
        : base(DisplayText.Escape(Service.SecretRedactor.RedactRegistered(message ?? string.Empty), keepLineBreaks: true), innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
        RecommendedAction = recommendedAction is null ? null : DisplayText.Escape(Service.SecretRedactor.RedactRegistered(recommendedAction), keepLineBreaks: true);
    }

    /// <summary>Stable id such as <c>FineTune.Service.RateLimited</c>.</summary>
    public string ErrorId { get; }

    public FailureKind Kind { get; }

    /// <summary>The input that failed (a path, a row, a job id), never a secret.</summary>
    public object? Target { get; }

    public string? RecommendedAction { get; }
}

/// <summary>
/// The engine's own classification of a failure; the cmdlet layer maps it to
/// PowerShell's ErrorCategory so the engine needs no reference to PowerShell.
/// </summary>
public enum FailureKind
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    ResourceExists,
    ResourceUnavailable,
    ConnectionError,
    AuthenticationError,
    PermissionDenied,
    LimitsExceeded,
    OperationTimeout,
    OperationStopped,
    ProtocolError,
    ReadError,
    WriteError,
}
