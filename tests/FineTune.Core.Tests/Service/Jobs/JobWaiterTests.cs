using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

public class JobWaiterTests
{
    private sealed class Script
    {
        private readonly Queue<string> _statuses;
        private DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

        public Script(params string[] statuses) => _statuses = new Queue<string>(statuses);

        public List<TimeSpan> Delays { get; } = new();

        public JobEventTrackerTests.EventLog Log { get; } = new();

        public Action<string>? OnRetrieve { get; set; }

        public DateTimeOffset Now() => _now;

        public Task Delay(TimeSpan span, CancellationToken token)
        {
            token.ThrowIfCancellationRequested();
            Delays.Add(span);
            _now += span;
            return Task.CompletedTask;
        }

        public Task<Job> Retrieve(CancellationToken token)
        {
            string status = _statuses.Count > 1 ? _statuses.Dequeue() : _statuses.Peek();
            OnRetrieve?.Invoke(status);
            return Task.FromResult(new Job
            {
                Id = "ftjob-1",
                Status = status,
                Error = status == "failed" ? new JobError { Code = "invalid_training_file", Message = "Line 3 has no assistant message.", Param = "training_file" } : null,
                EstimatedFinish = DateTimeOffset.FromUnixTimeSeconds(1_700_003_600),
            });
        }

        public List<string> Verbose { get; } = new();

        public JobWaiter Waiter(JobWaitPolicy policy) => new(Retrieve, new JobEventTracker(Log.Fetch), policy, Delay, Now, Verbose.Add);
    }

    private static JobWaitPolicy Policy(TimeSpan? timeout = null) => new()
    {
        InitialInterval = TimeSpan.FromSeconds(2),
        MaxInterval = TimeSpan.FromSeconds(10),
        Multiplier = 2,
        Timeout = timeout,
    };

    [Fact]
    public async Task FollowsTheLifecycleToSucceededReportingEventsAndProgress()
    {
        var script = new Script("validating_files", "queued", "running", "running", "succeeded");
        int polls = 0;
        script.OnRetrieve = status =>
        {
            polls++;
            if (polls == 3)
            {
                script.Log.Add("Step 5/20: training loss=1.0", 5, 20);
            }
            if (polls == 5)
            {
                script.Log.Add("The job has successfully completed");
            }
        };
        var events = new List<string?>();
        var progress = new List<JobProgress>();

        Job job = await script.Waiter(Policy()).WaitAsync("ftjob-1", progress.Add, e => events.Add(e.Message), CancellationToken.None);

        Assert.Equal("succeeded", job.Status);
        Assert.Equal(new[] { "Step 5/20: training loss=1.0", "The job has successfully completed" }, events);
        Assert.Equal(new[] { "validating_files", "queued", "running", "running", "succeeded" }, progress.Select(p => p.Status));
        Assert.Equal(5, progress[2].Step);
        Assert.Equal(20, progress[2].TotalSteps);
        Assert.Equal(25, progress[2].PercentComplete);
        Assert.Equal(100, progress[4].PercentComplete);
        Assert.Contains("running, step 5/20, estimated finish 2023-11-14 23:13 UTC", progress[2].Describe());
        // Status changes reset the interval; the unchanged poll (4th) grows it.
        Assert.Equal(new[] { 2.0, 2.0, 2.0, 4.0 }, script.Delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task ReturnsAFailedJobAndItsReasonBecomesTheError()
    {
        var script = new Script("running", "failed");
        Job job = await script.Waiter(Policy()).WaitAsync("ftjob-1", null, null, CancellationToken.None);

        FineTuneException error = JobFailure.ToException(job)!;
        Assert.Equal("FineTune.Job.Failed", error.ErrorId);
        Assert.Contains("Line 3 has no assistant message.", error.Message);
        Assert.Contains("invalid_training_file", error.Message);
        Assert.Contains("training_file", error.Message);
        Assert.Contains("Test-FineTuneDataset", error.RecommendedAction);
    }

    [Fact]
    public void ACancelledJobIsACancelledError()
    {
        FineTuneException error = JobFailure.ToException(new Job { Id = "ftjob-1", Status = "cancelled" })!;
        Assert.Equal("FineTune.Job.Cancelled", error.ErrorId);
        Assert.Equal(FailureKind.OperationStopped, error.Kind);
        Assert.Null(JobFailure.ToException(new Job { Id = "ftjob-1", Status = "succeeded" }));
    }

    [Fact]
    public async Task AnUnknownStatusKeepsWaitingWithGrowingIntervals()
    {
        var script = new Script("reticulating", "reticulating", "reticulating", "reticulating", "reticulating", "succeeded");
        Job job = await script.Waiter(Policy()).WaitAsync("ftjob-1", null, null, CancellationToken.None);

        Assert.Equal("succeeded", job.Status);
        Assert.Equal(new[] { 2.0, 4.0, 8.0, 10.0, 10.0 }, script.Delays.Select(d => d.TotalSeconds));
        Assert.Equal("Job 'ftjob-1' is 'reticulating', a status FineTune does not know; it is treated as not finished and the wait goes on.", Assert.Single(script.Verbose));
    }

    [Fact]
    public async Task AzurePendingIsShownAsItComesAndWaitedThrough()
    {
        var statuses = new List<string>();
        var script = new Script("pending", "pending", "running", "succeeded") { OnRetrieve = statuses.Add };
        Job job = await script.Waiter(Policy()).WaitAsync("ftjob-1", null, null, CancellationToken.None);

        Assert.Equal("succeeded", job.Status);
        Assert.Equal(new[] { "pending", "pending", "running", "succeeded" }, statuses);
        Assert.Contains("'pending'", Assert.Single(script.Verbose), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimesOutWithTheLastStatusAndNeverSleepsPastTheDeadline()
    {
        var script = new Script("running");
        FineTuneException ex = await Assert.ThrowsAsync<FineTuneException>(() =>
            script.Waiter(Policy(TimeSpan.FromSeconds(15))).WaitAsync("ftjob-1", null, null, CancellationToken.None));

        Assert.Equal("FineTune.Job.WaitTimeout", ex.ErrorId);
        Assert.Equal(FailureKind.OperationTimeout, ex.Kind);
        Assert.Contains("'running'", ex.Message);
        Assert.Equal("ftjob-1", ex.Target);
        Assert.Equal(15.0, script.Delays.Sum(d => d.TotalSeconds));
        Assert.Equal(new[] { 2.0, 4.0, 8.0, 1.0 }, script.Delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task CancellationStopsTheWait()
    {
        var script = new Script("running");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            script.Waiter(Policy()).WaitAsync("ftjob-1", null, null, cancel.Token));
    }
}
