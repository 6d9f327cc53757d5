using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Jobs;
using FineTune.Tests.Service.Fakes;

namespace FineTune.Tests.Service.Jobs;

/// <summary>A fake server with the jobs routes and a client whose waits are recorded instead of slept.</summary>
internal sealed class JobsFixture : IAsyncDisposable
{
    private JobsFixture(FakeOpenAiServer server, FakeJobs jobs, ServiceConnection connection)
    {
        Server = server;
        Jobs = jobs;
        Connection = connection;
        Client = new ServiceClient(connection, Log.Add);
        Now = DateTimeOffset.FromUnixTimeSeconds(1_721_764_800);
        JobsClient = new JobsClient(Client, (delay, token) =>
        {
            token.ThrowIfCancellationRequested();
            WaitDelays.Add(delay);
            Now += delay;
            return Task.CompletedTask;
        }, () => Now);
    }

    public FakeOpenAiServer Server { get; }

    public FakeJobs Jobs { get; }

    public ServiceConnection Connection { get; }

    public ServiceClient Client { get; }

    public JobsClient JobsClient { get; }

    public List<string> Log { get; } = new();

    public List<TimeSpan> WaitDelays { get; } = new();

    public DateTimeOffset Now { get; private set; }

    public static async Task<JobsFixture> StartAsync(ServiceProvider provider = ServiceProvider.OpenAI, int maxRetries = 2, TimeSpan listLag = default)
    {
        var jobs = new FakeJobs();
        FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { Provider = provider, Routes = jobs.Map, ListLag = listLag });
        jobs.Server = server;
        return new JobsFixture(server, jobs, server.Connect(maxRetries));
    }

    public static JobWaitPolicy Policy(TimeSpan? timeout = null) => new()
    {
        InitialInterval = TimeSpan.FromSeconds(1),
        MaxInterval = TimeSpan.FromSeconds(8),
        Multiplier = 2,
        Timeout = timeout,
    };

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (T item in items)
        {
            list.Add(item);
        }
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        Connection.Dispose();
        await Server.DisposeAsync();
    }
}
