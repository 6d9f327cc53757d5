using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Evaluation;
using FineTune.Service;
using FineTune.Service.Chat;
using FineTune.Tests.Service.Fakes;
using FineTune.Tests.Service.Jobs;

namespace FineTune.Tests.Evaluation;

/// <summary>A fake server with the deterministic chat models and the jobs API, a client whose retries record instead of sleep, and a folder for test sets.</summary>
internal sealed class EvaluationFixture : IAsyncDisposable
{
    public const string Base = "gpt-4o-mini-2024-07-18";
    public const string Tuned = "ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123";

    private EvaluationFixture(FakeOpenAiServer server, FakeChat chat, FakeJobs jobs, ServiceConnection connection)
    {
        Server = server;
        Chat = chat;
        Jobs = jobs;
        Connection = connection;
        Client = new ServiceClient(connection, Log.Add);
    }

    public FakeOpenAiServer Server { get; }

    public FakeChat Chat { get; }

    public FakeJobs Jobs { get; }

    public ServiceConnection Connection { get; }

    public ServiceClient Client { get; }

    public List<string> Log { get; } = new();

    public string Folder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "finetune-eval-" + Guid.NewGuid().ToString("N"))).FullName;

    public static async Task<EvaluationFixture> StartAsync(int maxRetries = 2)
    {
        var chat = new FakeChat();
        var jobs = new FakeJobs { MapsChat = false };
        FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { Routes = api => { chat.Map(api); jobs.Map(api); } });
        return new EvaluationFixture(server, chat, jobs, server.Connect(maxRetries));
    }

    /// <summary>A chat example line: a system message, the question, the expected answer.</summary>
    public static string Line(string question, string answer) => new JsonObject
    {
        ["messages"] = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = "You answer IT support questions." },
            new JsonObject { ["role"] = "user", ["content"] = question },
            new JsonObject { ["role"] = "assistant", ["content"] = answer }),
    }.ToJsonString();

    /// <summary>Writes a test set of <paramref name="count"/> questions the tuned fake knows, and returns its path.</summary>
    public string TestSet(int count, string name = "test.jsonl")
    {
        var lines = new List<string>();
        for (int i = 1; i <= count; i++)
        {
            string question = $"Question {i}: my VPN drops every {i} minutes.";
            string answer = $"Reinstall the VPN client {i}. Then restart.";
            Chat.Memory[question] = answer;
            lines.Add(Line(question, answer));
        }
        return Write(name, lines);
    }

    public string Write(string name, IEnumerable<string> lines)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    public ModelComparer Comparer(ComparisonOptions options) => new(new ChatClient(Client), options);

    /// <summary>Runs a comparison over a file and collects what it hands on, in order.</summary>
    public async Task<Run> CompareAsync(string path, ComparisonOptions options, CancellationToken cancellationToken = default)
    {
        ModelComparer comparer = Comparer(options);
        var run = new Run();
        comparer.Result = result => { lock (run) { run.Items.Add(result); } };
        comparer.InvalidInput = error => { lock (run) { run.Items.Add(error); } };
        comparer.Progress = progress => { lock (run) { run.Progress.Add(progress); } };
        await comparer.RunAsync(Async(TestSetReader.Read(path, cancellationToken)), cancellationToken);
        return run;
    }

    public static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (T item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
        await Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Connection.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal sealed class Run
    {
        /// <summary>Results and input errors in the order they were handed on.</summary>
        public List<object> Items { get; } = new();

        public List<ComparisonProgress> Progress { get; } = new();

        public List<ComparisonResult> Results => Items.OfType<ComparisonResult>().ToList();

        public List<FineTuneException> Errors => Items.OfType<FineTuneException>().ToList();
    }
}
