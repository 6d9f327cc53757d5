using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Models;
using FineTune.Service;
using FineTune.Service.Archive;
using FineTune.Service.Files;
using FineTune.Service.Jobs;
using FineTune.Tests.Service.Fakes;
using FineTune.Tests.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Archive;

public sealed class JobReplayTests
{
    private static readonly DateTime BeforeOpenAiCloses = new(2026, 11, 28);
    private static readonly DateTime AfterOpenAiCloses = new(2027, 1, 6);

    [Theory]
    [InlineData(FineTuneMethod.Supervised, 3, null)]
    [InlineData(FineTuneMethod.Dpo, 2, 0.2)]
    public async Task TheReplayAsksTheNewProviderForTheSameMethodHyperparametersSuffixAndSeed(FineTuneMethod method, int epochs, double? beta)
    {
        // The job as it was created on OpenAI ...
        await using JobsFixture openAi = await JobsFixture.StartAsync();
        using var temp = new TempFolder();
        string training = temp.File("train.jsonl");
        File.WriteAllBytes(training, ArchiveAccount.Lines(10, "t"));
        string validation = temp.File("valid.jsonl");
        File.WriteAllBytes(validation, ArchiveAccount.Lines(3, "v"));
        var files = new FilesApi(openAi.Client);
        var original = new JobCreateOptions
        {
            Model = "gpt-4o-mini-2024-07-18",
            TrainingFile = (await files.UploadAsync(training, new FileUploadOptions(), CancellationToken.None)).Id,
            ValidationFile = (await files.UploadAsync(validation, new FileUploadOptions(), CancellationToken.None)).Id,
            Method = method,
            Epochs = epochs,
            BatchSize = 4,
            LearningRateMultiplier = 0.5,
            Beta = beta,
            Suffix = "helpdesk",
            Seed = 42,
        };
        original.Metadata["team"] = "it";
        Job created = await openAi.JobsClient.CreateAsync(original, CancellationToken.None);
        openAi.Jobs.Find(created.Id)!.Succeed(openAi.Server.Files, ArchiveAccount.ResultCsv);

        // ... archived, read back, and trained again on Azure with another model.
        string root = temp.File("archive");
        await ArchiveAccount.ExportAsync(ArchiveExporter.Open(openAi.Client, root));
        Job archived = Assert.Single(ArchiveReader.Open(root).ReadJobs(null, null, CancellationToken.None));
        await using JobsFixture azure = await JobsFixture.StartAsync(ServiceProvider.AzureOpenAI);
        JobReplayPlan replay = JobReplay.Prepare(archived, "gpt-4.1-mini-2025-04-14", "AzureOpenAI", ModelCatalog.Embedded, BeforeOpenAiCloses);
        Assert.Empty(replay.Warnings);
        var azureFiles = new FilesApi(azure.Client);
        replay.Options.TrainingFile = (await azureFiles.UploadAsync(replay.TrainingPath!, new FileUploadOptions(), CancellationToken.None)).Id;
        replay.Options.ValidationFile = (await azureFiles.UploadAsync(replay.ValidationPath!, new FileUploadOptions(), CancellationToken.None)).Id;
        await azure.JobsClient.CreateAsync(replay.Options, CancellationToken.None);

        JsonObject before = Assert.Single(openAi.Jobs.CreateBodies);
        JsonObject after = Assert.Single(azure.Jobs.CreateBodies);
        Assert.True(JsonNode.DeepEquals(before["method"], after["method"]), $"{before["method"]} <> {after["method"]}");
        Assert.Equal((string?)before["suffix"], (string?)after["suffix"]);
        Assert.Equal((long?)before["seed"], (long?)after["seed"]);
        Assert.Equal("it", (string?)after["metadata"]!["team"]);
        Assert.NotEqual((string?)before["metadata"]!["finetune_request_id"], (string?)after["metadata"]!["finetune_request_id"]);
        Assert.Equal("gpt-4.1-mini-2025-04-14", (string?)after["model"]);
        Assert.Equal(File.ReadAllBytes(training), azure.Server.Files.Find((string)after["training_file"]!)!.Content);
        Assert.Equal(File.ReadAllBytes(validation), azure.Server.Files.Find((string)after["validation_file"]!)!.Content);
        Assert.Equal("train.jsonl", azure.Server.Files.Find((string)after["training_file"]!)!.FileName);
    }

