using System;
using System.IO;
using System.Text;
using System.Threading;
using FineTune.Service.Files;
using Xunit;

namespace FineTune.Tests.Service.Files;

public sealed class JsonLinesPrecheckTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private DatasetPrecheckResult Check(string content)
    {
        string path = _temp.File("data.jsonl");
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return new JsonLinesPrecheck().Check(path, CancellationToken.None);
    }

    [Fact]
    public void AcceptsObjectsOnePerLineWithBlankLines()
    {
        DatasetPrecheckResult result = Check("{\"messages\":[]}\n\n{\"messages\":[]}\r\n");

        Assert.Equal(0, result.ErrorCount);
        Assert.Empty(result.FirstErrors);
    }

    [Fact]
    public void NamesTheLineOfEachBrokenExampleAndCountsThemAll()
    {
        string content = "{\"ok\":1}\nnot json\n[1,2]\n" + string.Concat(System.Linq.Enumerable.Repeat("{\n", 10));

        DatasetPrecheckResult result = Check(content);

        Assert.Equal(12, result.ErrorCount);
        Assert.Equal(5, result.FirstErrors.Count);
        Assert.Contains("line 2 is not valid JSON", result.FirstErrors[0], StringComparison.Ordinal);
        Assert.Contains("line 3 is a JSON array, not an object", result.FirstErrors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithNoExamplesIsAnError()
    {
        DatasetPrecheckResult result = Check("\n  \n");

        Assert.Equal(1, result.ErrorCount);
        Assert.Contains("no examples", result.FirstErrors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsReportedWithItsLine()
    {
        string path = _temp.File("bad.jsonl");
        File.WriteAllBytes(path, new byte[] { (byte)'{', (byte)'}', (byte)'\n', 0xC3, 0x28, (byte)'\n' });

        DatasetPrecheckResult result = new JsonLinesPrecheck().Check(path, CancellationToken.None);

        Assert.Equal(1, result.ErrorCount);
        Assert.Contains("not valid UTF-8", result.FirstErrors[0], StringComparison.Ordinal);
    }
}
