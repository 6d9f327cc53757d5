using System;
using System.Text.Json;
using FineTune.Models;
using FineTune.Service;
using FineTune.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

public sealed class TrainingTypeTests
{
    [Theory]
    [InlineData(TrainingType.Standard, "Standard")]
    [InlineData(TrainingType.GlobalStandard, "GlobalStandard")]
    [InlineData(TrainingType.Developer, "developerTier")]
    public void TheTierIsSentAsAzuresTrainingTypeField(TrainingType tier, string expected)
    {
        var options = new JobCreateOptions { Model = "gpt-4.1-2025-04-14", TrainingFile = "file-1", TrainingType = tier };

        using JsonDocument body = JsonDocument.Parse(JobRequest.Write(options, "ftreq_1"));

        Assert.Equal(expected, body.RootElement.GetProperty("trainingType").GetString());
    }

    [Fact]
    public void NoTierSendsNoField()
    {
        using JsonDocument body = JsonDocument.Parse(JobRequest.Write(new JobCreateOptions { Model = "m", TrainingFile = "file-1" }, "ftreq_1"));

        Assert.False(body.RootElement.TryGetProperty("trainingType", out _));
    }

    [Fact]
    public void AzuresMisleadingAnswerBecomesAHintAboutTheTier()
    {
        using ServiceConnection azure = ServiceConnection.Create(new ServiceConnectionSettings
        {
            Provider = ServiceProvider.AzureOpenAI, BaseUri = new Uri("https://res.openai.azure.com"), ApiKey = new ApiKey("sk-unit-test-key-0000"),
        });
        var error = new ServiceException(ServiceErrorIds.BadRequest, FailureKind.InvalidArgument, "The specified base model does not support fine-tuning. (HTTP 400 ...)",
            "file-1", null, null, 400, "req_1", "The specified base model does not support fine-tuning.", null, "invalidPayload");

        Assert.True(TrainingTierHint.Applies(error, azure));
        ServiceException explained = TrainingTierHint.Explain(error, new JobCreateOptions { Model = "gpt-4.1-2025-04-14", TrainingFile = "file-1" });

        Assert.Equal(ServiceErrorIds.BadRequest, explained.ErrorId);
        Assert.Contains("no training tier", explained.Message, StringComparison.Ordinal);
        Assert.Contains("-TrainingType GlobalStandard", explained.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("req_1", explained.RequestId);
    }

    [Fact]
    public void TheCatalogKnowsAzureTiersHostingAndOpenAIsDates()
    {
        ModelCatalog catalog = ModelCatalog.Embedded;
        BaseModel azure = catalog.Resolve("gpt-4.1-2025-04-14", "AzureOpenAI")!;
        BaseModel openai = catalog.Resolve("gpt-4o-mini-2024-07-18", "OpenAI")!;

        Assert.Equal(new[] { "Standard", "GlobalStandard", "Developer" }, azure.TrainingTypes);
        Assert.Equal(2.00m, azure.TrainingPriceFor("globalstandard"));
        Assert.Null(azure.TrainingPriceFor("Standard"));
        Assert.Equal(1.70m, azure.HostingPriceFor("GlobalStandard"));
        Assert.Equal(0m, azure.HostingPriceFor("DeveloperTier"));
        Assert.Equal(new DateTime(2027, 1, 6), openai.RetirementDate);
        Assert.Equal(new DateTime(2027, 1, 14), openai.InferenceRetirementDate);

        var warnings = ModelDeadlines.For(openai, new DateTime(2026, 11, 28));
        Assert.Equal(2, warnings.Count);
        Assert.Contains("2027-01-06, in 39 days", warnings[0], StringComparison.Ordinal);
        Assert.Contains("stop answering on OpenAI on 2027-01-14, in 47 days", warnings[1], StringComparison.Ordinal);
        Assert.Empty(ModelDeadlines.For(openai, new DateTime(2026, 9, 1)));
        Assert.Contains(catalog.Notes, note => note.Contains("1.70", StringComparison.Ordinal) && note.Contains("ms.date 2026-02-11", StringComparison.Ordinal));
    }
}
