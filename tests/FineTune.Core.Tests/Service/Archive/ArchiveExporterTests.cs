using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service.Archive;
using FineTune.Tests.Service.Fakes;
using FineTune.Tests.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Archive;

public sealed class ArchiveExporterTests
{
    [Fact]
    public async Task ArchivesEveryJobWithItsEventsCheckpointsMetricsAndFiles()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        ArchiveAccount account = ArchiveAccount.Seed(f);
        using var temp = new TempFolder();
        string root = temp.File("archive");

        ArchiveAccount.Run run = await ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root));

        Assert.Equal(new[] { "ftjob-0004", "ftjob-0003", "ftjob-0002", "ftjob-0001" }, run.Results.Select(r => r.JobId));
        string job1 = Path.Combine(root, "jobs", "ftjob-0001");
        Assert.Equal(Path.GetFullPath(job1), run.Result("ftjob-0001").Path);
        using (JsonDocument archived = JsonDocument.Parse(File.ReadAllText(Path.Combine(job1, "job.json"))))
        {
            Assert.True(JsonNode.DeepEquals(account.Supervised.ToJson(), JsonNode.Parse(archived.RootElement.GetRawText())));
        }
        string[] events = File.ReadAllLines(Path.Combine(job1, "events.jsonl"));
        Assert.Equal(account.Supervised.Events.Select(e => (string)e["id"]!), events.Select(l => (string)JsonNode.Parse(l)!["id"]!));
        Assert.Equal(new[] { 2, 3 }, File.ReadAllLines(Path.Combine(job1, "checkpoints.jsonl")).Select(l => (int)JsonNode.Parse(l)!["step_number"]!));
        Assert.Equal(new[]
        {
            "result_file,step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,full_valid_loss,full_valid_mean_token_accuracy,tokens_seen",
            $"{account.Result1.Id},1,1.5,0.5,,,,,100",
            $"{account.Result1.Id},2,1,0.6,1.1,0.55,,,200",
            $"{account.Result1.Id},3,0.5,0.8,0.7,0.7,0.72,,300",
        }, File.ReadAllLines(Path.Combine(job1, "metrics.csv")));
        // The base64-encoded result file is kept as served; its metrics are decoded.
        Assert.Equal(account.Result2.Content, File.ReadAllBytes(Path.Combine(root, "files", account.Result2.Id, "step_metrics.csv")));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(root, "jobs", "ftjob-0002", "metrics.csv")).Length);
        Assert.Equal(account.Training.Content, File.ReadAllBytes(Path.Combine(root, "files", account.Training.Id, "helpdesk train.jsonl")));
        Assert.Equal(account.Validation.Content, File.ReadAllBytes(Path.Combine(root, "files", account.Validation.Id, "valid.jsonl")));

        // The training file three jobs share is downloaded once (for ftjob-0003, the first listed that uses it).
        Assert.Equal(1, account.Downloads(account.Training.Id));
        Assert.Equal((4, 0, 0), Counts(run.Result("ftjob-0004")));
        Assert.Equal((4, 0, 2), Counts(run.Result("ftjob-0003")));
        Assert.Equal((5, 1, 0), Counts(run.Result("ftjob-0002")));
        Assert.Equal((5, 2, 0), Counts(run.Result("ftjob-0001")));
        Assert.Equal(new FileInfo(Path.Combine(job1, "events.jsonl")).Length + new FileInfo(Path.Combine(job1, "job.json")).Length
            + new FileInfo(Path.Combine(job1, "checkpoints.jsonl")).Length + new FileInfo(Path.Combine(job1, "metrics.csv")).Length + account.Result1.Content.Length,
            run.Result("ftjob-0001").BytesWritten);
        Assert.Empty(run.Warnings);
        Assert.Empty(Directory.EnumerateFiles(root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AFileTheServiceNoLongerServesIsRecordedAsMissingWithItsReasonAndTheRestGoesOn()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        ArchiveAccount account = ArchiveAccount.Seed(f);
        using var temp = new TempFolder();
        string root = temp.File("archive");

        ArchiveAccount.Run run = await ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root));

        FineTuneException problem = Assert.Single(run.Problems);
        Assert.Equal("FineTune.Archive.NotServed", problem.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, problem.Kind);
        Assert.Equal(ArchiveAccount.GoneFileId, problem.Target);
        Assert.Contains("result file file-gone of job ftjob-0003", problem.Message, StringComparison.Ordinal);
        Assert.Contains("No such File object: file-gone", problem.Message, StringComparison.Ordinal);

        JobArchiveResult failed = run.Result("ftjob-0003");
        Assert.Equal(2, failed.Missing); // the result file, and the metrics made from it
        Assert.Equal(4, failed.Written + failed.Skipped);

        JsonNode job = Manifest(root)["jobs"]!.AsArray().Single(j => (string)j!["id"]! == "ftjob-0003")!;
        JsonNode gone = job["items"]!.AsArray().Single(i => (string)i!["kind"]! == "result_file")!;
        Assert.Equal("missing", (string)gone["state"]!);
        Assert.Equal(404, (int)gone["statusCode"]!);
        Assert.Equal("No such File object: file-gone", (string)gone["reason"]!);
        Assert.Null(gone["path"]);
        JsonNode metrics = job["items"]!.AsArray().Single(i => (string)i!["kind"]! == "metrics")!;
        Assert.Equal("missing", (string)metrics["state"]!);
        Assert.Contains("result file file-gone is not in the archive", (string)metrics["reason"]!, StringComparison.Ordinal);
        Assert.Equal("failed", (string)job["status"]!);
        Assert.True(File.Exists(Path.Combine(root, "jobs", "ftjob-0003", "events.jsonl")));
    }

    [Fact]
    public async Task AFileWhoseDownloadAnswers404IsRecordedAsMissingToo()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        ArchiveAccount account = ArchiveAccount.Seed(f);
        f.Server.AddFault(Fault.Status(404, message: "The file was deleted.")).For("GET", $"/files/{account.Validation.Id}/content");
        using var temp = new TempFolder();
        string root = temp.File("archive");

        ArchiveAccount.Run run = await ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root));

        FineTuneException problem = Assert.Single(run.Problems, p => (string?)p.Target == account.Validation.Id);
        Assert.Contains($"training file {account.Validation.Id} (valid.jsonl) of job ftjob-0004", problem.Message, StringComparison.Ordinal);
        Assert.Contains("The file was deleted", problem.Message, StringComparison.Ordinal);
        // The running job used it as its training file and was archived first: there it is missing; ftjob-0001 fetched it afterwards.
        Assert.Equal(1, run.Result("ftjob-0004").Missing);
        Assert.Equal(0, run.Result("ftjob-0001").Missing);
        Assert.Equal(account.Validation.Content, File.ReadAllBytes(Path.Combine(root, "files", account.Validation.Id, "valid.jsonl")));
    }

    [Fact]
    public async Task ASecondRunFetchesNoFileAgainAndAsksOnlyForWhatCanStillChange()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        ArchiveAccount account = ArchiveAccount.Seed(f);
        using var temp = new TempFolder();
        string root = temp.File("archive");
        await ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root));
        Dictionary<string, int> before = account.Gets();

        ArchiveAccount.Run again = await ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root));

        Dictionary<string, int> asked = account.Gets().ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key));
        var requested = asked.Where(p => p.Value > 0).Select(p => p.Key).OrderBy(p => p, StringComparer.Ordinal).ToList();
        Assert.Equal(new[]
        {
            "/v1/files/file-gone", // still not served: asked again, and reported again
            "/v1/fine_tuning/jobs",
            "/v1/fine_tuning/jobs/ftjob-0004/checkpoints", // still running
            "/v1/fine_tuning/jobs/ftjob-0004/events",
        }, requested);
        Assert.Equal(7, again.Result("ftjob-0001").Skipped);
        Assert.Equal(0, again.Result("ftjob-0001").Written);
        Assert.False(again.Plans.Single(p => p.JobId == "ftjob-0001").HasWork);
        Assert.Equal(3, again.Result("ftjob-0004").Written); // job object, events, checkpoints
        Assert.Single(again.Problems);
    }

    [Fact]
    public async Task AJobThatEndedSinceTheLastRunIsFetchedAgain()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        ArchiveAccount account = ArchiveAccount.Seed(f);
        using var temp = new TempFolder();
        string root = temp.File("archive");
        await ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root));
        account.Running.AddStep(2, 10, 1.0);
        FakeFiles.StoredFile result = account.Running.Succeed(f.Server.Files, ArchiveAccount.ResultCsv);

        ArchiveAccount.Run again = await ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root));

        JobArchivePlan plan = again.Plans.Single(p => p.JobId == "ftjob-0004");
        Assert.Contains("archived while the job was running; it is succeeded now", string.Join("|", plan.Items.Select(i => i.Reason)), StringComparison.Ordinal);
        Assert.Equal(5, again.Result("ftjob-0004").Written); // job object, events, checkpoints, result file, metrics
        Assert.Equal(1, again.Result("ftjob-0004").Skipped); // its training file
        Assert.Equal(account.Running.Events.Count, File.ReadAllLines(Path.Combine(root, "jobs", "ftjob-0004", "events.jsonl")).Length);
        Assert.True(File.Exists(Path.Combine(root, "files", result.Id, "step_metrics.csv")));
    }

    [Fact]
    public async Task AnInterruptedRunLeavesNoHalfFileAndTheNextFetchesOnlyTheRest()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        ArchiveAccount account = ArchiveAccount.Seed(f);
        using var temp = new TempFolder();
        string root = temp.File("archive");
        using var stop = new CancellationTokenSource();
        // Ctrl+C while ftjob-0002's result file is downloading (ftjob-0004 and ftjob-0003 are done by then).
        f.Server.AddFault(Fault.HangAfter(stop.Cancel)).For("GET", $"/files/{account.Result2.Id}/content");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root), stop.Token));

        Assert.Empty(Directory.EnumerateFiles(root, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(root, "files", account.Result2.Id)));
        JsonNode interrupted = Manifest(root)["jobs"]!.AsArray().Single(j => (string)j!["id"]! == "ftjob-0002")!;
        Assert.Null(interrupted["status"]); // not all of it was archived
        Assert.Equal(new[] { "job", "events", "checkpoints", "training_file" }, interrupted["items"]!.AsArray().Select(i => (string)i!["kind"]!));
        Dictionary<string, int> before = account.Gets();

        ArchiveAccount.Run rest = await ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root));

        Dictionary<string, int> asked = account.Gets().ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key));
        var downloads = asked.Where(p => p.Value > 0 && p.Key.EndsWith("/content", StringComparison.Ordinal)).Select(p => p.Key).OrderBy(p => p, StringComparer.Ordinal);
        Assert.Equal(new[] { account.Result1.Id, account.Result2.Id }.Select(id => $"/v1/files/{id}/content").OrderBy(p => p, StringComparer.Ordinal), downloads);
        Assert.True(asked.Where(p => p.Key.EndsWith("/content", StringComparison.Ordinal)).All(p => p.Value <= 1));
        Assert.Equal(0, asked.GetValueOrDefault("/v1/fine_tuning/jobs/ftjob-0002/events")); // fetched from the ended job before the interruption
        Assert.Equal(0, asked.GetValueOrDefault("/v1/fine_tuning/jobs/ftjob-0003/events"));
        Assert.Equal(2, rest.Result("ftjob-0002").Written); // its result file and metrics
        Assert.Equal(4, rest.Result("ftjob-0002").Skipped);
        Assert.Equal(account.Result2.Content, File.ReadAllBytes(Path.Combine(root, "files", account.Result2.Id, "step_metrics.csv")));
        Assert.Equal("succeeded", (string)Manifest(root)["jobs"]!.AsArray().Single(j => (string)j!["id"]! == "ftjob-0002")!["status"]!);
    }

    [Fact]
    public async Task AFileWhoseSizeDiffersFromTheManifestIsFetchedAgain()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        ArchiveAccount account = ArchiveAccount.Seed(f);
        using var temp = new TempFolder();
        string root = temp.File("archive");
        await ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root));
        string training = Path.Combine(root, "files", account.Training.Id, "helpdesk train.jsonl");
        File.WriteAllBytes(training, account.Training.Content.Take(40).ToArray()); // a truncated copy
        string result1 = Path.Combine(root, "files", account.Result1.Id, "step_metrics.csv");
        File.Delete(result1);

        ArchiveAccount.Run again = await ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root));

        Assert.Equal(2, account.Downloads(account.Training.Id)); // once in each run, though three jobs share it
        Assert.Equal(2, account.Downloads(account.Result1.Id));
        Assert.Equal(1, account.Downloads(account.Validation.Id));
        Assert.Equal(account.Training.Content, File.ReadAllBytes(training));
        Assert.Equal(account.Result1.Content, File.ReadAllBytes(result1));
        JobArchivePlan plan = again.Plans.Single(p => p.JobId == "ftjob-0003");
        Assert.Contains("40 bytes on disk, " + account.Training.Content.Length + " in the manifest", plan.Describe() + "|" + string.Join("|", plan.Items.Select(i => i.Reason)), StringComparison.Ordinal);
        Assert.Equal(2, again.Result("ftjob-0001").Written); // the result file and the metrics rebuilt from it
    }

    [Fact]
    public async Task APlanDescribesWhatWouldBeFetchedAndWritesNothing()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        ArchiveAccount account = ArchiveAccount.Seed(f);
        using var temp = new TempFolder();
        string root = temp.File("archive");
        ArchiveExporter exporter = ArchiveExporter.Open(f.Client, root);

        JobArchivePlan plan = await exporter.PlanAsync("ftjob-0003", CancellationToken.None);

        Assert.False(Directory.Exists(root));
        Assert.Equal(
            $"Archive job ftjob-0003 (failed) into '{Path.Combine(Path.GetFullPath(root), "jobs", "ftjob-0003")}': fetch job object, events, checkpoints, "
            + FormattableString.Invariant($"training file {account.Training.Id} (helpdesk train.jsonl, {account.Training.Content.Length / 1024.0:0.0} KB), metrics (rebuilt from the result files); ")
            + "record as missing (no longer served) result file file-gone.",
            plan.Describe());
        Assert.Equal(0, account.Downloads(account.Training.Id));
    }

    [Fact]
    public async Task AnArchiveOfAnotherAccountIsRefused()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        ArchiveAccount.Seed(f);
        await using JobsFixture other = await JobsFixture.StartAsync();
        using var temp = new TempFolder();
        string root = temp.File("archive");
        JobArchivePlan plan = await ArchiveExporter.Open(f.Client, root).PlanAsync("ftjob-0004", CancellationToken.None);
        await ArchiveExporter.Open(f.Client, root).ExecuteAsync(plan, null, CancellationToken.None);

        FineTuneException refused = Assert.Throws<FineTuneException>(() => ArchiveExporter.Open(other.Client, root));

        Assert.Equal("FineTune.Archive.OtherAccount", refused.ErrorId);
        Assert.Contains(f.Server.BaseUri.ToString().TrimEnd('/'), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheManifestRecordsTheServiceWithoutAnySecretOfItsAddress()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        ArchiveAccount.Seed(f);
        using var temp = new TempFolder();
        string root = temp.File("archive");
        var address = new UriBuilder(f.Server.BaseUri) { UserName = "user", Password = "pass-Secret-9", Query = "sig=Secret-9" }.Uri;
        using ServiceConnection connection = f.Server.Connect(configure: settings => settings.BaseUri = address);
        var client = new FineTune.Service.ServiceClient(connection);

        await ArchiveAccount.ExportAsync(ArchiveExporter.Open(client, root), CancellationToken.None);

        string manifest = File.ReadAllText(Path.Combine(root, "manifest.json"));
        Assert.DoesNotContain("Secret-9", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeOpenAiServer.DefaultApiKey, manifest, StringComparison.Ordinal);
        Assert.Equal(f.Server.BaseUri.ToString().TrimEnd('/'), (string)Manifest(root)["source"]!["baseUri"]!);
    }

    [Fact]
    public async Task ANonMissingFailureStopsTheJobWithTheManifestSaved()
    {
        await using JobsFixture f = await JobsFixture.StartAsync(maxRetries: 0);
        ArchiveAccount account = ArchiveAccount.Seed(f);
        f.Server.AddFault(Fault.Status(500)).For("GET", $"/files/{account.Result1.Id}/content");
        using var temp = new TempFolder();
        string root = temp.File("archive");
        ArchiveExporter exporter = ArchiveExporter.Open(f.Client, root);
        JobArchivePlan plan = await exporter.PlanAsync("ftjob-0001", CancellationToken.None);

        FineTuneException failure = await Assert.ThrowsAnyAsync<FineTuneException>(() => exporter.ExecuteAsync(plan, null, CancellationToken.None));

        Assert.Equal("FineTune.Service.ServerError", failure.ErrorId);
        JsonNode entry = Manifest(root)["jobs"]![0]!;
        Assert.Null(entry["status"]);
        Assert.Equal(new[] { "job", "events", "checkpoints", "training_file", "validation_file" }, entry["items"]!.AsArray().Select(i => (string)i!["kind"]!));
    }

    [Fact]
    public async Task APathInsideTheArchiveIsBuiltOnlyFromSafeNames()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        FakeFiles.StoredFile hostile = f.Server.Files.Add("../../../outside.jsonl", "fine-tune", ArchiveAccount.Lines(2, "x"));
        FakeJob job = f.Jobs.Add("failed");
        job.TrainingFile = hostile.Id;
        using var temp = new TempFolder();
        string root = temp.File("archive");

        await ArchiveAccount.ExportAsync(ArchiveExporter.Open(f.Client, root));

        Assert.Equal(new[] { "outside.jsonl" }, Directory.GetFiles(Path.Combine(root, "files", hostile.Id)).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    private static (int Written, int Skipped, int Missing) Counts(JobArchiveResult result) => (result.Written, result.Skipped, result.Missing);

    private static JsonNode Manifest(string root) => JsonNode.Parse(File.ReadAllText(Path.Combine(root, "manifest.json")))!;
}
