using System;
using System.Text.Json;
using FineTune.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

public class JobJsonTests
{
    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void ReadsTheSpecExampleJob()
    {
        Job job = JobJson.ReadJob(Parse("""
            {"object":"fine_tuning.job","id":"ftjob-abc123","model":"davinci-002","created_at":1692661014,"finished_at":1692661190,
             "fine_tuned_model":"ft:davinci-002:my-org:custom_suffix:7q8mpxmy","organization_id":"org-123","result_files":["file-abc123"],
             "status":"succeeded","validation_file":null,"training_file":"file-abc123",
             "hyperparameters":{"n_epochs":4,"batch_size":1,"learning_rate_multiplier":1.0},"trained_tokens":5768,"integrations":[],"seed":0,
             "estimated_finish":0,"method":{"type":"supervised","supervised":{"hyperparameters":{"n_epochs":4,"batch_size":1,"learning_rate_multiplier":1.0}}},
             "metadata":{"key":"value"}}
            """));

        Assert.Equal("ftjob-abc123", job.Id);
        Assert.Equal("ftjob-abc123", job.JobId);
        Assert.Equal("davinci-002", job.Model);
        Assert.Equal("ft:davinci-002:my-org:custom_suffix:7q8mpxmy", job.FineTunedModel);
        Assert.Equal("succeeded", job.Status);
        Assert.True(job.IsTerminal);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1692661014), job.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1692661190), job.FinishedAt);
        Assert.Null(job.EstimatedFinish);
        Assert.Equal("file-abc123", job.TrainingFile);
        Assert.Null(job.ValidationFile);
        Assert.Equal(5768, job.TrainedTokens);
        Assert.Equal(4, job.Hyperparameters.Epochs);
        Assert.Equal(1, job.Hyperparameters.BatchSize);
        Assert.Equal(1.0, job.Hyperparameters.LearningRateMultiplier);
        Assert.Null(job.Hyperparameters.Beta);
        Assert.Equal("supervised", job.Method);
        Assert.Equal(0, job.Seed);
        Assert.Equal("value", job.Metadata["key"]);
        Assert.Equal(new[] { "file-abc123" }, job.ResultFiles);
        Assert.Null(job.Error);
        Assert.Equal("org-123", job.OrganizationId);
        Assert.Equal("ftjob-abc123", job.ToString());
    }

    [Fact]
    public void AutoHyperparametersAreNullAndDpoBetaIsRead()
    {
        Job job = JobJson.ReadJob(Parse("""
            {"id":"ftjob-1","status":"queued","model":"gpt-4o-mini","created_at":1,"fine_tuned_model":null,"hyperparameters":null,
             "method":{"type":"dpo","dpo":{"hyperparameters":{"n_epochs":"auto","batch_size":"auto","learning_rate_multiplier":"auto","beta":0.25}}}}
            """));

        Assert.Equal("dpo", job.Method);
        Assert.Null(job.Hyperparameters.Epochs);
        Assert.Null(job.Hyperparameters.BatchSize);
        Assert.Null(job.Hyperparameters.LearningRateMultiplier);
        Assert.Equal(0.25, job.Hyperparameters.Beta);
        Assert.Contains("Epochs=auto", job.Hyperparameters.ToString());
        Assert.Contains("Beta=0.25", job.Hyperparameters.ToString());
    }

    [Fact]
    public void ReadsTheFailureReasonAndIgnoresUnknownFields()
    {
        Job job = JobJson.ReadJob(Parse("""
            {"id":"ftjob-2","status":"failed","future_field":{"nested":[1,2,3]},"error":{"code":"invalid_training_file","message":"The file has 3 lines without an assistant message.","param":"training_file"},
             "integrations":[{"type":"wandb","wandb":{"project":"p","entity":"team","tags":["a","b"]}},{"type":"other","other":{}}],"estimated_finish":1700000000,"suffix":"helpdesk"}
            """));

        Assert.Equal("invalid_training_file", job.Error!.Code);
        Assert.Equal("The file has 3 lines without an assistant message.", job.Error.Message);
        Assert.Equal("training_file", job.Error.Param);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), job.EstimatedFinish);
        Assert.Equal("helpdesk", job.Suffix);
        WandbIntegration wandb = Assert.Single(job.Integrations);
        Assert.Equal("team/p", wandb.ToString());
        Assert.Equal(new[] { "a", "b" }, wandb.Tags);
    }

    [Fact]
    public void AnEmptyErrorObjectIsNoError()
    {
        Job job = JobJson.ReadJob(Parse("""{"id":"ftjob-3","status":"running","error":{}}"""));
        Assert.Null(job.Error);
        Assert.False(job.IsTerminal);
    }

    [Fact]
    public void AnUnknownStatusIsKeptAndIsNotTerminal()
    {
        Job job = JobJson.ReadJob(Parse("""{"id":"ftjob-4","status":"warming_up_gpus"}"""));
        Assert.Equal("warming_up_gpus", job.Status);
        Assert.False(job.IsTerminal);
        Assert.Null(JobFailure.ToException(job));
    }

    [Fact]
    public void ReadsAMetricsEvent()
    {
        JobEvent item = JobJson.ReadEvent(Parse("""
            {"object":"fine_tuning.job.event","id":"ftevent-9","created_at":1721764900,"level":"info","message":"Step 12/100: training loss=0.71",
             "type":"metrics","data":{"step":12,"train_loss":0.71,"train_mean_token_accuracy":0.8,"valid_loss":0.9,"valid_mean_token_accuracy":0.75,
             "full_valid_loss":0.88,"full_valid_mean_token_accuracy":0.77,"total_steps":100}}
            """), "ftjob-1");

        Assert.Equal("ftjob-1", item.JobId);
        Assert.Equal("ftevent-9", item.Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1721764900), item.CreatedAt);
        Assert.Equal("info", item.Level);
        Assert.Equal("metrics", item.Type);
        Assert.True(item.IsMetrics);
        Assert.Equal(12, item.Step);
        Assert.Equal(100, item.TotalSteps);
        Assert.Equal(0.71, item.TrainLoss);
        Assert.Equal(0.8, item.TrainAccuracy);
        Assert.Equal(0.9, item.ValidLoss);
        Assert.Equal(0.75, item.ValidAccuracy);
        Assert.Equal(0.88, item.FullValidLoss);
        Assert.Equal(0.77, item.FullValidAccuracy);
        Assert.Contains("\"step\":12", item.Data);
    }

    [Fact]
    public void TakesTheTotalStepsFromTheMessageWhenDataLacksIt()
    {
        JobEvent item = JobJson.ReadEvent(Parse("""
            {"id":"ftevent-1","created_at":1,"level":"info","message":"Step 30/240: training loss=1.02","type":"metrics","data":{"step":30,"train_loss":1.02}}
            """), "ftjob-1");
        Assert.Equal(30, item.Step);
        Assert.Equal(240, item.TotalSteps);
    }

    [Fact]
    public void AMessageEventHasNoMetrics()
    {
        JobEvent item = JobJson.ReadEvent(Parse("""{"id":"ftevent-2","created_at":1,"level":"warn","message":"Created fine-tuning job","data":{},"type":"message"}"""), "j");
        Assert.False(item.IsMetrics);
        Assert.Null(item.Step);
        Assert.Null(item.Data);
        Assert.Equal("Created fine-tuning job", item.ToString());
    }

    [Fact]
    public void ReadsTheSpecExampleCheckpoint()
    {
        Checkpoint checkpoint = JobJson.ReadCheckpoint(Parse("""
            {"object":"fine_tuning.job.checkpoint","id":"ftckpt_qtZ5Gyk4BLq1SfLFWp3RtO3P","created_at":1712211699,
             "fine_tuned_model_checkpoint":"ft:gpt-4o-mini-2024-07-18:my-org:custom_suffix:9ABel2dg:ckpt-step-88","fine_tuning_job_id":"ftjob-fpbNQ3H1GrMehXRf8cO97xTN",
             "metrics":{"step":88,"train_loss":0.478,"train_mean_token_accuracy":0.924,"valid_loss":10.112,"valid_mean_token_accuracy":0.145,"full_valid_loss":0.567,"full_valid_mean_token_accuracy":0.944},
             "step_number":88}
            """), "ignored");

        Assert.Equal("ftckpt_qtZ5Gyk4BLq1SfLFWp3RtO3P", checkpoint.Id);
        Assert.Equal("ftjob-fpbNQ3H1GrMehXRf8cO97xTN", checkpoint.JobId);
        Assert.Equal("ft:gpt-4o-mini-2024-07-18:my-org:custom_suffix:9ABel2dg:ckpt-step-88", checkpoint.FineTunedModelCheckpoint);
        Assert.Equal(88, checkpoint.Step);
        Assert.Equal(0.478, checkpoint.TrainLoss);
        Assert.Equal(0.924, checkpoint.TrainAccuracy);
        Assert.Equal(10.112, checkpoint.ValidLoss);
        Assert.Equal(0.145, checkpoint.ValidAccuracy);
        Assert.Equal(0.567, checkpoint.FullValidLoss);
        Assert.Equal(0.944, checkpoint.FullValidAccuracy);
    }

    [Theory]
    [InlineData("succeeded", true)]
    [InlineData("failed", true)]
    [InlineData("cancelled", true)]
    [InlineData("canceled", true)]
    [InlineData("Succeeded", true)]
    [InlineData("validating_files", false)]
    [InlineData("queued", false)]
    [InlineData("running", false)]
    [InlineData("paused", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("something_new", false)]
    public void TerminalStatuses(string? status, bool terminal) => Assert.Equal(terminal, JobStatus.IsTerminal(status));
}
