using System;

namespace FineTune;

/// <summary>
/// One event of a job: a message, or (when <see cref="Type"/> is <c>metrics</c>) the training
/// metrics of one step.
/// </summary>
public sealed class JobEvent
{
    public string JobId { get; internal set; } = string.Empty;

    public string Id { get; internal set; } = string.Empty;

    public DateTimeOffset? CreatedAt { get; internal set; }

    /// <summary><c>info</c>, <c>warn</c> or <c>error</c>.</summary>
    public string? Level { get; internal set; }

    public string? Message { get; internal set; }

    /// <summary><c>message</c> or <c>metrics</c>.</summary>
    public string? Type { get; internal set; }

    public int? Step { get; internal set; }

    public int? TotalSteps { get; internal set; }

    public double? TrainLoss { get; internal set; }

    /// <summary>Mean token accuracy on the training batch.</summary>
    public double? TrainAccuracy { get; internal set; }

    public double? ValidLoss { get; internal set; }

    /// <summary>Mean token accuracy on the validation batch.</summary>
    public double? ValidAccuracy { get; internal set; }

    /// <summary>Loss on the whole validation file (reported at the end of an epoch).</summary>
    public double? FullValidLoss { get; internal set; }

    public double? FullValidAccuracy { get; internal set; }

    /// <summary>The event's <c>data</c> object as JSON text; null when it is absent or empty.</summary>
    public string? Data { get; internal set; }

    public bool IsMetrics => string.Equals(Type, "metrics", StringComparison.OrdinalIgnoreCase) || Step is not null;

    /// <summary>The message as a host shows it (an information record): control characters escaped.</summary>
    public override string ToString() => Service.ServiceText.Escape(Message ?? Id);
}
