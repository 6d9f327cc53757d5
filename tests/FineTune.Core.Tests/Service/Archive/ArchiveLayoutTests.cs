using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using FineTune.Service.Archive;
using Xunit;

namespace FineTune.Tests.Service.Archive;

public sealed class ArchiveLayoutTests
{
    [Theory]
    [InlineData("ftjob-abc123", "ftjob-abc123")]
    [InlineData("file-A_b.c", "file-A_b.c")]
    public void AnOrdinaryIdIsItsOwnFolderName(string id, string name) => Assert.Equal(name, ArchiveLayout.SafeId(id));

    [Theory]
    [InlineData("../../etc")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("C:x")]
    [InlineData("CON")]
    [InlineData("nul.txt")]
    [InlineData("")]
    public void AnIdThatIsNoSafeNameGetsAHashSoItCannotEscapeOrCollide(string id)
    {
        string name = ArchiveLayout.SafeId(id);

        Assert.Matches("^[A-Za-z0-9._-]+-[0-9a-f]{8}$", name);
        Assert.NotEqual(name.Trim('.'), string.Empty);
        Assert.True(ArchiveLayout.IsSafeRelative("jobs/" + name));
    }

    [Fact]
    public void TwoIdsThatLookAlikeOnceMadeSafeStayApart() =>
        Assert.NotEqual(ArchiveLayout.SafeId("a/b"), ArchiveLayout.SafeId("a:b"));

    [Theory]
    [InlineData("train.jsonl", "train.jsonl")]
    [InlineData("helpdesk train (v2).jsonl", "helpdesk train (v2).jsonl")]
    [InlineData("../../x.jsonl", "x.jsonl")]
    [InlineData("C:\\Users\\me\\train.jsonl", "train.jsonl")]
    [InlineData("a:b*c?.csv", "a_b_c_.csv")]
    [InlineData(" .hidden. ", "hidden")]
    [InlineData("...", "content")]
    [InlineData("CON.jsonl", "_CON.jsonl")]
    [InlineData("données.jsonl", "donn_es.jsonl")]
    public void AFileNameKeepsWhatIsSafeEverywhere(string fileName, string expected) =>
        Assert.Equal(expected, ArchiveLayout.SafeFileName(fileName));

    [Fact]
    public void ALongFileNameIsShortenedKeepingItsExtension()
    {
        string name = ArchiveLayout.SafeFileName(new string('x', 300) + ".jsonl");

        Assert.Equal(100, name.Length);
        Assert.EndsWith("x.jsonl", name, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jobs/ftjob-1/job.json", true)]
    [InlineData("files/file-1/train.jsonl", true)]
    [InlineData("../manifest.json", false)]
    [InlineData("jobs/../../x", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("C:/x", false)]
    [InlineData("jobs\\x", false)]
    [InlineData("jobs//x", false)]
    [InlineData("", false)]
    public void OnlyPathsInsideTheArchiveAreAccepted(string path, bool safe) => Assert.Equal(safe, ArchiveLayout.IsSafeRelative(path));

    [Fact]
    public void MetricsKeepEveryColumnAndQuoteWhatNeedsIt()
    {
        using var temp = new TempFolder();
        string first = temp.File("r1.csv");
        File.WriteAllText(first, "step,train_loss,note\n1,0.5,\"warm, up\"\n2,nan,\n");
        string second = temp.File("r2.csv");
        File.WriteAllText(second, System.Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("step,train_loss,lr\n3,0.25,0.001\n")));
        string metrics = temp.File("out/metrics.csv");

        int rows = MetricsCsv.Write("ftjob-1", new List<(string, string)> { ("file-1", first), ("file-2", second) }, metrics, CancellationToken.None);

        Assert.Equal(3, rows);
        Assert.Equal(new[]
        {
            "result_file,step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,full_valid_loss,full_valid_mean_token_accuracy,note,lr",
            "file-1,1,0.5,,,,,,\"warm, up\",",
            "file-1,2,NaN,,,,,,,",
            "file-2,3,0.25,,,,,,,0.001",
        }, File.ReadAllLines(metrics));
        Assert.Empty(Directory.GetFiles(temp.File("out"), "*.tmp"));
    }

    [Fact]
    public void AResultFileThatIsNotOneIsAnErrorNamingIt()
    {
        using var temp = new TempFolder();
        string bad = temp.File("r.csv");
        File.WriteAllText(bad, "step,train_loss\n1,abc\n");

        FineTuneException error = Assert.Throws<FineTuneException>(() =>
            MetricsCsv.Write("ftjob-1", new List<(string, string)> { ("file-1", bad) }, temp.File("metrics.csv"), CancellationToken.None));

        Assert.Equal("FineTune.Job.ResultFileInvalid", error.ErrorId);
        Assert.Contains("line 2, column 'train_loss'", error.Message, System.StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("metrics.csv")));
    }
}
