using System.Text;
using System.Text.Json;
using FineTune.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

public class JobRequestTests
{
    private static JobCreateOptions Basic() => new() { Model = "gpt-4o-mini-2024-07-18", TrainingFile = "file-train" };

    private static string Body(JobCreateOptions options, string requestId = "req-1") => Encoding.UTF8.GetString(JobRequest.Write(options, requestId));

    [Fact]
    public void TheMinimalRequestUsesSupervisedAutoAndTagsTheRequestId()
    {
        Assert.Equal(
            """{"model":"gpt-4o-mini-2024-07-18","training_file":"file-train","method":{"type":"supervised","supervised":{"hyperparameters":{"n_epochs":"auto","batch_size":"auto","learning_rate_multiplier":"auto"}}},"metadata":{"finetune_request_id":"req-1"}}""",
            Body(Basic()));
    }

    [Fact]
    public void EveryOptionIsWritten()
    {
        JobCreateOptions options = Basic();
        options.ValidationFile = "file-valid";
        options.Suffix = "helpdesk";
        options.Seed = 42;
        options.Epochs = 3;
        options.BatchSize = 8;
        options.LearningRateMultiplier = 1.8;
        options.Metadata["team"] = "it";
        options.Integrations.Add(new WandbIntegration("proj", "run", "me", new[] { "x" }));

        using JsonDocument body = JsonDocument.Parse(Body(options));
        JsonElement root = body.RootElement;
        Assert.Equal("file-valid", root.GetProperty("validation_file").GetString());
        Assert.Equal("helpdesk", root.GetProperty("suffix").GetString());
        Assert.Equal(42, root.GetProperty("seed").GetInt64());
        JsonElement hyper = root.GetProperty("method").GetProperty("supervised").GetProperty("hyperparameters");
        Assert.Equal(3, hyper.GetProperty("n_epochs").GetInt32());
        Assert.Equal(8, hyper.GetProperty("batch_size").GetInt32());
        Assert.Equal(1.8, hyper.GetProperty("learning_rate_multiplier").GetDouble());
        Assert.Equal("it", root.GetProperty("metadata").GetProperty("team").GetString());
        Assert.Equal("req-1", root.GetProperty("metadata").GetProperty("finetune_request_id").GetString());
        JsonElement wandb = root.GetProperty("integrations")[0];
        Assert.Equal("wandb", wandb.GetProperty("type").GetString());
        Assert.Equal("proj", wandb.GetProperty("wandb").GetProperty("project").GetString());
        Assert.Equal("run", wandb.GetProperty("wandb").GetProperty("name").GetString());
        Assert.Equal("me", wandb.GetProperty("wandb").GetProperty("entity").GetString());
        Assert.Equal("x", wandb.GetProperty("wandb").GetProperty("tags")[0].GetString());
        Assert.False(root.TryGetProperty("hyperparameters", out _));
    }

    [Fact]
    public void DpoCarriesBeta()
    {
        JobCreateOptions options = Basic();
        options.Method = FineTuneMethod.Dpo;
        options.Beta = 0.1;
        using JsonDocument body = JsonDocument.Parse(Body(options));
        JsonElement method = body.RootElement.GetProperty("method");
        Assert.Equal("dpo", method.GetProperty("type").GetString());
        Assert.Equal(0.1, method.GetProperty("dpo").GetProperty("hyperparameters").GetProperty("beta").GetDouble());
        Assert.False(method.TryGetProperty("supervised", out _));
    }

    [Fact]
    public void DpoWithoutBetaSendsAuto()
    {
        JobCreateOptions options = Basic();
        options.Method = FineTuneMethod.Dpo;
        using JsonDocument body = JsonDocument.Parse(Body(options));
        Assert.Equal("auto", body.RootElement.GetProperty("method").GetProperty("dpo").GetProperty("hyperparameters").GetProperty("beta").GetString());
    }

    [Fact]
    public void ReinforcementCarriesTheGrader()
    {
        JobCreateOptions options = Basic();
        options.Method = FineTuneMethod.Reinforcement;
        options.GraderJson = """{"type":"string_check","name":"g","input":"{{sample.output_text}}","reference":"{{item.answer}}","operation":"eq"}""";
        using JsonDocument body = JsonDocument.Parse(Body(options));
        JsonElement reinforcement = body.RootElement.GetProperty("method").GetProperty("reinforcement");
        Assert.Equal("string_check", reinforcement.GetProperty("grader").GetProperty("type").GetString());
        Assert.Equal("auto", reinforcement.GetProperty("hyperparameters").GetProperty("n_epochs").GetString());
    }

    [Theory]
    [InlineData("Model")]
    [InlineData("TrainingFile")]
    [InlineData("Suffix")]
    [InlineData("Epochs")]
    [InlineData("BatchSize")]
    [InlineData("LearningRateMultiplier")]
    [InlineData("Beta")]
    [InlineData("Grader")]
    [InlineData("Metadata")]
    public void InvalidOptionsAreRefusedWithTheFieldNamed(string field)
    {
        JobCreateOptions options = Basic();
        switch (field)
        {
            case "Model": options.Model = " "; break;
            case "TrainingFile": options.TrainingFile = ""; break;
            case "Suffix": options.Suffix = new string('s', 65); break;
            case "Epochs": options.Epochs = 51; break;
            case "BatchSize": options.BatchSize = 0; break;
            case "LearningRateMultiplier": options.LearningRateMultiplier = 0; break;
            case "Beta": options.Beta = 0.5; break; // supervised: beta is DPO only
            case "Grader": options.Method = FineTuneMethod.Reinforcement; break;
            case "Metadata": options.Metadata["finetune_request_id"] = "mine"; break;
        }
        FineTuneException ex = Assert.Throws<FineTuneException>(() => JobRequest.Write(options, "r"));
        Assert.Equal("FineTune.Job.Invalid" + field, ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.False(string.IsNullOrEmpty(ex.RecommendedAction));
    }

    [Fact]
    public void DpoBetaAboveTwoIsRefused()
    {
        JobCreateOptions options = Basic();
        options.Method = FineTuneMethod.Dpo;
        options.Beta = 2.5;
        Assert.Equal("FineTune.Job.InvalidBeta", Assert.Throws<FineTuneException>(() => JobRequest.Write(options, "r")).ErrorId);
    }

    [Fact]
    public void SixteenUserMetadataPairsLeaveNoRoomForTheRequestId()
    {
        JobCreateOptions options = Basic();
        for (int i = 0; i < 15; i++)
        {
            options.Metadata["k" + i] = "v";
        }
        JobRequest.Write(options, "r");
        options.Metadata["k15"] = "v";
        Assert.Equal("FineTune.Job.InvalidMetadata", Assert.Throws<FineTuneException>(() => JobRequest.Write(options, "r")).ErrorId);
    }

    [Fact]
    public void AGraderThatIsNotJsonIsRefused()
    {
        JobCreateOptions options = Basic();
        options.Method = FineTuneMethod.Reinforcement;
        options.GraderJson = "{not json";
        Assert.Equal("FineTune.Job.InvalidGrader", Assert.Throws<FineTuneException>(() => JobRequest.Write(options, "r")).ErrorId);
    }

    [Theory]
    [InlineData("file-abc123", true)]
    [InlineData("file_XyZ-09", true)]
    [InlineData("./train.jsonl", false)]
    [InlineData("train.jsonl", false)]
    [InlineData("C:\\data\\train", false)]
    [InlineData("", false)]
    public void TellsFileIdsFromPaths(string value, bool isId) => Assert.Equal(isId, JobCreateOptions.LooksLikeFileId(value));
}
