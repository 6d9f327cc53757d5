using System;
using System.IO;
using System.Linq;
using FineTune.Measurement;
using FineTune.Models;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Measurement;

public sealed class CostEstimatorTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"cost-{Guid.NewGuid():N}.jsonl");

    public void Dispose() => File.Delete(_path);

    [Theory]
    [InlineData(1, 25)]
    [InlineData(4, 25)]
    [InlineData(5, 20)]
    [InlineData(33, 3)]
    [InlineData(34, 3)]
    [InlineData(100, 3)]
    [InlineData(8333, 3)]
    [InlineData(8334, 2)]
    [InlineData(12501, 1)]
    [InlineData(1_000_000, 1)]
    public void DefaultEpochs_FollowTheServiceHeuristic(long examples, int epochs) =>
        Assert.Equal(epochs, CostEstimator.DefaultEpochs(examples));

    private DatasetMeasurement Measure(int examples)
    {
        File.WriteAllLines(_path, Enumerable.Range(0, examples).Select(i => "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}"));
        return new DatasetMeasurer(TokenEncoding.Get("o200k_base"), 65536).Measure(_path);
    }

    [Fact]
    public void Estimate_UsesTheCatalogPriceAndGivenEpochs()
    {
        DatasetMeasurement training = Measure(50);
        BaseModel model = ModelCatalog.Embedded.Resolve("gpt-4o-mini")!;
        CostEstimate cost = CostEstimator.Estimate(training, model, "supervised", epochs: 4, pricePerMillionTokens: null, validation: training, today: new DateTime(2026, 1, 1));
        Assert.Equal(4, cost.Epochs);
        Assert.False(cost.DefaultEpochs);
        Assert.Equal(training.BillableTokens * 4, cost.TrainedTokens);
        Assert.Equal(3.00m, cost.PricePerMillionTokens);
        Assert.Equal(Math.Round(cost.TrainedTokens * 3.00m / 1_000_000m, 4), cost.EstimatedCost);
        Assert.Equal(training.TotalTokens, cost.ValidationTokens);
        Assert.Equal("gpt-4o-mini-2024-07-18", cost.Model);
        Assert.Empty(cost.Warnings);
    }

    [Fact]
    public void Estimate_WarnsWhenRetiringRetiredOrPricedPerHour()
    {
        DatasetMeasurement training = Measure(10);
        BaseModel model = ModelCatalog.Embedded.Resolve("gpt-4o-mini")!;
        DateTime retirement = model.RetirementDate!.Value;
        Assert.Contains(CostEstimator.Estimate(training, model, "supervised", null, null, null, retirement.AddDays(-10)).Warnings, w => w.Contains("in 10 days"));
        Assert.Contains(CostEstimator.Estimate(training, model, "supervised", null, null, null, retirement).Warnings, w => w.Contains("retired"));
        Assert.DoesNotContain(CostEstimator.Estimate(training, model, "supervised", null, null, null, retirement.AddDays(-91)).Warnings, w => w.Contains("retire"));

        BaseModel o4 = ModelCatalog.Embedded.Resolve("o4-mini")!;
        CostEstimate reinforcement = CostEstimator.Estimate(training, o4, "reinforcement", null, null, null, new DateTime(2026, 1, 1));
        Assert.Null(reinforcement.EstimatedCost);
        Assert.Contains(reinforcement.Warnings, w => w.Contains("per hour"));
    }

    [Fact]
    public void Estimate_PriceOverrideWinsAndUnknownPriceWarns()
    {
        DatasetMeasurement training = Measure(200);
        BaseModel azure = ModelCatalog.Embedded.Resolve("gpt-4o-mini", "AzureOpenAI")!;
        CostEstimate unknown = CostEstimator.Estimate(training, azure, "supervised", null, null, null, new DateTime(2026, 1, 1));
        Assert.Null(unknown.EstimatedCost);
        Assert.Contains(unknown.Warnings, w => w.Contains("-PricePerMillionTokens"));
        CostEstimate given = CostEstimator.Estimate(training, azure, "supervised", null, 10m, null, new DateTime(2026, 1, 1));
        Assert.Equal(Math.Round(training.BillableTokens * 3 * 10m / 1_000_000m, 4), given.EstimatedCost);
    }

    [Fact]
    public void Estimate_RejectsNonPositiveEpochs()
    {
        FineTuneException error = Assert.Throws<FineTuneException>(() => CostEstimator.Estimate(Measure(1), null, "supervised", 0, null, null, DateTime.UtcNow));
        Assert.Equal("FineTune.Measure.InvalidEpochs", error.ErrorId);
    }
}
