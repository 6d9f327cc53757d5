using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

public class JobEventTrackerTests
{
    /// <summary>A job's events held oldest first and served newest first in pages, like the service.</summary>
    internal sealed class EventLog
    {
        private readonly List<JobEvent> _events = new();

        public int PageSize { get; set; } = 3;

        public List<string?> Requests { get; } = new();

        public JobEvent Add(string message, int? step = null, int? total = null)
        {
            var item = new JobEvent { JobId = "ftjob-1", Id = "ev-" + (_events.Count + 1), Message = message, Step = step, TotalSteps = total };
            _events.Add(item);
            return item;
        }

        /// <summary>Pages through the events newest first, fetching a page only when the reader wants more.</summary>
        public async IAsyncEnumerable<JobEvent> Fetch([EnumeratorCancellation] CancellationToken token)
        {
            List<JobEvent> newestFirst = Enumerable.Reverse(_events).ToList();
            string? after = null;
            while (true)
            {
                Requests.Add(after);
                await Task.Yield();
                int start = after is null ? 0 : newestFirst.FindIndex(e => e.Id == after) + 1;
                List<JobEvent> page = newestFirst.Skip(start).Take(PageSize).ToList();
                foreach (JobEvent item in page)
                {
                    yield return item;
                }
                if (start + page.Count >= newestFirst.Count || page.Count == 0)
                {
                    yield break;
                }
                after = page[^1].Id;
            }
        }
    }

    [Fact]
    public async Task TheFirstLookReturnsEveryEventOldestFirstAcrossPages()
    {
        var log = new EventLog();
        for (int i = 1; i <= 7; i++)
        {
            log.Add("m" + i);
        }
        var tracker = new JobEventTracker(log.Fetch);

        IReadOnlyList<JobEvent> events = await tracker.NextAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 7).Select(i => "m" + i), events.Select(e => e.Message));
        Assert.Equal(new string?[] { null, "ev-5", "ev-2" }, log.Requests);
    }

    [Fact]
    public async Task LaterLooksReturnOnlyNewEventsAndStopAtTheFirstSeenOne()
    {
        var log = new EventLog();
        for (int i = 1; i <= 5; i++)
        {
            log.Add("m" + i);
        }
        var tracker = new JobEventTracker(log.Fetch);
        await tracker.NextAsync(CancellationToken.None);
        log.Requests.Clear();

        Assert.Empty(await tracker.NextAsync(CancellationToken.None));
        Assert.Single(log.Requests);

        for (int i = 6; i <= 10; i++)
        {
            log.Add("m" + i);
        }
        log.Requests.Clear();
        IReadOnlyList<JobEvent> fresh = await tracker.NextAsync(CancellationToken.None);
        Assert.Equal(new[] { "m6", "m7", "m8", "m9", "m10" }, fresh.Select(e => e.Message));
        Assert.Equal(new string?[] { null, "ev-8" }, log.Requests);
    }

    [Fact]
    public async Task RemembersTheLatestStepAndTotal()
    {
        var log = new EventLog();
        log.Add("Step 1/10", 1, 10);
        log.Add("Step 2/10", 2, 10);
        log.Add("Checkpoint saved");
        var tracker = new JobEventTracker(log.Fetch);

        await tracker.NextAsync(CancellationToken.None);

        Assert.Equal(2, tracker.LastStep);
        Assert.Equal(10, tracker.TotalSteps);
    }

    [Fact]
    public async Task AnInitialLimitKeepsOnlyTheMostRecentEventsOfTheFirstLook()
    {
        var log = new EventLog();
        for (int i = 1; i <= 6; i++)
        {
            log.Add("m" + i);
        }
        var tracker = new JobEventTracker(log.Fetch, initialNewest: 2);

        Assert.Equal(new[] { "m5", "m6" }, (await tracker.NextAsync(CancellationToken.None)).Select(e => e.Message));
        log.Add("m7");
        Assert.Equal(new[] { "m7" }, (await tracker.NextAsync(CancellationToken.None)).Select(e => e.Message));
    }

    [Fact]
    public async Task SkippedEventsStillGiveTheStep()
    {
        var log = new EventLog();
        log.Add("Step 3/9", 3, 9);
        log.Add("Checkpoint saved");
        var tracker = new JobEventTracker(log.Fetch, initialNewest: 0);

        Assert.Empty(await tracker.NextAsync(CancellationToken.None));
        Assert.Equal(3, tracker.LastStep);
        Assert.Equal(9, tracker.TotalSteps);
        log.Add("Step 4/9", 4, 9);
        Assert.Equal(new[] { "Step 4/9" }, (await tracker.NextAsync(CancellationToken.None)).Select(e => e.Message));
        Assert.Equal(4, tracker.LastStep);
    }
}
