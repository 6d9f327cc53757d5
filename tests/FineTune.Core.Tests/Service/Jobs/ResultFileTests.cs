using System;
using System.IO;
using System.Linq;
using System.Text;
using FineTune.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

public class ResultFileTests
{
    private static MetricStep[] Parse(string csv) => ResultFile.Parse(new StringReader(csv), "ftjob-1", "file-res").ToArray();

    [Fact]
    public void ReadsTheOpenAIColumns()
    {
        MetricStep[] rows = Parse("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n1,1.52,0.61,1.7,0.58\n2,1.31,0.66,,\n");

        Assert.Equal(2, rows.Length);
        Assert.Equal(1, rows[0].Step);
        Assert.Equal(1.52, rows[0].TrainLoss);
        Assert.Equal(0.61, rows[0].TrainAccuracy);
        Assert.Equal(1.7, rows[0].ValidLoss);
        Assert.Equal(0.58, rows[0].ValidMeanTokenAccuracy);
        Assert.Equal("ftjob-1", rows[0].JobId);
        Assert.Equal("file-res", rows[0].ResultFile);
        Assert.Equal(2, rows[1].Step);
        Assert.Null(rows[1].ValidLoss);
        Assert.Null(rows[1].ValidMeanTokenAccuracy);
        Assert.Empty(rows[1].Extra);
    }

    [Fact]
    public void ReadsAlternativeAndUnknownColumnsInAnyOrder()
    {
        MetricStep[] rows = Parse("train_mean_token_accuracy,step,full_valid_loss,full_valid_mean_token_accuracy,train_mean_reward,\"odd,name\"\r\n0.9,7,0.4,0.8,0.55,\"a,b\"\r\n");

        MetricStep row = Assert.Single(rows);
        Assert.Equal(7, row.Step);
        Assert.Equal(0.9, row.TrainAccuracy);
        Assert.Equal(0.4, row.FullValidLoss);
        Assert.Equal(0.8, row.FullValidMeanTokenAccuracy);
        Assert.Equal("0.55", row.Extra["train_mean_reward"]);
        Assert.Equal("a,b", row.Extra["odd,name"]);
    }

    [Fact]
    public void ShortRowsAndBlankLinesAreTolerated()
    {
        MetricStep[] rows = Parse("step,train_loss,valid_loss\n\n3,0.5\n4.0,0.4,0.3\n");
        Assert.Equal(new[] { 3, 4 }, rows.Select(r => r.Step));
        Assert.Null(rows[0].ValidLoss);
        Assert.Equal(0.3, rows[1].ValidLoss);
    }

    [Fact]
    public void AnEmptyFileHasNoRows() => Assert.Empty(Parse(""));

    [Fact]
    public void ABadNumberNamesFileLineAndColumn()
    {
        FineTuneException ex = Assert.Throws<FineTuneException>(() => Parse("step,train_loss\n1,0.5\n2,abc\n"));
        Assert.Equal("FineTune.Job.ResultFileInvalid", ex.ErrorId);
        Assert.Contains("file-res", ex.Message);
        Assert.Contains("line 3", ex.Message);
        Assert.Contains("train_loss", ex.Message);
        Assert.Contains("abc", ex.Message);
    }

    [Fact]
    public void AFileWithoutAStepColumnIsRefused()
    {
        FineTuneException ex = Assert.Throws<FineTuneException>(() => Parse("loss,accuracy\n1,2\n"));
        Assert.Contains("line 1", ex.Message);
        Assert.Contains("'step'", ex.Message);
    }

    [Fact]
    public void DecodesBase64EncodedContent()
    {
        const string csv = "step,train_loss\n1,0.5\n";
        byte[] encoded = Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(csv)));
        Assert.Equal(csv, ResultFile.DecodeContent(encoded));
    }

    [Fact]
    public void LeavesPlainCsvAlone()
    {
        const string csv = "step,train_loss\n1,0.5\n";
        Assert.Equal(csv, ResultFile.DecodeContent(Encoding.UTF8.GetBytes("\uFEFF" + csv)));
    }
}
