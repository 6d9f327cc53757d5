using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Jobs;
using FineTune.Tests.Service.Fakes;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

public sealed class JobsClientTests
{
    private static JobCreateOptions Options() => new() { Model = "gpt-4o-mini-2024-07-18", TrainingFile = "file-train", Suffix = "helpdesk" };

    [Fact]
    public async Task CreateSendsTheRequestTaggedWithAClientIdAndReturnsTheJob()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        JobCreateOptions options = Options();
        options.Metadata["team"] = "it";

        Job job = await f.JobsClient.CreateAsync(options, CancellationToken.None);

        Assert.Equal("ftjob-0001", job.Id);
        Assert.Equal("validating_files", job.Status);
        JsonObject body = Assert.Single(f.Jobs.CreateBodies);
        Assert.Equal("suffix", body.ElementAt(2).Key);
        string requestId = (string)body["metadata"]!["finetune_request_id"]!;
        Assert.StartsWith("ftreq_", requestId);
        Assert.Equal(requestId, job.Metadata["finetune_request_id"]);
        Assert.Equal("it", job.Metadata["team"]);
        Assert.Equal("supervised", job.Method);
        RecordedRequest sent = Assert.Single(f.Server.Requests);
        Assert.Equal("POST /v1/fine_tuning/jobs", sent.ToString());
        Assert.StartsWith("application/json", sent.ContentType);
    }

    [Fact]
    public async Task ALostResponseToACreateResultsInExactlyOneJob()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        f.Server.AddFault(Fault.SucceedThenReset()).For("POST", "/fine_tuning/jobs");

        Job job = await f.JobsClient.CreateAsync(Options(), CancellationToken.None);

        FakeJob only = Assert.Single(f.Jobs.Jobs);
        Assert.Equal(only.Id, job.Id);
        Assert.Single(f.Jobs.CreateBodies);
        RecordedRequest lookup = Assert.Single(f.Server.Requests, r => r.Method == "GET");
        Assert.Contains("metadata%5Bfinetune_request_id%5D=ftreq_", lookup.QueryString);
        Assert.Contains(f.Log, line => line.Contains("the earlier attempt had succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AServerErrorAfterTheBodyWasSentIsCheckedThenRepeatedOnce()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        f.Server.AddFault(Fault.Status(500, message: "The server had an error while processing your request.")).For("POST", "/fine_tuning/jobs");

        Job job = await f.JobsClient.CreateAsync(Options(), CancellationToken.None);

        Assert.Single(f.Jobs.Jobs);
        // Looked up over the whole look-up window (7 times) before the create was repeated.
        Assert.Equal(new[] { "POST" }.Concat(Enumerable.Repeat("GET", 7)).Append("POST"), f.Server.Requests.Select(r => r.Method));
        Assert.Equal(f.Jobs.Jobs[0].Id, job.Id);
    }

    [Fact]
    public async Task TheRecoveryFindsTheJobOnAHostThatIgnoresTheMetadataFilter()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        // Another job tagged with a different request id is newer in the list than ours would be
        // if the filter were ignored; the client must check the metadata itself.
        f.Jobs.Add("running", metadata: new Dictionary<string, string> { ["finetune_request_id"] = "ftreq_someone_else" });
        f.Server.AddFault(Fault.SucceedThenReset()).For("POST", "/fine_tuning/jobs");

        Job job = await f.JobsClient.CreateAsync(Options(), CancellationToken.None);

        Assert.Equal(2, f.Jobs.Jobs.Count);
        Assert.Equal("ftjob-0002", job.Id);
    }

    [Fact]
    public async Task WaitFollowsTheLifecycleToSucceeded()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        f.Jobs.OnCreate = job => job
            .ThenStatus("validating_files", "Validating training file: file-train")
            .ThenStatus("queued", "Files validated, moving job to queued state")
            .Then(j => { j.Status = "running"; j.EstimatedFinish = 1_721_768_400; j.AddEvent("Fine-tuning job started"); j.AddStep(1, 4, 1.2); })
            .Then(j => j.AddStep(2, 4, 0.9))
            .Then(_ => { })
            .Then(j => { j.AddStep(3, 4, 0.7); j.AddStep(4, 4, 0.6); })
            .Then(j => { j.Status = "succeeded"; j.FineTunedModel = "ft:gpt-4o-mini-2024-07-18:org:helpdesk:abc123"; j.AddEvent("The job has successfully completed"); });
        Job created = await f.JobsClient.CreateAsync(Options(), CancellationToken.None);
        var events = new List<string>();
        var progress = new List<JobProgress>();

        Job final = await f.JobsClient.WaitAsync(created.Id, JobsFixture.Policy(), progress.Add, e => events.Add(e.Message!), CancellationToken.None);

        Assert.Equal("succeeded", final.Status);
        Assert.Equal("ft:gpt-4o-mini-2024-07-18:org:helpdesk:abc123", final.FineTunedModel);
        Assert.Null(JobFailure.ToException(final));
        Assert.Equal(new[]
        {
            "Created fine-tuning job", "Validating training file: file-train", "Files validated, moving job to queued state",
            "Fine-tuning job started", "Step 1/4: training loss=1.200", "Step 2/4: training loss=0.900",
            "Step 3/4: training loss=0.700", "Step 4/4: training loss=0.600", "The job has successfully completed",
        }, events);
        Assert.Equal(new[] { "validating_files", "queued", "running", "running", "running", "running", "succeeded" }, progress.Select(p => p.Status));
        Assert.Equal(new int?[] { null, null, 1, 2, 2, 4, 4 }, progress.Select(p => p.Step));
        Assert.All(progress.Skip(2), p => Assert.Equal(4, p.TotalSteps));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_721_768_400), progress[2].EstimatedFinish);
        Assert.Equal(new[] { 25, 50, 50, 99, 100 }, progress.Skip(2).Select(p => p.PercentComplete));
        // The unchanged fifth poll doubles the interval; every change resets it.
        Assert.Equal(new[] { 1.0, 1.0, 1.0, 1.0, 2.0, 1.0 }, f.WaitDelays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task WaitEndsAtFailedWithTheServicesReason()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        f.Jobs.OnCreate = job => job
            .ThenStatus("validating_files")
            .Then(j =>
            {
                j.Status = "failed";
                j.Error = new JsonObject { ["code"] = "invalid_training_file", ["message"] = "The job failed due to an invalid training file. Line 12 is missing an assistant message.", ["param"] = "training_file" };
                j.AddEvent("Training file validation failed", "error");
            });
        Job created = await f.JobsClient.CreateAsync(Options(), CancellationToken.None);

        Job final = await f.JobsClient.WaitAsync(created.Id, JobsFixture.Policy(), null, null, CancellationToken.None);

        Assert.Equal("failed", final.Status);
        FineTuneException error = JobFailure.ToException(final)!;
        Assert.Equal("FineTune.Job.Failed", error.ErrorId);
        Assert.Contains("Line 12 is missing an assistant message.", error.Message);
        Assert.Contains("invalid_training_file", error.Message);
        Assert.Equal(created.Id, error.Target);
    }

    [Fact]
    public async Task AnUnknownStatusIsWaitedThroughNotTreatedAsTheEnd()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeJob job = f.Jobs.Add("queued")
            .ThenStatus("provisioning_gpus_v2").Then(_ => { }).Then(_ => { }).ThenStatus("succeeded");

        Job final = await f.JobsClient.WaitAsync(job.Id, JobsFixture.Policy(), null, null, CancellationToken.None);

        Assert.Equal("succeeded", final.Status);
        Assert.Equal(4, f.Server.Requests.Count(r => r.Path.EndsWith(job.Id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WaitTimesOutWithoutTouchingTheJob()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeJob job = f.Jobs.Add("running");

        FineTuneException ex = await Assert.ThrowsAsync<FineTuneException>(() =>
            f.JobsClient.WaitAsync(job.Id, JobsFixture.Policy(TimeSpan.FromSeconds(10)), null, null, CancellationToken.None));

        Assert.Equal("FineTune.Job.WaitTimeout", ex.ErrorId);
        Assert.Equal(10.0, f.WaitDelays.Sum(d => d.TotalSeconds));
        Assert.DoesNotContain(f.Server.Requests, r => r.Method != "GET");
    }

    [Fact]
    public async Task ListPagesThroughSeveralPagesNewestFirst()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        for (int i = 0; i < 7; i++)
        {
            f.Jobs.Add(i % 2 == 0 ? "succeeded" : "running");
        }
        f.Jobs.MaxPageSize = 3;

        List<Job> all = await JobsFixture.ToListAsync(f.JobsClient.ListAsync(new JobListFilter(), CancellationToken.None));

        Assert.Equal(Enumerable.Range(1, 7).Reverse().Select(i => $"ftjob-{i:D4}"), all.Select(j => j.Id));
        Assert.Equal(new[] { "?limit=100", "?limit=100&after=ftjob-0005", "?limit=100&after=ftjob-0002" },
            f.Server.Requests.Select(r => r.QueryString));
    }

    [Fact]
    public async Task FirstStopsEarlyAndStatusFiltersAcrossPages()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        for (int i = 0; i < 7; i++)
        {
            f.Jobs.Add(i % 2 == 0 ? "succeeded" : "running");
        }
        f.Jobs.MaxPageSize = 2;

        List<Job> firstTwo = await JobsFixture.ToListAsync(f.JobsClient.ListAsync(new JobListFilter { First = 2 }, CancellationToken.None));
        Assert.Equal(new[] { "ftjob-0007", "ftjob-0006" }, firstTwo.Select(j => j.Id));
        Assert.Single(f.Server.Requests);

        var filter = new JobListFilter();
        filter.Statuses.Add("Running");
        List<Job> running = await JobsFixture.ToListAsync(f.JobsClient.ListAsync(filter, CancellationToken.None));
        Assert.Equal(new[] { "ftjob-0006", "ftjob-0004", "ftjob-0002" }, running.Select(j => j.Id));
    }

    [Fact]
    public async Task MetadataFiltersAreSentToTheServiceAndCheckedHere()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        f.Jobs.Add("running", metadata: new Dictionary<string, string> { ["team"] = "it" });
        f.Jobs.Add("running", metadata: new Dictionary<string, string> { ["team"] = "hr" });
        var filter = new JobListFilter();
        filter.Metadata["team"] = "it";

        List<Job> jobs = await JobsFixture.ToListAsync(f.JobsClient.ListAsync(filter, CancellationToken.None));

        Assert.Equal("ftjob-0001", Assert.Single(jobs).Id);
        Assert.Contains("metadata%5Bteam%5D=it", Assert.Single(f.Server.Requests).QueryString);
    }

    [Fact]
    public async Task CancelPauseAndResumeChangeTheJobAndServiceRefusalsCarryTheReason()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeJob job = f.Jobs.Add("running");

        Assert.Equal("paused", (await f.JobsClient.PauseAsync(job.Id, CancellationToken.None)).Status);
        Assert.Equal("running", (await f.JobsClient.ResumeAsync(job.Id, CancellationToken.None)).Status);
        Assert.Equal("cancelled", (await f.JobsClient.CancelAsync(job.Id, CancellationToken.None)).Status);
        ServiceException refused = await Assert.ThrowsAsync<ServiceException>(() => f.JobsClient.ResumeAsync(job.Id, CancellationToken.None));

        Assert.Equal(400, refused.StatusCode);
        Assert.Contains("this one is cancelled", refused.ServiceMessage);
        Assert.Equal(job.Id, refused.Target);
        Assert.Equal(new[] { "pause", "resume", "cancel", "resume" }, f.Server.Requests.Select(r => r.Path.Split('/').Last()));
    }

    [Fact]
    public async Task AMissingJobIsNotFoundNamingTheJob()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        ServiceException ex = await Assert.ThrowsAsync<ServiceException>(() => f.JobsClient.GetAsync("ftjob-nope", CancellationToken.None));
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("ftjob-nope", ex.Target);
        Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
    }

    [Fact]
    public async Task EventsComeOldestFirstAndNewestLimitsToTheLatest()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeJob job = f.Jobs.Add("running");
        for (int i = 1; i <= 5; i++)
        {
            job.AddEvent("event " + i);
        }
        f.Jobs.MaxPageSize = 2;

        IReadOnlyList<JobEvent> all = await f.JobsClient.GetEventsAsync(job.Id, null, CancellationToken.None);
        IReadOnlyList<JobEvent> latest = await f.JobsClient.GetEventsAsync(job.Id, 3, CancellationToken.None);

        Assert.Equal(new[] { "event 1", "event 2", "event 3", "event 4", "event 5" }, all.Select(e => e.Message));
        Assert.Equal(new[] { "event 3", "event 4", "event 5" }, latest.Select(e => e.Message));
        Assert.All(all, e => Assert.Equal(job.Id, e.JobId));
    }

    [Fact]
    public async Task FollowingStreamsEachEventOnceInOrderUntilTheJobEnds()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeJob job = f.Jobs.Add("running");
        job.AddEvent("Fine-tuning job started");
        job.Then(j => j.AddStep(1, 3, 1.0))
            .Then(_ => { })
            .Then(j => { j.AddStep(2, 3, 0.8); j.AddStep(3, 3, 0.7); })
            .Then(j => { j.Status = "succeeded"; j.AddEvent("The job has successfully completed"); });
        f.Jobs.MaxPageSize = 2;
        var seen = new List<(string Message, DateTimeOffset At)>();

        await f.JobsClient.WaitAsync(job.Id, JobsFixture.Policy(), null, e => seen.Add((e.Message!, f.Now)), CancellationToken.None);

        Assert.Equal(new[] { "Fine-tuning job started", "Step 1/3: training loss=1.000", "Step 2/3: training loss=0.800", "Step 3/3: training loss=0.700", "The job has successfully completed" },
            seen.Select(s => s.Message));
        // Streamed as they arrive: the later events are reported after later polls, not all at the end.
        Assert.True(seen[1].At < seen[2].At);
        Assert.True(seen[3].At < seen[4].At);
    }

    [Fact]
    public async Task CheckpointsAreListed()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeJob job = f.Jobs.Add("succeeded");
        foreach (int step in new[] { 10, 20 })
        {
            job.Checkpoints.Add(new JsonObject
            {
                ["object"] = "fine_tuning.job.checkpoint",
                ["id"] = "ftckpt_" + step,
                ["created_at"] = 1_712_211_699 + step,
                ["fine_tuned_model_checkpoint"] = $"ft:gpt-4o-mini:org::abc:ckpt-step-{step}",
                ["fine_tuning_job_id"] = job.Id,
                ["metrics"] = new JsonObject { ["step"] = step, ["train_loss"] = 1.0 / step },
                ["step_number"] = step,
            });
        }

        List<Checkpoint> checkpoints = await JobsFixture.ToListAsync(f.JobsClient.ListCheckpointsAsync(job.Id, null, CancellationToken.None));

        Assert.Equal(new int?[] { 20, 10 }, checkpoints.Select(c => c.Step));
        Assert.Equal("ft:gpt-4o-mini:org::abc:ckpt-step-20", checkpoints[0].FineTunedModelCheckpoint);
        Assert.Equal(0.05, checkpoints[0].TrainLoss);
    }

    [Fact]
    public async Task MetricsAreReadFromTheResultFile()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeJob job = f.Jobs.Add("succeeded");
        string csv = "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n1,1.9,0.4,2.0,0.38\n2,1.4,0.55,,\n3,0.9,0.7,1.1,0.66\n";
        job.ResultFiles.Add(f.Server.Files.Add("step_metrics.csv", "fine-tune-results", Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(csv)))).Id);

        List<MetricStep> steps = await JobsFixture.ToListAsync(f.JobsClient.GetMetricsAsync(job.Id, CancellationToken.None));

        Assert.Equal(new[] { 1, 2, 3 }, steps.Select(s => s.Step));
        Assert.Equal(new double?[] { 1.9, 1.4, 0.9 }, steps.Select(s => s.TrainLoss));
        Assert.Equal(new double?[] { 0.38, null, 0.66 }, steps.Select(s => s.ValidMeanTokenAccuracy));
        Assert.All(steps, s => Assert.Equal(job.Id, s.JobId));
        Assert.Equal(job.ResultFiles[0], steps[0].ResultFile);
    }

    [Fact]
    public async Task MetricsOfAJobWithoutResultFileIsAClearError()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeJob job = f.Jobs.Add("running");

        FineTuneException ex = await Assert.ThrowsAsync<FineTuneException>(() => JobsFixture.ToListAsync(f.JobsClient.GetMetricsAsync(job.Id, CancellationToken.None)));

        Assert.Equal("FineTune.Job.NoResultFile", ex.ErrorId);
        Assert.Contains("'running'", ex.Message);
        Assert.Contains("Wait-FineTuneJob", ex.RecommendedAction);
    }

    [Fact]
    public async Task AzureUsesItsUrlShapeAndKeyHeaderForJobs()
    {
        await using JobsFixture f = await JobsFixture.StartAsync(ServiceProvider.AzureOpenAI);
        FakeJob job = f.Jobs.Add("running");

        Job read = await f.JobsClient.GetAsync(job.Id, CancellationToken.None);
        Job created = await f.JobsClient.CreateAsync(Options(), CancellationToken.None);

        Assert.Equal(job.Id, read.Id);
        Assert.Equal("validating_files", created.Status);
        RecordedRequest[] requests = f.Server.Requests.ToArray();
        Assert.Equal($"GET /openai/fine_tuning/jobs/{job.Id}?api-version={ServiceConnectionSettings.DatedAzureApiVersion}", requests[0].ToString());
        Assert.Equal($"POST /openai/fine_tuning/jobs?api-version={ServiceConnectionSettings.DatedAzureApiVersion}", requests[1].ToString());
        Assert.All(requests, r =>
        {
            Assert.Equal(FakeOpenAiServer.DefaultApiKey, r.Header("api-key"));
            Assert.Null(r.Header("Authorization"));
        });
    }

    [Fact]
    public async Task ACreateThatTimesOutIsLookedUpBeforeItIsRepeated()
    {
        var jobs = new FakeJobs();
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { Routes = jobs.Map });
        // The first create hangs past the client's timeout and is abandoned before the server acts on it.
        server.AddFault(Fault.Hang()).For("POST", "/fine_tuning/jobs");
        using ServiceConnection connection = server.Connect(configure: s => s.Timeout = TimeSpan.FromSeconds(2));

        Job job = await new JobsClient(new ServiceClient(connection)).CreateAsync(Options(), CancellationToken.None);

        Assert.Equal(job.Id, Assert.Single(jobs.Jobs).Id);
        Assert.Equal(new[] { "POST" }.Concat(Enumerable.Repeat("GET", 7)).Append("POST"), server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task CtrlCStopsAWaitPromptly()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeJob job = f.Jobs.Add("running");
        using var stop = new CancellationTokenSource();
        // The first poll's events request hangs; Ctrl+C arrives while it is in flight.
        f.Server.AddFault(Fault.Hang()).For("GET", "/fine_tuning/jobs/" + job.Id + "/events");
        int polls = 0;

        Task wait = f.JobsClient.WaitAsync(job.Id, JobsFixture.Policy(), _ => polls++, _ => { }, stop.Token);
        await Task.Delay(200);
        Assert.False(wait.IsCompleted);
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, polls);
    }

    [Fact]
    public async Task AHostWithoutTheEventsEndpointIsWaitedOnByStatus()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeJob job = f.Jobs.Add("running").ThenStatus("running").ThenStatus("succeeded");
        f.Server.AddFault(Fault.Status(404, message: "Not found").Repeat(10)).For("GET", "/events");
        var progress = new List<string>();

        Job final = await f.JobsClient.WaitAsync(job.Id, JobsFixture.Policy(), p => progress.Add(p.Status), _ => { }, CancellationToken.None);

        Assert.Equal("succeeded", final.Status);
        Assert.Equal(new[] { "running", "succeeded" }, progress);
        Assert.Single(f.Server.Requests, r => r.Path.EndsWith("/events", StringComparison.Ordinal));
        Assert.Contains(f.Log, line => line.Contains("waiting on its status alone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WaitingOnlyForNewEventsSkipsTheOldOnesButKeepsTheirStep()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeJob job = f.Jobs.Add("running");
        job.AddEvent("Fine-tuning job started");
        job.AddStep(7, 10, 0.5);
        job.Then(_ => { }).Then(j => { j.AddStep(10, 10, 0.4); j.Status = "succeeded"; });
        var events = new List<string>();
        var steps = new List<int?>();

        await f.JobsClient.WaitAsync(job.Id, JobsFixture.Policy(), p => steps.Add(p.Step), e => events.Add(e.Message!), CancellationToken.None, initialEvents: 0);

        Assert.Equal(new[] { "Step 10/10: training loss=0.400" }, events);
        Assert.Equal(new int?[] { 7, 10 }, steps);
    }
}
