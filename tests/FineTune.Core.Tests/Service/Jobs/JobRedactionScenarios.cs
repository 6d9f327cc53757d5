using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Chat;
using FineTune.Service.Jobs;
using FineTune.Service.Models;
using FineTune.Tests.Service.Fakes;
using FineTune.Tests.Service.Redaction;

namespace FineTune.Tests.Service.Jobs;

/// <summary>What the job, event, checkpoint, metric, model and chat cmdlets do with a connection, for the key-redaction test.</summary>
public sealed class JobRedactionScenarios : IRedactionScenarios
{
    // Each run starts a fresh server; Configure gives it fresh job routes before Run uses them.
    private FakeJobs _jobs = new();

    public IEnumerable<RedactionScenario> Scenarios
    {
        get
        {
            yield return Scenario("New-FineTuneJob", async (jobs, server, client, token) =>
                await new JobsClient(client).CreateAsync(new JobCreateOptions { Model = "gpt-4o-mini-2024-07-18", TrainingFile = "file-train" }, token));
            yield return Scenario("New-FineTuneJob (Azure)", async (jobs, server, client, token) =>
                await new JobsClient(client).CreateAsync(new JobCreateOptions { Model = "gpt-4o-mini-2024-07-18", TrainingFile = "file-train" }, token),
                ServiceProvider.AzureOpenAI);
            yield return Scenario("Get-FineTuneJob", async (jobs, server, client, token) =>
            {
                jobs.Add("running");
                var list = new List<Job>();
                var filter = new JobListFilter();
                filter.Statuses.Add("running");
                await foreach (Job job in new JobsClient(client).ListAsync(filter, token))
                {
                    list.Add(job);
                }
                return list;
            });
            yield return Scenario("Get-FineTuneJob -Id", async (jobs, server, client, token) =>
                await new JobsClient(client).GetAsync(jobs.Add("running").Id, token));
            yield return Scenario("Stop-FineTuneJob", async (jobs, server, client, token) =>
                await new JobsClient(client).CancelAsync(jobs.Add("running").Id, token));
            yield return Scenario("Suspend-FineTuneJob", async (jobs, server, client, token) =>
                await new JobsClient(client).PauseAsync(jobs.Add("running").Id, token));
            yield return Scenario("Resume-FineTuneJob", async (jobs, server, client, token) =>
                await new JobsClient(client).ResumeAsync(jobs.Add("paused").Id, token));
            yield return Scenario("Wait-FineTuneJob", async (jobs, server, client, token) =>
            {
                FakeJob job = jobs.Add("running").ThenStatus("running").ThenStatus("failed", "Training failed");
                var seen = new List<object?>();
                Job final = await new JobsClient(client).WaitAsync(job.Id, new JobWaitPolicy(), seen.Add, seen.Add, token);
                seen.Add(final);
                seen.Add(JobFailure.ToException(final)?.Message);
                return seen;
            });
            yield return Scenario("Get-FineTuneEvent", async (jobs, server, client, token) =>
            {
                FakeJob job = jobs.Add("running");
                job.AddStep(1, 10, 1.5);
                return await new JobsClient(client).GetEventsAsync(job.Id, null, token);
            });
            yield return Scenario("Get-FineTuneCheckpoint", async (jobs, server, client, token) =>
            {
                var list = new List<Checkpoint>();
                await foreach (Checkpoint checkpoint in new JobsClient(client).ListCheckpointsAsync(jobs.Add("succeeded").Id, null, token))
                {
                    list.Add(checkpoint);
                }
                return list;
            });
            yield return Scenario("Get-FineTuneMetric", async (jobs, server, client, token) =>
            {
                FakeJob job = jobs.Add("succeeded");
                job.ResultFiles.Add(server.Files.Add("step_metrics.csv", "fine-tune-results", Encoding.UTF8.GetBytes("step,train_loss\n1,0.5\n")).Id);
                var list = new List<MetricStep>();
                await foreach (MetricStep step in new JobsClient(client).GetMetricsAsync(job.Id, token))
                {
                    list.Add(step);
                }
                return list;
            });
            yield return Scenario("Remove-FineTuneModel", async (jobs, server, client, token) =>
                await new ModelsClient(client).DeleteAsync("ft:gpt-4o-mini:org::abc", token));
            yield return Scenario("Invoke-FineTuneChat", async (jobs, server, client, token) =>
                await new ChatClient(client).CompleteAsync("ft:gpt-4o-mini:org::abc", new List<ChatTurn> { new("user", "Hi") }, null, null, token));
            yield return Scenario("Invoke-FineTuneChat (Azure)", async (jobs, server, client, token) =>
                await new ChatClient(client).CompleteAsync("helpdesk", new List<ChatTurn> { new("user", "Hi") }, null, null, token),
                ServiceProvider.AzureOpenAI);
        }
    }

    private RedactionScenario Scenario(string name, Func<FakeJobs, FakeOpenAiServer, ServiceClient, CancellationToken, Task<object?>> run, ServiceProvider provider = ServiceProvider.OpenAI) =>
        new(name, (server, client, temp, token) => run(_jobs, server, client, token), provider, options =>
        {
            _jobs = new FakeJobs();
            options.Routes = _jobs.Map;
        });
}
