using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service.Archive;
using FineTune.Tests.Service.Fakes;
using FineTune.Tests.Service.Jobs;

namespace FineTune.Tests.Service.Archive;

/// <summary>
/// An account on the fake server worth archiving, listed newest first as ftjob-0004 .. ftjob-0001:
/// <list type="bullet">
/// <item>ftjob-0001: succeeded, supervised, training + validation file, 5 events, 2 checkpoints, a plain CSV result file;</item>
/// <item>ftjob-0002: succeeded, DPO, the same training file as ftjob-0001, a base64-encoded result file;</item>
/// <item>ftjob-0003: failed, its result file no longer served (404);</item>
/// <item>ftjob-0004: still running, no result file yet.</item>
/// </list>
/// </summary>
internal sealed class ArchiveAccount
{
    public const string ResultCsv = "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,full_valid_loss,tokens_seen\n"
        + "1,1.5,0.5,,,,100\n2,1.0,0.6,1.1,0.55,,200\n3,0.5,0.8,0.7,0.7,0.72,300\n";

    public const string GoneFileId = "file-gone";

    private ArchiveAccount(JobsFixture fixture)
    {
        Fixture = fixture;
    }

    public JobsFixture Fixture { get; }

    public FakeFiles.StoredFile Training { get; private set; } = null!;

    public FakeFiles.StoredFile Validation { get; private set; } = null!;

    public FakeFiles.StoredFile Result1 { get; private set; } = null!;

    public FakeFiles.StoredFile Result2 { get; private set; } = null!;

    public FakeJob Supervised { get; private set; } = null!;

    public FakeJob Dpo { get; private set; } = null!;

    public FakeJob Failed { get; private set; } = null!;

    public FakeJob Running { get; private set; } = null!;

    public static ArchiveAccount Seed(JobsFixture f)
    {
        var account = new ArchiveAccount(f);
        FakeFiles files = f.Server.Files;
        account.Training = files.Add("helpdesk train.jsonl", "fine-tune", Lines(12, "train"));
        account.Validation = files.Add("valid.jsonl", "fine-tune", Lines(3, "valid"));

        FakeJob supervised = f.Jobs.Add("running");
        supervised.TrainingFile = account.Training.Id;
        supervised.ValidationFile = account.Validation.Id;
        supervised.Suffix = "helpdesk";
        supervised.Seed = 42;
        supervised.Method = Method("supervised", new JsonObject { ["n_epochs"] = 2, ["batch_size"] = "auto", ["learning_rate_multiplier"] = "auto" });
        supervised.AddEvent("Created fine-tuning job");
        supervised.AddStep(1, 3, 1.5);
        supervised.AddStep(2, 3, 1.0);
        supervised.AddStep(3, 3, 0.5);
        supervised.AddCheckpoint(2, 1.0);
        supervised.AddCheckpoint(3, 0.5);
        account.Result1 = supervised.Succeed(files, ResultCsv);
        account.Supervised = supervised;

        FakeJob dpo = f.Jobs.Add("running");
        dpo.TrainingFile = account.Training.Id;
        dpo.ValidationFile = null;
        dpo.Suffix = "prefs";
        dpo.Method = Method("dpo", new JsonObject { ["n_epochs"] = 1, ["batch_size"] = 4, ["learning_rate_multiplier"] = 0.5, ["beta"] = 0.2 });
        dpo.AddEvent("Created fine-tuning job");
        account.Result2 = dpo.Succeed(files, ResultCsv, base64: true);
        account.Dpo = dpo;

        FakeJob failed = f.Jobs.Add("failed");
        failed.TrainingFile = account.Training.Id;
        failed.ResultFiles.Add(GoneFileId);
        failed.Error = new JsonObject { ["code"] = "invalid_training_file", ["message"] = "Line 4 has no assistant message.", ["param"] = "training_file" };
        failed.AddEvent("Line 4 has no assistant message.", "error");
        account.Failed = failed;

        FakeJob running = f.Jobs.Add("running");
        running.TrainingFile = account.Validation.Id;
        running.AddEvent("Created fine-tuning job");
        running.AddStep(1, 10, 2.0);
        account.Running = running;
        return account;
    }

    public static JsonObject Method(string type, JsonObject hyperparameters) => new()
    {
        ["type"] = type,
        [type] = new JsonObject { ["hyperparameters"] = hyperparameters },
    };

    public static byte[] Lines(int count, string tag) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, count).Select(i =>
        $"{{\"messages\":[{{\"role\":\"user\",\"content\":\"{tag} question {i} é\"}},{{\"role\":\"assistant\",\"content\":\"{tag} answer {i}\"}}]}}\n")));

    /// <summary>What Export-FineTuneArchive does: list every job, plan and archive each; returns the results and the problems reported.</summary>
    public static async Task<Run> ExportAsync(ArchiveExporter exporter, CancellationToken cancellationToken = default)
    {
        var run = new Run();
        var observer = new ArchiveObserver { Problem = run.Problems.Add, Warning = run.Warnings.Add };
        foreach (Job job in await exporter.ListJobsAsync(cancellationToken))
        {
            JobArchivePlan plan = await exporter.PlanAsync(job, cancellationToken);
            run.Plans.Add(plan);
            run.Results.Add(plan.HasWork ? await exporter.ExecuteAsync(plan, observer, cancellationToken) : plan.UnchangedResult());
        }
        return run;
    }

    /// <summary>How often the fake served each path (GET requests only).</summary>
    public Dictionary<string, int> Gets() => Fixture.Server.Requests.Where(r => r.Method == "GET")
        .GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.Count());

    public int Downloads(string fileId) => Gets().TryGetValue($"/v1/files/{fileId}/content", out int count) ? count : 0;

    public sealed class Run
    {
        public List<JobArchivePlan> Plans { get; } = new();

        public List<JobArchiveResult> Results { get; } = new();

        public List<FineTuneException> Problems { get; } = new();

        public List<string> Warnings { get; } = new();

        public JobArchiveResult Result(string jobId) => Results.Single(r => r.JobId == jobId);
    }
}
