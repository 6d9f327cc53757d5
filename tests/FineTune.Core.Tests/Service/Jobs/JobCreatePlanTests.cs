using System.Collections;
using System.Threading;
using FineTune.Service.Jobs;
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
            JobCreatePlan.Describe(options, null, null, CancellationToken.None));
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
    public void SaysSoWhenNoEstimateIsAvailable()
    {
        // Until the lead wires JobCostSeam to the cost engine, the seam answers null.
        Assert.EndsWith("(uploaded first); no cost estimate is available.", JobCreatePlan.Describe(Options(), "/data/train.jsonl", null, CancellationToken.None));
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
