using FineTune.Measurement;
using FineTune.Tests;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Measurement;

/// <summary>
/// The figures OpenAI's cookbook notebook prints for its toy dataset (../shared/data/cookbook,
/// cl100k_base, 4096-token limit), reproduced exactly.
/// </summary>
public sealed class CookbookToyDatasetTests
{
    private static DatasetMeasurement Measure() =>
        new DatasetMeasurer(TokenEncoding.Get("cl100k_base"), 4096).Measure(TestPaths.CookbookToyDataset);

    [Fact]
    public void CountsAndWarnings_MatchTheNotebook()
    {
        DatasetMeasurement measurement = Measure();
        Assert.Equal(5, measurement.ExampleCount);
        Assert.Equal(0, measurement.SkippedLineCount);
        Assert.Equal(1, measurement.MissingSystemCount);
        Assert.Equal(1, measurement.MissingUserCount);
        Assert.Equal(1, measurement.OverLimitCount);
        Assert.Equal(4306, measurement.BillableTokens);
        Assert.Equal("cl100k_base", measurement.Encoding);
        Assert.Equal(4096, measurement.TokenLimit);
    }

    [Fact]
    public void Distributions_MatchTheNotebook()
    {
        DatasetMeasurement measurement = Measure();
        AssertDistribution(measurement.MessagesPerExample, 2, 9, 3.8, 3.0, 2.0, 6.6);
        AssertDistribution(measurement.TokensPerExample, 26, 8032, 1648.4, 45.0, 26.8, 4863.6);
        AssertDistribution(measurement.AssistantTokensPerExample, 4, 8000, 1610.2, 10.0, 6.0, 4811.2);
    }

    [Fact]
    public void DefaultEpochsAndTrainedTokens_MatchTheNotebook()
    {
        CostEstimate cost = CostEstimator.Estimate(Measure(), model: null, "supervised", epochs: null, pricePerMillionTokens: null, validation: null,
            today: new System.DateTime(2026, 1, 1));
        Assert.Equal(20, cost.Epochs);
        Assert.True(cost.DefaultEpochs);
        Assert.Equal(86120, cost.TrainedTokens);
        Assert.Null(cost.EstimatedCost);
    }

    private static void AssertDistribution(TokenDistribution distribution, double min, double max, double mean, double median, double p10, double p90)
    {
        Assert.Equal(min, distribution.Min);
        Assert.Equal(max, distribution.Max);
        Assert.Equal(mean, distribution.Mean, 9);
        Assert.Equal(median, distribution.Median, 9);
        Assert.Equal(p10, distribution.P10, 9);
        Assert.Equal(p90, distribution.P90, 9);
    }
}
