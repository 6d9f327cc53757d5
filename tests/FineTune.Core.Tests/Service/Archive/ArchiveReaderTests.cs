using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service.Archive;
using FineTune.Tests.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Archive;

public sealed class ArchiveReaderTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private JobsFixture _fixture = null!;
    private ArchiveAccount _account = null!;

    private string Root => _temp.File("archive");

    private string ManifestPath => Path.Combine(Root, "manifest.json");

    public async Task InitializeAsync()
    {
        _fixture = await JobsFixture.StartAsync();
        _account = ArchiveAccount.Seed(_fixture);
        await ArchiveAccount.ExportAsync(ArchiveExporter.Open(_fixture.Client, Root));
    }

    public async Task DisposeAsync()
    {
        await _fixture.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public void ReadsTheJobsBackAsTheServiceSentThemWithTheirLocalFiles()
    {
        var (jobs, problems, warnings) = Read(Root);

        Assert.Empty(problems);
        Assert.Empty(warnings);
        Assert.Equal(new[] { "ftjob-0004", "ftjob-0003", "ftjob-0002", "ftjob-0001" }, jobs.Select(j => j.Id));
        Job supervised = jobs.Single(j => j.Id == "ftjob-0001");
        Assert.Equal("succeeded", supervised.Status);
        Assert.Equal("supervised", supervised.Method);
        Assert.Equal(2, supervised.Hyperparameters.Epochs);
        Assert.Equal(1, supervised.Hyperparameters.BatchSize); // "auto" when created, chosen by the service since
        Assert.Equal(42, supervised.Seed);
        Assert.Equal(_account.Training.Id, supervised.TrainingFile);
        Assert.Equal(Path.Combine(Path.GetFullPath(Root), "jobs", "ftjob-0001"), supervised.ArchivePath);
        Assert.Equal(_account.Training.Content, File.ReadAllBytes(supervised.TrainingFilePath!));
        Assert.Equal(_account.Validation.Content, File.ReadAllBytes(supervised.ValidationFilePath!));
        Assert.Null(jobs.Single(j => j.Id == "ftjob-0002").ValidationFilePath);
        Assert.Equal("Line 4 has no assistant message.", jobs.Single(j => j.Id == "ftjob-0003").Error!.Message);
    }

    [Fact]
    public void OpensTheArchiveFromItsManifestPathToo()
    {
        Assert.Equal(4, ArchiveReader.Open(ManifestPath).JobCount);
        Assert.Equal("OpenAI", ArchiveReader.Open(ManifestPath).SourceProvider);
    }

    [Fact]
    public void ADamagedTrainingFileIsLeftOutWithAWarning()
    {
        string training = Directory.GetFiles(Path.Combine(Root, "files", _account.Training.Id)).Single();
        File.AppendAllText(training, "extra");

        var (jobs, problems, warnings) = Read(Root);

        Assert.Empty(problems);
        Assert.All(jobs.Where(j => j.TrainingFile == _account.Training.Id), j => Assert.Null(j.TrainingFilePath));
        Assert.Equal(3, warnings.Count);
        Assert.Contains($"{_account.Training.Content.Length + 5} bytes on disk but {_account.Training.Content.Length} in the manifest", warnings[0], StringComparison.Ordinal);
        Assert.NotNull(jobs.Single(j => j.Id == "ftjob-0001").ValidationFilePath);
    }

    [Fact]
    public void AJobWhoseObjectIsDamagedIsReportedAndTheOthersAreRead()
    {
        File.WriteAllText(Path.Combine(Root, "jobs", "ftjob-0002", "job.json"), "{\n  \"id\": \"ftjob-0002\",\n  \"status\": \n");

        var (jobs, problems, _) = Read(Root);

        Assert.Equal(3, jobs.Count);
        FineTuneException problem = Assert.Single(problems);
        Assert.Equal("FineTune.Archive.JobUnreadable", problem.ErrorId);
        Assert.Contains(Path.Combine("jobs", "ftjob-0002", "job.json"), problem.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AJobObjectOfAnotherJobIsRefused()
    {
        File.Copy(Path.Combine(Root, "jobs", "ftjob-0001", "job.json"), Path.Combine(Root, "jobs", "ftjob-0002", "job.json"), overwrite: true);

        FineTuneException problem = Assert.Single(Read(Root).Problems);

        Assert.Contains("its field 'id' is 'ftjob-0001', but the manifest lists it as job ftjob-0002", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderWithoutAManifestIsNotAnArchive()
    {
        FineTuneException error = Assert.Throws<FineTuneException>(() => ArchiveReader.Open(_temp.Path));

        Assert.Equal("FineTune.Archive.NotFound", error.ErrorId);
        Assert.Contains("manifest.json", error.Message, StringComparison.Ordinal);
    }

    public static IEnumerable<object[]> BrokenManifests() => new[]
    {
        Case(m => m["schemaVersion"] = 2, "FineTune.Archive.UnsupportedVersion", "schema version 2; this version of FineTune reads version 1"),
        Case(m => m["format"] = "Something", "FineTune.Archive.InvalidManifest", "$.format is 'Something', not 'FineTune.Archive'"),
        Case(m => m.Remove("jobs"), "FineTune.Archive.InvalidManifest", "$.jobs is missing"),
        Case(m => m["jobs"]![1]!["items"]![0]!["kind"] = "video", "FineTune.Archive.InvalidManifest",
            "$.jobs[1].items[0].kind is 'video'; expected one of job, events, checkpoints, metrics, training_file, validation_file, result_file"),
        Case(m => m["jobs"]![0]!["items"]![2]!["bytes"] = -5, "FineTune.Archive.InvalidManifest", "$.jobs[0].items[2].bytes is -5; expected 0 to"),
        Case(m => m["jobs"]![0]!["items"]![2]!["bytes"] = "12", "FineTune.Archive.InvalidManifest", "$.jobs[0].items[2].bytes is a string, not a whole number"),
        Case(m => m["jobs"]![0]!["items"]![0]!["path"] = "../../secrets.txt", "FineTune.Archive.InvalidManifest",
            "$.jobs[0].items[0].path '../../secrets.txt' is not a relative path inside the archive"),
        Case(m => m["jobs"]![0]!["folder"] = "/etc", "FineTune.Archive.InvalidManifest", "$.jobs[0].folder '/etc' is not a relative path inside the archive"),
        Case(m => m["jobs"]![2]!["items"]![3]!.AsObject().Remove("fileId"), "FineTune.Archive.InvalidManifest", "$.jobs[2].items[3].fileId is missing"),
        Case(m => m["jobs"]![3]!["id"] = "ftjob-0004", "FineTune.Archive.InvalidManifest", "$.jobs[3].id 'ftjob-0004' appears twice"),
        Case(m => m["createdAt"] = "yesterday", "FineTune.Archive.InvalidManifest", "$.createdAt 'yesterday' is not a date and time"),
        Case(m => m["jobs"] = new JsonObject(), "FineTune.Archive.InvalidManifest", "$.jobs is an object, not an array"),
    };

    [Theory]
    [MemberData(nameof(BrokenManifests))]
    public void AnInvalidManifestIsRefusedNamingTheFileAndTheField(Action<JsonObject> damage, string errorId, string problem)
    {
        JsonObject manifest = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        damage(manifest);
        File.WriteAllText(ManifestPath, manifest.ToJsonString());

        FineTuneException error = Assert.Throws<FineTuneException>(() => ArchiveReader.Open(Root));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(ManifestPath, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.InvalidData, error.Kind);
        Assert.NotNull(error.RecommendedAction);
        // The exporter refuses it as well, instead of writing over it.
        Assert.Equal(errorId, Assert.Throws<FineTuneException>(() => ArchiveExporter.Open(_fixture.Client, Root)).ErrorId);
    }

    [Fact]
    public void AManifestThatIsNotJsonIsRefusedWithItsLine()
    {
        File.WriteAllText(ManifestPath, "{\n  \"format\": \"FineTune.Archive\",\n  oops\n}");

        FineTuneException error = Assert.Throws<FineTuneException>(() => ArchiveReader.Open(Root));

        Assert.Equal("FineTune.Archive.InvalidManifest", error.ErrorId);
        Assert.Contains("is not valid JSON (line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFieldsOfALaterWriterAreIgnored()
    {
        JsonObject manifest = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        manifest["comment"] = "added by a later version";
        manifest["jobs"]![0]!["items"]![0]!["sha256"] = "abc";
        File.WriteAllText(ManifestPath, manifest.ToJsonString());

        Assert.Equal(4, Read(Root).Jobs.Count);
    }

    private static object[] Case(Action<JsonObject> damage, string errorId, string problem) => new object[] { damage, errorId, problem };

    private static (List<Job> Jobs, List<FineTuneException> Problems, List<string> Warnings) Read(string root)
    {
        var problems = new List<FineTuneException>();
        var warnings = new List<string>();
        List<Job> jobs = ArchiveReader.Open(root).ReadJobs(problems.Add, warnings.Add, CancellationToken.None).ToList();
        return (jobs, problems, warnings);
    }
}
