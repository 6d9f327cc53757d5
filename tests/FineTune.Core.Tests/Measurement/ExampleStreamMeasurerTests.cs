using System.IO;
using System.Text;
using FineTune.Measurement;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Measurement;

public sealed class ExampleStreamMeasurerTests
{
    private static readonly string[] Lines =
    {
        "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello!\"}]}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"A longer question about VPNs?\"},{\"role\":\"assistant\",\"content\":\"Reinstall the profile.\"}]}",
    };

    [Fact]
    public void MeasuresExamplesAsTheFileMeasurerMeasuresTheSameLines()
    {
        string path = Path.Combine(Path.GetTempPath(), $"stream-{System.Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, string.Join("\n", Lines) + "\n");
        try
        {
            TokenEncoding encoding = TokenEncoding.Get("o200k_base");
            DatasetMeasurement fromFile = new DatasetMeasurer(encoding, 16).Measure(path);
            var stream = new ExampleStreamMeasurer(encoding, 16, "gpt-4o-mini-2024-07-18");
            for (int i = 0; i < Lines.Length; i++)
            {
                LineMeasurement line = stream.Add(i + 1, Encoding.UTF8.GetBytes(Lines[i]));
                Assert.Null(line.Error);
                Assert.Null(line.Example!.Path);
                Assert.Equal(i + 1, line.Example.Line);
            }
            DatasetMeasurement fromStream = stream.Complete();

            Assert.Null(fromStream.Path);
            Assert.Equal("gpt-4o-mini-2024-07-18", fromStream.Model);
            Assert.Equal(fromFile.ExampleCount, fromStream.ExampleCount);
            Assert.Equal(fromFile.TotalTokens, fromStream.TotalTokens);
            Assert.Equal(fromFile.BillableTokens, fromStream.BillableTokens);
            Assert.Equal(fromFile.OverLimitCount, fromStream.OverLimitCount);
            Assert.Equal(fromFile.MissingSystemCount, fromStream.MissingSystemCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnExampleThatIsNotOne_IsAnErrorNamingItsPosition_AndIsSkipped()
    {
        var stream = new ExampleStreamMeasurer(TokenEncoding.Get("cl100k_base"), null);
        stream.Add(1, Encoding.UTF8.GetBytes(Lines[0]));
        LineMeasurement bad = stream.Add(2, Encoding.UTF8.GetBytes("{\"Question\":\"q\"}"));

        Assert.Null(bad.Example);
        Assert.Equal("FineTune.Measure.UnreadableLine", bad.Error!.ErrorId);
        Assert.StartsWith("Input object 2 ", bad.Error.Message);
        DatasetMeasurement total = stream.Complete();
        Assert.Equal(1, total.ExampleCount);
        Assert.Equal(1, total.SkippedLineCount);
    }
}
