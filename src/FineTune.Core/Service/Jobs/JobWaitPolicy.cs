using System;

namespace FineTune.Service.Jobs;

/// <summary>
/// How often a job is polled while waiting: starting at <see cref="InitialInterval"/>, growing by
/// <see cref="Multiplier"/> up to <see cref="MaxInterval"/> while nothing changes, and back to
/// the start when the status changes or new events arrive.
/// </summary>
public sealed class JobWaitPolicy
{
    public TimeSpan InitialInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(60);

    public double Multiplier { get; set; } = 1.5;

    /// <summary>How long to wait in all; null waits until the job ends.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// The default policy, but with a user's first interval when given (the cap is raised to it,
    /// so a long interval is never shortened) and a total timeout.
    /// </summary>
    public static JobWaitPolicy StartingAt(TimeSpan? pollInterval, TimeSpan? timeout = null)
    {
        var policy = new JobWaitPolicy { Timeout = timeout };
        if (pollInterval is { } interval)
        {
            policy.InitialInterval = interval;
            if (policy.MaxInterval < interval)
            {
                policy.MaxInterval = interval;
            }
        }
        return policy;
    }

    /// <summary>The interval after <paramref name="current"/> when nothing changed.</summary>
    public TimeSpan Next(TimeSpan current)
    {
        double grown = current.TotalMilliseconds * Math.Max(1.0, Multiplier);
        return TimeSpan.FromMilliseconds(Math.Min(grown, MaxInterval.TotalMilliseconds));
    }
}
