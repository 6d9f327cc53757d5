using System;
using System.IO;
using System.Linq;
using FineTune.Models;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Models;

public sealed class ModelCatalogTests
{
    [Fact]
    public void Embedded_EveryEntryIsCompleteAndUsesAKnownEncoding()
    {
        ModelCatalog catalog = ModelCatalog.Embedded;
        Assert.NotEmpty(catalog.Models);
        Assert.NotEmpty(catalog.Notes);
        foreach (BaseModel model in catalog.Models)
        {
            Assert.Contains(model.Provider, new[] { "OpenAI", "AzureOpenAI" });
            Assert.Contains(model.Encoding, TokenEncoding.Names);
            Assert.NotEmpty(model.Methods);
            Assert.True(model.TokenLimit is null or > 0);
        }
        Assert.Equal(catalog.Models.Count, catalog.Models.Select(m => (m.Provider, m.Snapshot)).Distinct().Count());
    }

    [Theory]
    [InlineData("gpt-4o-mini", "gpt-4o-mini-2024-07-18")]
    [InlineData("GPT-4O-MINI-2024-07-18", "gpt-4o-mini-2024-07-18")]
    [InlineData("ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:AbC123", "gpt-4o-mini-2024-07-18")]
    [InlineData("ft:gpt-4.1-nano-2025-04-14:org::id", "gpt-4.1-nano-2025-04-14")]
    [InlineData("gpt-4o-2024-08-06.ft-0123456789abcdef", "gpt-4o-2024-08-06")]
    [InlineData("gpt-3.5-turbo", "gpt-3.5-turbo-0125")]
    public void Resolve_FindsTheBaseSnapshot(string name, string snapshot)
    {
        BaseModel? model = ModelCatalog.Embedded.Resolve(name);
        Assert.NotNull(model);
        Assert.Equal(snapshot, model!.Snapshot);
        Assert.Equal("OpenAI", model.Provider);
    }

    [Fact]
    public void Resolve_PrefersTheRequestedProviderAndReturnsNullForUnknownModels()
    {
        Assert.Equal("AzureOpenAI", ModelCatalog.Embedded.Resolve("gpt-4o-mini", "AzureOpenAI")!.Provider);
        Assert.Null(ModelCatalog.Embedded.Resolve("no-such-model"));
        Assert.Null(ModelCatalog.Embedded.Resolve(""));
    }

    [Fact]
    public void Load_MergesTheUserFileFieldByFieldAndAddsNewEntries()
    {
        string path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
        {
          // comments are allowed in user files
          "notes": "my prices",
          "models": [
            { "provider": "OpenAI", "snapshot": "gpt-4o-mini-2024-07-18", "trainingPricePerMillionTokens": 2.5, "retirementDate": null },
            { "provider": "OpenAI", "name": "my-model", "snapshot": "my-model-2026-01-01", "encoding": "cl100k_base", "maxTokensPerExample": 1000, "methods": ["supervised"], "currency": "EUR" }
          ]
        }
        """);
        try
        {
            ModelCatalog catalog = ModelCatalog.Load(path);
            BaseModel mini = catalog.Resolve("gpt-4o-mini")!;
            Assert.Equal(2.5m, mini.TrainingPricePerMillionTokens);
            Assert.Null(mini.RetirementDate);
            Assert.Equal(65536, mini.TokenLimit);
            Assert.Equal("o200k_base", mini.Encoding);
            BaseModel mine = catalog.Resolve("my-model")!;
            Assert.Equal(1000, mine.TokenLimit);
            Assert.Equal("EUR", mine.Currency);
            Assert.Contains("my prices", catalog.Notes);
            Assert.Equal(3.00m, ModelCatalog.Embedded.Resolve("gpt-4o-mini")!.TrainingPricePerMillionTokens);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("{ \"models\": [ { \"provider\": \"OpenAI\", \"snapshot\": \"x\" } ] }", "models[", "encoding")]
    [InlineData("{ \"models\": [ { \"provider\": \"OpenAI\", \"snapshot\": \"x\", \"encoding\": \"p50k_base\" } ] }", "models[", "p50k_base")]
    [InlineData("{ \"models\": [ { \"provider\": \"OpenAI\", \"snapshot\": \"gpt-4o-2024-08-06\", \"trainingPricePerMillionTokens\": \"cheap\" } ] }", "trainingPricePerMillionTokens", "number")]
    [InlineData("{ \"models\": [ ", "line", "JSON")]
    [InlineData("[]", "models", "object")]
    public void Load_InvalidFile_NamesTheFileAndTheProblem(string json, string part1, string part2)
    {
        string path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            FineTuneException error = Assert.Throws<FineTuneException>(() => ModelCatalog.Load(path));
            Assert.Equal("FineTune.Catalog.Invalid", error.ErrorId);
            Assert.Contains(path, error.Message);
            Assert.Contains(part1, error.Message);
            Assert.Contains(part2, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_IsObjectNotFound()
    {
        FineTuneException error = Assert.Throws<FineTuneException>(() => ModelCatalog.Load("/no/such/catalog.json"));
        Assert.Equal("FineTune.Catalog.NotFound", error.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, error.Kind);
    }

    [Fact]
    public void RetirementChecks_UseTheDate()
    {
        BaseModel model = ModelCatalog.Embedded.Resolve("gpt-4o-mini")!;
        DateTime retirement = model.RetirementDate!.Value;
        Assert.True(model.IsRetired(retirement));
        Assert.False(model.IsRetired(retirement.AddDays(-1)));
        Assert.True(model.RetiresWithin(retirement.AddDays(-30), 30));
        Assert.False(model.RetiresWithin(retirement.AddDays(-31), 30));
    }

    [Theory]
    [InlineData("ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:AbC123", "OpenAI")]
    [InlineData("gpt-4o-mini-2024-07-18.ft-0123456789abcdef", "AzureOpenAI")]
    [InlineData("gpt-4o-mini-2024-07-18", null)]
    [InlineData("gpt-4o-mini", null)]
    public void ProviderOfFineTunedName_FollowsEachProvidersNaming(string name, string? provider) =>
        Assert.Equal(provider, ModelCatalog.ProviderOfFineTunedName(name));
}
