using System.Collections;
using System.Threading;
using FineTune.Service.Jobs;
using FineTune.Tests;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

public class JobCreatePlanTests
{
    private static JobCreateOptions Options() => new() { Model = "gpt-4o-mini-2024-07-18", TrainingFile = "file-train" };

    [Fact]
    public void NamesModelMethodAndFileIds()
    {
        JobCreateOptions options = Options();
        options.ValidationFile = "file-valid";
        options.Suffix = "helpdesk";
        Assert.Equal("Create a supervised fine-tuning job of model 'gpt-4o-mini-2024-07-18' with training file 'file-train' and validation file 'file-valid', suffix 'helpdesk'.",
            JobCreatePlan.Describe(options, null, null, null, CancellationToken.None));
    }

    [Fact]
    public void ALocalTrainingFileIsUploadedFirstAndCarriesTheCostEstimate()
    {
        JobCreateOptions options = Options();
        options.Method = FineTuneMethod.Dpo;
        Assert.Equal("Create a dpo fine-tuning job of model 'gpt-4o-mini-2024-07-18' with training file '/data/train.jsonl' (uploaded first); estimated cost: USD 3.60.",
            JobCreatePlan.Describe(options, "/data/train.jsonl", null, "USD 3.60"));
    }

    [Fact]
    public void ALocalTrainingFileIsPricedFromItsExactTokens()
    {
        // The cookbook's toy file at the catalog's limit for the model: the figures must be
        // exactly those of Measure-FineTuneCost's engine.
        JobCreateOptions options = Options();
        var selection = FineTune.Measurement.ModelSelection.Resolve(FineTune.Models.ModelCatalog.Load(), options.Model, null, null, null);
        var measured = new FineTune.Measurement.DatasetMeasurer(selection.Encoding, selection.TokenLimit, options.Model).Measure(TestPaths.CookbookToyDataset);
        var cost = FineTune.Measurement.CostEstimator.Estimate(measured, selection.Model, "supervised", null, null, null, System.DateTime.UtcNow.Date);

        string plan = JobCreatePlan.Describe(options, TestPaths.CookbookToyDataset, null, null, CancellationToken.None);

        Assert.Contains($"; estimated cost: {cost.BillableTokens} billable tokens x {cost.Epochs} epochs = {cost.TrainedTokens} trained tokens, about USD ", plan);
        Assert.Equal(20, cost.Epochs);
    }

    [Fact]
    public void SaysSoWhenTheCatalogDoesNotKnowTheModel()
    {
        JobCreateOptions options = Options();
        options.Model = "my-own-model";
        Assert.EndsWith("(uploaded first); no cost estimate is available.", JobCreatePlan.Describe(options, TestPaths.CookbookToyDataset, null, null, CancellationToken.None));
    }

    [Fact]
    public void WithoutEstimateTheCostIsNotMentioned() =>
        Assert.EndsWith("with training file '/data/train.jsonl' (uploaded first).", JobCreatePlan.DescribeWithoutEstimate(Options(), "/data/train.jsonl", null));

    [Fact]
    public void ReadsAWandbIntegrationFromAHashtable()
    {
        WandbIntegration integration = WandbIntegration.FromDictionary(new Hashtable { ["project"] = "ft", ["Entity"] = "team", ["Tags"] = new object[] { "a", "b" }, ["Type"] = "wandb" });
        Assert.Equal("ft", integration.Project);
        Assert.Equal("team", integration.Entity);
        Assert.Null(integration.Name);
        Assert.Equal(new[] { "a", "b" }, integration.Tags);
        Assert.Equal(new[] { "solo" }, WandbIntegration.FromDictionary(new Hashtable { ["Project"] = "p", ["Tags"] = "solo" }).Tags);
    }

    [Theory]
    [InlineData("Type", "mlflow", "not supported")]
    [InlineData("Colour", "blue", "unknown key 'Colour'")]
    [InlineData("Name", "run", "no Project")]
    public void RefusesABadIntegration(string key, string value, string expected)
    {
        var table = new Hashtable { [key] = value };
        if (key != "Name")
        {
            table["Project"] = "p";
        }
        FineTuneException ex = Assert.Throws<FineTuneException>(() => WandbIntegration.FromDictionary(table));
        Assert.Equal("FineTune.Job.InvalidIntegration", ex.ErrorId);
        Assert.Contains(expected, ex.Message);
    }
}
