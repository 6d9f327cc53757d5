using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Chat;
using FineTune.Service.Jobs;
using FineTune.Service.Models;
using FineTune.Tests.Service.Contract;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

/// <summary>Every request the jobs, models and chat operations send, checked by Prism against OpenAI's official spec.</summary>
[Collection(PrismCollection.Name)]
public sealed class JobsContractTests
{
    private readonly PrismFixture _prism;

    public JobsContractTests(PrismFixture prism)
    {
        _prism = prism;
    }

    private async Task Conforms(Func<ServiceClient, Task> operation)
    {
        int mark = _prism.Mark();
        using ServiceConnection connection = _prism.Connect();
        await operation(new ServiceClient(connection));
        _prism.AssertNoViolationsSince(mark);
    }

    /// <summary>
    /// Prism answers every list with the same placeholder page that says more follow, which the
    /// client stops as a listing without end after asking for the second page; the requests, the
    /// second page's included, are what is checked here.
    /// </summary>
    private static async Task UntilThePlaceholderPageRepeats(Func<Task> listing)
    {
        try
        {
            await listing();
        }
        catch (ServiceException ex) when (ex.ErrorId == ServiceErrorIds.InvalidResponse && ex.Message.Contains("repeats the page before", StringComparison.Ordinal))
        {
            Assert.Contains("after=", ex.RequestUri!.Query, StringComparison.Ordinal);
        }
    }

    private static JobsClient Jobs(ServiceClient client) =>
        new(client, (delay, token) => Task.CompletedTask, () => DateTimeOffset.UtcNow);

    private static JobCreateOptions Options(FineTuneMethod method)
    {
        var options = new JobCreateOptions
        {
            Model = "gpt-4o-mini-2024-07-18",
            TrainingFile = "file-abc123",
            ValidationFile = "file-def456",
            Method = method,
            Suffix = "helpdesk",
            Seed = 42,
            Epochs = 3,
            BatchSize = 8,
            LearningRateMultiplier = 1.8,
        };
        options.Metadata["team"] = "it";
        options.Integrations.Add(new WandbIntegration("fine-tunes", "run-1", "my-team", new[] { "helpdesk" }));
        return options;
    }

    [Fact]
    public Task CreateSupervisedWithEveryOption() => Conforms(async client =>
        Assert.False(string.IsNullOrEmpty((await Jobs(client).CreateAsync(Options(FineTuneMethod.Supervised), CancellationToken.None)).Id)));

    [Fact]
    public Task CreateDpoWithBeta() => Conforms(async client =>
    {
        JobCreateOptions options = Options(FineTuneMethod.Dpo);
        options.Beta = 0.1;
        await Jobs(client).CreateAsync(options, CancellationToken.None);
    });

    [Fact]
    public Task CreateReinforcementWithAGrader() => Conforms(async client =>
    {
        JobCreateOptions options = Options(FineTuneMethod.Reinforcement);
        options.GraderJson = """{"type":"string_check","name":"exact","input":"{{sample.output_text}}","reference":"{{item.answer}}","operation":"eq"}""";
        await Jobs(client).CreateAsync(options, CancellationToken.None);
    });

    [Fact]
    public Task CreateWithAllDefaults() => Conforms(async client =>
        await Jobs(client).CreateAsync(new JobCreateOptions { Model = "gpt-4o-mini-2024-07-18", TrainingFile = "file-abc123" }, CancellationToken.None));

    [Fact]
    public Task ListWithMetadataFilterAndPaging() => Conforms(async client =>
    {
        var filter = new JobListFilter { First = 3 };
        filter.Metadata["team"] = "it";
        filter.Metadata["finetune_request_id"] = "ftreq_0123";
        var jobs = new List<Job>();
        await UntilThePlaceholderPageRepeats(async () =>
        {
            await foreach (Job job in Jobs(client).ListAsync(filter, CancellationToken.None))
            {
                jobs.Add(job);
            }
        });
    });

    [Fact]
    public Task ListWithStatusFilter() => Conforms(async client =>
    {
        var filter = new JobListFilter { First = 2 };
        filter.Statuses.Add("running");
        await UntilThePlaceholderPageRepeats(async () =>
        {
            await foreach (Job job in Jobs(client).ListAsync(filter, CancellationToken.None))
            {
                Assert.Equal("running", job.Status);
            }
        });
    });

    [Fact]
    public Task Retrieve() => Conforms(async client =>
        await Jobs(client).GetAsync("ftjob-abc123", CancellationToken.None));

    [Fact]
    public Task Cancel() => Conforms(async client => await Jobs(client).CancelAsync("ftjob-abc123", CancellationToken.None));

    [Fact]
    public Task Pause() => Conforms(async client => await Jobs(client).PauseAsync("ftjob-abc123", CancellationToken.None));

    [Fact]
    public Task Resume() => Conforms(async client => await Jobs(client).ResumeAsync("ftjob-abc123", CancellationToken.None));

    [Fact]
    public Task Events() => Conforms(client => UntilThePlaceholderPageRepeats(() =>
        Jobs(client).GetEventsAsync("ftjob-abc123", 5, CancellationToken.None)));

    [Fact]
    public Task WaitPollsJobAndEvents() => Conforms(async client =>
    {
        try
        {
            await UntilThePlaceholderPageRepeats(() =>
                Jobs(client).WaitAsync("ftjob-abc123", new JobWaitPolicy { Timeout = TimeSpan.FromMilliseconds(1) }, _ => { }, _ => { }, CancellationToken.None));
        }
        catch (FineTuneException ex) when (ex.ErrorId == "FineTune.Job.WaitTimeout")
        {
            // Prism's placeholder job may never end; the requests are what is checked here.
        }
    });

    [Fact]
    public Task Checkpoints() => Conforms(async client =>
    {
        await UntilThePlaceholderPageRepeats(async () =>
        {
            await foreach (Checkpoint checkpoint in Jobs(client).ListCheckpointsAsync("ftjob-abc123", 2, CancellationToken.None))
            {
                Assert.NotNull(checkpoint.Id);
            }
        });
    });

    [Fact]
    public Task DeleteModel() => Conforms(async client =>
        await new ModelsClient(client).DeleteAsync("ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123", CancellationToken.None));

    [Fact]
    public Task Chat() => Conforms(async client =>
        await new ChatClient(client).CompleteAsync("ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123",
            new List<ChatTurn> { new("system", "You answer IT questions."), new("user", "My VPN drops.") }, 0.2, 100, CancellationToken.None));
}