    [Fact]
    public async Task WhatTheServiceChoseForAutoIsWhatTheReplayAsksFor()
    {
        await using JobsFixture openAi = await JobsFixture.StartAsync();
        Job created = await openAi.JobsClient.CreateAsync(new JobCreateOptions { Model = "gpt-4o-mini-2024-07-18", TrainingFile = "file-x", Suffix = "s" }, CancellationToken.None);
        openAi.Jobs.Find(created.Id)!.Succeed(openAi.Server.Files, ArchiveAccount.ResultCsv);
        Job finished = await openAi.JobsClient.GetAsync(created.Id, CancellationToken.None);

        JobReplayPlan replay = JobReplay.Prepare(finished, null, null, ModelCatalog.Embedded, BeforeOpenAiCloses);

        Assert.Equal((3, 1, 1.8), (replay.Options.Epochs, replay.Options.BatchSize, replay.Options.LearningRateMultiplier));
        Assert.Equal("file-x", replay.Options.TrainingFile); // a job read from the service keeps its file ids
        Assert.Null(replay.TrainingPath);
        Assert.Equal("gpt-4o-mini-2024-07-18", replay.Options.Model);
        Assert.Equal("s", replay.Options.Suffix);
    }

    public static IEnumerable<object[]> ModelsThatNeedAChoice() => new[]
    {
        new object[] { "ft:gpt-4o-mini-2024-07-18:org:first:abc", "supervised", null!, BeforeOpenAiCloses, "continued training of the fine-tuned model 'ft:gpt-4o-mini-2024-07-18:org:first:abc'" },
        new object[] { "gpt-3.5-turbo-0125", "supervised", "AzureOpenAI", BeforeOpenAiCloses, "trained 'gpt-3.5-turbo-0125', which the model catalog does not list for AzureOpenAI" },
        new object[] { "gpt-4o-mini-2024-07-18", "supervised", null!, AfterOpenAiCloses, "trained 'gpt-4o-mini-2024-07-18', which OpenAI retired on 2027-01-06" },
        new object[] { "gpt-4o-mini-2024-07-18", "reinforcement", "AzureOpenAI", BeforeOpenAiCloses, "with the reinforcement method, which AzureOpenAI does not offer for that model" },
        new object[] { "my-own-model", "supervised", null!, BeforeOpenAiCloses, "which the model catalog does not list for OpenAI" },
    };

    [Theory]
    [MemberData(nameof(ModelsThatNeedAChoice))]
    public void WithoutModelTheArchivedModelIsUsedOnlyWhenTheProviderStillTrainsIt(string model, string method, string? provider, DateTime today, string why)
    {
        Job job = JobJson.ReadJob(JobObject(model, method));

        FineTuneException error = Assert.Throws<FineTuneException>(() => JobReplay.Prepare(job, null, provider, ModelCatalog.Embedded, today));

        Assert.Equal(JobReplay.ModelRequiredId, error.ErrorId);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Contains("-Model", error.Message, StringComparison.Ordinal);
        Assert.Equal("ftjob-r", error.Target);
        // Given a model, the same job is replayed.
        Assert.Equal("gpt-4.1-2025-04-14", JobReplay.Prepare(job, "gpt-4.1-2025-04-14", provider, ModelCatalog.Embedded, today).Options.Model);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("AzureOpenAI")]
    public void WithoutModelAModelTheProviderStillTrainsIsKept(string? provider)
    {
        Job job = JobJson.ReadJob(JobObject("gpt-4o-mini-2024-07-18", "dpo"));

        Assert.Equal("gpt-4o-mini-2024-07-18", JobReplay.Prepare(job, null, provider, ModelCatalog.Embedded, BeforeOpenAiCloses).Options.Model);
    }

    [Theory]
    [InlineData("ft:gpt-4o-mini-2024-07-18:org-1:helpdesk:AbC123", "helpdesk")]
    [InlineData("ft:gpt-4o-mini-2024-07-18:org-1::AbC123", null)]
    [InlineData("gpt-4o-mini-2024-07-18.ft-0123abcd", null)]
    public void TheSuffixIsReadFromTheFineTunedModelName(string fineTunedModel, string? suffix)
    {
        Job job = JobJson.ReadJob(JsonDocument.Parse($$"""{"id":"j","status":"succeeded","fine_tuned_model":"{{fineTunedModel}}"}""").RootElement.Clone());

        Assert.Equal(suffix, JobReplay.SuffixOf(job));
    }

