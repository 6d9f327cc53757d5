using FineTune.Measurement;
using FineTune.Models;
using Xunit;

namespace FineTune.Tests.Measurement;

public sealed class ModelSelectionTests
{
    private static readonly ModelCatalog s_catalog = ModelCatalog.Embedded;

    [Fact]
    public void NothingGiven_UsesTheDefaultModel()
    {
        ModelSelection selection = ModelSelection.Resolve(s_catalog, null, null, null, null);
        Assert.Equal("gpt-4o-mini-2024-07-18", selection.Model!.Snapshot);
        Assert.Equal("o200k_base", selection.Encoding.Name);
        Assert.Equal(65536, selection.TokenLimit);
    }

    [Fact]
    public void EncodingAndLimit_OverrideTheModel()
    {
        ModelSelection selection = ModelSelection.Resolve(s_catalog, "ft:gpt-4.1-2025-04-14:org:x:id", "OpenAI", "cl100k_base", 4096);
        Assert.Equal("gpt-4.1-2025-04-14", selection.Model!.Snapshot);
        Assert.Equal("cl100k_base", selection.Encoding.Name);
        Assert.Equal(4096, selection.TokenLimit);
    }

    [Fact]
    public void EncodingAlone_HasNoModelAndNoLimit()
    {
        ModelSelection selection = ModelSelection.Resolve(s_catalog, null, null, "cl100k_base", null);
        Assert.Null(selection.Model);
        Assert.Null(selection.TokenLimit);
    }

    [Fact]
    public void UnknownModelWithoutEncoding_IsObjectNotFoundListingKnownModels()
    {
        FineTuneException error = Assert.Throws<FineTuneException>(() => ModelSelection.Resolve(s_catalog, "gpt-9", null, null, null));
        Assert.Equal("FineTune.Catalog.ModelNotFound", error.ErrorId);
        Assert.Contains("gpt-4o-mini", error.RecommendedAction);
        Assert.Contains("-Encoding", error.RecommendedAction);
    }

    [Fact]
    public void UnknownModelWithEncoding_CountsWithTheEncoding()
    {
        ModelSelection selection = ModelSelection.Resolve(s_catalog, "my-own-model", null, "o200k_base", 1000);
        Assert.Null(selection.Model);
        Assert.Equal(1000, selection.TokenLimit);
    }

    [Fact]
    public void NonPositiveLimit_IsInvalid() =>
        Assert.Equal("FineTune.Measure.InvalidTokenLimit", Assert.Throws<FineTuneException>(() => ModelSelection.Resolve(s_catalog, null, null, null, 0)).ErrorId);
}
