using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Jobs;
using FineTune.Tests.Service.Fakes;
using FineTune.Tests.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Identity;

/// <summary>The promise a runbook relies on: a wait longer than a token's life never fails on an expired token.</summary>
public sealed class LongWaitTests
{
    [Fact]
    public async Task AWaitThatOutlivesThreeTokenLifetimesEndsWithoutAnError()
    {
        TimeSpan lifetime = TimeSpan.FromSeconds(2);
        var jobs = new FakeJobs();
        var identity = new FakeIdentityEndpoint { Lifetime = lifetime };
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions
        {
            Provider = ServiceProvider.AzureOpenAI, ApiVersion = null, Identity = identity, Routes = jobs.Map,
        });
        using ServiceConnection connection = server.Connect(maxRetries: 0);
        var log = new List<string>();
        var client = new ServiceClient(connection, line => { lock (log) { log.Add(line); } });
        DateTimeOffset started = DateTimeOffset.UtcNow;
        DateTimeOffset finishAfter = started + TimeSpan.FromTicks(lifetime.Ticks * 3) + TimeSpan.FromSeconds(1);
        FakeJob job = jobs.Add("pending", "gpt-4.1-mini-2025-04-14");
        void KeepRunning(FakeJob j)
        {
            if (DateTimeOffset.UtcNow < finishAfter)
            {
                j.Status = "running";
                j.OnRetrieve.Enqueue(KeepRunning);
            }
            else
            {
                j.Status = "succeeded";
                j.FineTunedModel = "gpt-4.1-mini-2025-04-14.ft-abc";
            }
        }
        job.OnRetrieve.Enqueue(KeepRunning);
        var waiting = new JobsClient(client, (delay, token) => Task.Delay(delay, token), () => DateTimeOffset.UtcNow);

        Job done = await waiting.WaitAsync(job.Id, new JobWaitPolicy { InitialInterval = TimeSpan.FromMilliseconds(300), MaxInterval = TimeSpan.FromMilliseconds(300), Timeout = TimeSpan.FromMinutes(2) },
            null, null, CancellationToken.None);

        Assert.Equal("succeeded", done.Status);
        Assert.True(DateTimeOffset.UtcNow - started > TimeSpan.FromTicks(lifetime.Ticks * 3));
        Assert.True(identity.Issued >= 3, $"only {identity.Issued} tokens were issued");
        Assert.Equal(0, identity.ExpiredUses);
        Assert.All(server.Requests.Where(r => r.Path.StartsWith("/openai", StringComparison.Ordinal)), r => Assert.StartsWith("/openai/v1/fine_tuning/jobs/", r.Path, StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains("eyJ", StringComparison.Ordinal));
    }
}
