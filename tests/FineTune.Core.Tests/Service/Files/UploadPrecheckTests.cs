using System;
using System.Linq;
using System.Threading;
using FineTune.Core.Tests.Datasets;
using FineTune.Service.Files;
using Xunit;

namespace FineTune.Tests.Service.Files;

public sealed class UploadPrecheckTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Example(int i) =>
        $"{{\"messages\":[{{\"role\":\"system\",\"content\":\"Be brief.\"}},{{\"role\":\"user\",\"content\":\"q{i}\"}},{{\"role\":\"assistant\",\"content\":\"a{i}\"}}]}}\n";

    [Fact]
    public void A_file_the_service_accepts_passes()
    {
        string path = _temp.Write("good.jsonl", string.Concat(Enumerable.Range(1, 12).Select(Example)));
        UploadPrecheck.EnsureValid(path, null, CancellationToken.None);
    }

    [Fact]
    public void A_file_with_errors_is_rejected_naming_its_lines_and_the_count()
    {
        string content = string.Concat(Enumerable.Range(1, 12).Select(Example)) + "not json\n" + "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}\n";
        string path = _temp.Write("bad.jsonl", content);

        FineTuneException error = Assert.Throws<FineTuneException>(() => UploadPrecheck.EnsureValid(path, "and no job was created", CancellationToken.None));

        Assert.Equal(UploadPrecheck.RejectedErrorId, error.ErrorId);
        Assert.Equal(FailureKind.InvalidData, error.Kind);
        Assert.Equal(path, error.Target);
        Assert.Contains("was not uploaded and no job was created: it has 2 error(s)", error.Message);
        Assert.Contains(":13", error.Message);
        Assert.Contains(":14", error.Message);
        Assert.Contains("Test-FineTuneDataset", error.RecommendedAction);
    }

    [Fact]
    public void Too_few_examples_is_an_error_as_the_service_says()
    {
        string path = _temp.Write("small.jsonl", Example(1));
        FineTuneException error = Assert.Throws<FineTuneException>(() => UploadPrecheck.EnsureValid(path, null, CancellationToken.None));
        Assert.Contains("1 error(s)", error.Message);
    }
}
