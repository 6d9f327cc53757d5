using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using FineTune.Measurement;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Measurement;

public sealed class DatasetMeasurerTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"measure-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_path);

    private static string Example(int i) => $"{{\"messages\":[{{\"role\":\"user\",\"content\":\"question {i}\"}},{{\"role\":\"assistant\",\"content\":\"{new string('a', i % 50)} answer {i}\"}}]}}";

    [Fact]
    public void ManyBatches_ResultsComeInLineOrderAndProgressReachesTheEnd()
    {
        var text = new StringBuilder("\uFEFF");
        for (int i = 0; i < 5000; i++)
        {
            text.Append(Example(i)).Append(i % 3 == 0 ? "\r\n" : "\n");
            if (i % 1000 == 0)
            {
                text.Append("\n   \n");
            }
        }
        File.WriteAllText(_path, text.ToString(), new UTF8Encoding(false));
        var lines = new List<long>();
        long lastRead = 0, total = 0;
        var measurer = new DatasetMeasurer(TokenEncoding.Get("o200k_base"), 1000) { MaxDegreeOfParallelism = 2 };
        DatasetMeasurement measurement = measurer.Measure(_path, l => lines.Add(l.Line), (read, length) => { lastRead = read; total = length; });

        Assert.Equal(5000, measurement.ExampleCount);
        Assert.Equal(lines.OrderBy(l => l), lines);
        Assert.Equal(new FileInfo(_path).Length, total);
        Assert.Equal(total, lastRead);
        TokenEncoding encoding = TokenEncoding.Get("o200k_base");
        long expected = Enumerable.Range(0, 5000).Sum(i => 3 + encoding.CountTokens("user") + encoding.CountTokens($"question {i}") + 3
            + encoding.CountTokens("assistant") + encoding.CountTokens($"{new string('a', i % 50)} answer {i}") + 3);
        Assert.Equal(expected, measurement.TotalTokens);
        Assert.Equal(5000, measurement.MissingSystemCount);
    }

    [Fact]
    public void BadLines_AreReportedAndSkippedWhileTheRestIsCounted()
    {
        File.WriteAllText(_path, Example(1) + "\n{oops\n" + Example(2) + "\n");
        var errors = new List<FineTuneException>();
        DatasetMeasurement measurement = new DatasetMeasurer(TokenEncoding.Get("cl100k_base"), null)
            .Measure(_path, l => { if (l.Error is not null) { errors.Add(l.Error); } });
        Assert.Equal(2, measurement.ExampleCount);
        Assert.Equal(1, measurement.SkippedLineCount);
        Assert.Contains(":2 ", Assert.Single(errors).Message);
        Assert.Null(measurement.TokenLimit);
        Assert.Equal(measurement.TotalTokens, measurement.BillableTokens);
    }

    [Fact]
    public void LineNumbers_CountBlankLinesAfterAByteOrderMark()
    {
        File.WriteAllText(_path, "\uFEFF" + Example(1) + "\r\n \t\r\n\n{oops\r\n\n" + Example(2) + "\n[1]", new UTF8Encoding(false));
        var lines = new List<LineMeasurement>();
        DatasetMeasurement measurement = new DatasetMeasurer(TokenEncoding.Get("cl100k_base"), null).Measure(_path, lines.Add);
        Assert.Equal(new long[] { 1, 4, 6, 7 }, lines.Select(l => l.Line));
        Assert.Equal(2, measurement.ExampleCount);
        Assert.Equal(2, measurement.SkippedLineCount);
        Assert.StartsWith(_path + ":4 is not valid JSON", lines[1].Error!.Message);
        Assert.Equal(_path + ":7 is not a JSON object; it is not counted.", lines[3].Error!.Message);
    }

    [Fact]
    public void InvalidUtf8_IsThatLinesErrorAndTheRestIsCounted()
    {
        byte[] bad = Encoding.UTF8.GetBytes("{\"messages\":[{\"role\":\"user\",\"content\":\"aZ\"}]}");
        bad[bad.Length - 5] = 0xFF; // the Z
        using (FileStream file = File.Create(_path))
        {
            byte[] good = Encoding.UTF8.GetBytes(Example(1) + "\n");
            file.Write(good, 0, good.Length);
            file.Write(bad, 0, bad.Length);
            file.WriteByte((byte)'\n');
            file.Write(good, 0, good.Length);
        }
        var errors = new List<FineTuneException>();
        DatasetMeasurement measurement = new DatasetMeasurer(TokenEncoding.Get("cl100k_base"), null)
            .Measure(_path, l => { if (l.Error is not null) { errors.Add(l.Error); } });
        Assert.Equal(2, measurement.ExampleCount);
        FineTuneException error = Assert.Single(errors);
        Assert.Equal("FineTune.Measure.UnreadableLine", error.ErrorId);
        Assert.Equal(_path + ":2", error.Target);
        int column = "{\"messages\":[{\"role\":\"user\",\"content\":\"a".Length + 1;
        Assert.Equal($"{_path}:2 is not valid UTF-8 (byte 0xFF at column {column}); it is not counted.", error.Message);
    }

    [Fact]
    public void TooLongLine_IsThatLinesErrorAndTheRestIsCounted()
    {
        string longLine = Example(1).Replace("question 1", "question " + new string('q', 300));
        File.WriteAllText(_path, Example(1) + "\n" + longLine + "\n" + Example(2) + "\n");
        var lines = new List<LineMeasurement>();
        DatasetMeasurement measurement = new DatasetMeasurer(TokenEncoding.Get("cl100k_base"), null) { MaxLineBytes = 200 }
            .Measure(_path, lines.Add);
        Assert.Equal(new long[] { 1, 2, 3 }, lines.Select(l => l.Line));
        Assert.Equal(2, measurement.ExampleCount);
        Assert.Equal(1, measurement.SkippedLineCount);
        FineTuneException error = lines[1].Error!;
        Assert.Equal("FineTune.Measure.UnreadableLine", error.ErrorId);
        Assert.Equal($"{_path}:2 is longer than the 200-byte line limit; it is not counted.", error.Message);
    }

    [Fact]
    public void MissingFile_IsObjectNotFound()
    {
        FineTuneException error = Assert.Throws<FineTuneException>(() => new DatasetMeasurer(TokenEncoding.Get("cl100k_base"), null).Measure(_path));
        Assert.Equal("FineTune.Measure.FileNotFound", error.ErrorId);
    }

    [Fact]
    public void Cancellation_StopsTheMeasurement()
    {
        File.WriteAllLines(_path, Enumerable.Range(0, 20000).Select(Example));
        using var cancel = new CancellationTokenSource();
        int seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => new DatasetMeasurer(TokenEncoding.Get("cl100k_base"), null)
            .Measure(_path, _ => { if (++seen == 100) { cancel.Cancel(); } }, cancellationToken: cancel.Token));
        Assert.True(seen < 20000);
    }

    [Fact]
    public void EmptyFile_HasNoExamples()
    {
        File.WriteAllText(_path, "");
        DatasetMeasurement measurement = new DatasetMeasurer(TokenEncoding.Get("cl100k_base"), 10).Measure(_path);
        Assert.Equal(0, measurement.ExampleCount);
        Assert.Equal(0, measurement.TokensPerExample.Max);
    }
}
