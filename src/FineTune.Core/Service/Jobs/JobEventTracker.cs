using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Jobs;

/// <summary>
/// Finds the events a job has produced since the last look. The service lists events newest
/// first, so each look reads pages from the newest until it meets an event already seen, and
/// hands the new ones back oldest first (the order they happened in). The first look returns
/// every event the job has. Also remembers the latest step/total from metrics events.
/// </summary>
internal sealed class JobEventTracker
{
    private readonly Func<string?, CancellationToken, Task<EventPage>> _fetchPage;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <param name="fetchPage">Reads the page after the given event id (null: the newest page).</param>
    public JobEventTracker(Func<string?, CancellationToken, Task<EventPage>> fetchPage) => _fetchPage = fetchPage;

    public int? LastStep { get; private set; }

    public int? TotalSteps { get; private set; }

    public async Task<IReadOnlyList<JobEvent>> NextAsync(CancellationToken cancellationToken)
    {
        var fresh = new List<JobEvent>();
        string? after = null;
        while (true)
        {
            EventPage page = await _fetchPage(after, cancellationToken).ConfigureAwait(false);
            bool reachedSeen = false;
            foreach (JobEvent item in page.Events)
            {
                if (_seen.Contains(item.Id))
                {
                    reachedSeen = true;
                    break;
                }
                fresh.Add(item);
            }
            if (reachedSeen || !page.HasMore || page.Events.Count == 0)
            {
                break;
            }
            after = page.Events[page.Events.Count - 1].Id;
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
