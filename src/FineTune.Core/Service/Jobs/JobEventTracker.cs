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

    public JobEventTracker(Func<CancellationToken, IAsyncEnumerable<JobEvent>> newestFirst) => _newestFirst = newestFirst;

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
        var result = new List<JobEvent>(fresh.Count);
        foreach (JobEvent item in fresh)
        {
            if (item.Id.Length > 0 && !_seen.Add(item.Id))
            {
                continue;
            }
            if (item.Step is { } step && (LastStep is null || step >= LastStep))
            {
                LastStep = step;
                TotalSteps = item.TotalSteps ?? TotalSteps;
            }
            result.Add(item);
        }
        return result;
    }
}
