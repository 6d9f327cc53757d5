using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Jobs;

/// <summary>
/// Finds the events a job has produced since the last look. The service lists events newest
/// first, so each look reads from the newest until it meets an event already seen (the list
/// fetches a further page only when one is needed), and hands the new ones back oldest first,
/// the order they happened in. The first look returns every event the job has. Also remembers
/// the latest step/total from metrics events.
/// </summary>
internal sealed class JobEventTracker
{
    private readonly Func<CancellationToken, IAsyncEnumerable<JobEvent>> _newestFirst;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    private int? _initialNewest;

    /// <param name="newestFirst">The job's events as the service lists them.</param>
    /// <param name="initialNewest">On the first look, hand back only this many of the most recent events (null: all).</param>
    public JobEventTracker(Func<CancellationToken, IAsyncEnumerable<JobEvent>> newestFirst, int? initialNewest = null)
    {
        _newestFirst = newestFirst;
        _initialNewest = initialNewest;
    }

    public int? LastStep { get; private set; }

    public int? TotalSteps { get; private set; }

    public async Task<IReadOnlyList<JobEvent>> NextAsync(CancellationToken cancellationToken)
    {
        var fresh = new List<JobEvent>();
        await foreach (JobEvent item in _newestFirst(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (_seen.Contains(item.Id))
            {
                break;
            }
            fresh.Add(item);
        }

        fresh.Reverse();
        int skip = 0;
        if (_initialNewest is int newest)
        {
            // Older events are still seen (a later look stops at them) and still count for the step.
            skip = Math.Max(0, fresh.Count - newest);
            _initialNewest = null;
        }
        var result = new List<JobEvent>(fresh.Count - skip);
        for (int i = 0; i < fresh.Count; i++)
        {
            JobEvent item = fresh[i];
            if (item.Id.Length > 0 && !_seen.Add(item.Id))
            {
                continue;
            }
            if (item.Step is { } step && (LastStep is null || step >= LastStep))
            {
                LastStep = step;
                TotalSteps = item.TotalSteps ?? TotalSteps;
            }
            if (i >= skip)
            {
                result.Add(item);
            }
        }
        return result;
    }
}