    [Fact]
    public void AnAzureJobSaysItsSuffix()
    {
        Job job = JobJson.ReadJob(JsonDocument.Parse("""{"id":"j","status":"succeeded","suffix":"contoso","fine_tuned_model":"gpt-4o-mini-2024-07-18.ft-0123abcd-contoso"}""").RootElement.Clone());

        Assert.Equal("contoso", JobReplay.SuffixOf(job));
    }

    [Fact]
    public void WhatCannotBeCarriedOverIsAWarning()
    {
        Job job = JobJson.ReadJob(JsonDocument.Parse("""
            {"id":"ftjob-rl","status":"failed","model":"o4-mini-2025-04-16","training_file":"file-t","fine_tuned_model":null,"seed":null,
             "method":{"type":"reinforcement","reinforcement":{"grader":{"type":"string_check","name":"g","input":"{{sample.output_text}}","reference":"{{item.answer}}","operation":"eq"},
               "hyperparameters":{"n_epochs":2,"batch_size":"auto","learning_rate_multiplier":"auto","compute_multiplier":1.5,"reasoning_effort":"high","eval_interval":"auto"}}},
             "integrations":[{"type":"wandb","wandb":{"project":"rl-runs"}}]}
            """).RootElement.Clone());

        JobReplayPlan replay = JobReplay.Prepare(job, null, null, ModelCatalog.Embedded, BeforeOpenAiCloses);

        Assert.Equal(FineTuneMethod.Reinforcement, replay.Options.Method);
        Assert.Equal("string_check", JsonNode.Parse(replay.Options.GraderJson!)!["type"]!.GetValue<string>());
        Assert.Equal(2, replay.Options.Epochs);
        Assert.Collection(replay.Warnings,
            w => Assert.Contains("compute_multiplier=1.5 is not carried over", w, StringComparison.Ordinal),
            w => Assert.Contains("reasoning_effort=high is not carried over", w, StringComparison.Ordinal),
            w => Assert.Contains("Weights and Biases integration (rl-runs)", w, StringComparison.Ordinal),
            w => Assert.Contains("records no suffix", w, StringComparison.Ordinal),
            w => Assert.Contains("records no seed", w, StringComparison.Ordinal));
    }

    [Fact]
    public void AnArchivedJobWithoutItsTrainingFileCannotBeReplayed()
    {
        Job job = JobJson.ReadJob(JobObject("gpt-4o-mini-2024-07-18", "supervised"));
        job.ArchivePath = "/archive/jobs/ftjob-r";

        FineTuneException error = Assert.Throws<FineTuneException>(() => JobReplay.Prepare(job, null, null, ModelCatalog.Embedded, BeforeOpenAiCloses));

        Assert.Equal(JobReplay.FileMissingId, error.ErrorId);
        Assert.Contains("the archive has no usable copy of file-t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePlanNamesTheArchivedJobItsSettingsAndTheFilesToUpload()
    {
        Job job = JobJson.ReadJob(JobObject("gpt-4o-mini-2024-07-18", "dpo"));
        job.ArchivePath = "/archive/jobs/ftjob-r";
        job.TrainingFilePath = "/archive/files/file-t/train.jsonl";

        JobReplayPlan replay = JobReplay.Prepare(job, null, null, ModelCatalog.Embedded, BeforeOpenAiCloses);

        Assert.Equal(
            "Train job ftjob-r from the archive again (seed 9, epochs 2, beta 0.3): Create a dpo fine-tuning job of model 'gpt-4o-mini-2024-07-18' "
            + "with training file '/archive/files/file-t/train.jsonl' (uploaded first), suffix 'first'.",
            replay.DescribeWithoutEstimate());
    }

    private static JsonElement JobObject(string model, string method) => JsonDocument.Parse("""
        {"id":"ftjob-r","status":"succeeded","model":"MODEL","training_file":"file-t","seed":9,
         "fine_tuned_model":"ft:gpt-4o-mini-2024-07-18:org:first:abc",
         "method":{"type":"METHOD","METHOD":{"hyperparameters":{"n_epochs":2,"batch_size":"auto","learning_rate_multiplier":"auto","beta":0.3}}}}
        """.Replace("MODEL", model).Replace("METHOD", method)).RootElement.Clone();
}
