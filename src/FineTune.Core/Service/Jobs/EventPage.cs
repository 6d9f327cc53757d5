using System.Collections.Generic;

namespace FineTune.Service.Jobs;

/// <summary>One page of a job's events as the service returns them: newest first.</summary>
internal sealed class EventPage
{
    public EventPage(IReadOnlyList<JobEvent> events, bool hasMore)
    {
        Events = events;
        HasMore = hasMore;
    }

    public IReadOnlyList<JobEvent> Events { get; }

    public bool HasMore { get; }
}
