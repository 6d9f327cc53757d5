using System;

namespace FineTune.Service.Jobs;

/// <summary>Where a job stands while it is being waited on: what a progress bar shows.</summary>
public sealed class JobProgress
{
    public string JobId { get; internal set; } = string.Empty;

    public string Status { get; internal set; } = string.Empty;

    /// <summary>The last training step reported by a metrics event.</summary>
    public int? Step { get; internal set; }

    public int? TotalSteps { get; internal set; }

    public DateTimeOffset? EstimatedFinish { get; internal set; }

    /// <summary>How long the wait has lasted.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>0 to 100 from step/total; 100 once succeeded; -1 when unknown.</summary>
    public int PercentComplete =>
        JobStatus.IsSucceeded(Status) ? 100
        : Step is { } step && TotalSteps is { } total && total > 0 ? (int)Math.Min(99, Math.Max(0, step * 100L / total))
        : -1;

    /// <summary>One line for a progress bar: status, step/total and estimated finish.</summary>
    public string Describe()
    {
        string text = Status.Length == 0 ? "unknown status" : Status;
        if (Step is { } step)
        {
            text += TotalSteps is { } total ? $", step {step}/{total}" : $", step {step}";
        }
        if (EstimatedFinish is { } finish)
        {
            text += $", estimated finish {finish.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";
        }
        return text;
    }
}
