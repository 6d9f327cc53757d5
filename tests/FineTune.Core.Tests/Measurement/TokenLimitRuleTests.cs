using System.Linq;
using FineTune.Datasets;
using FineTune.Measurement;
using FineTune.Tests;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Core.Tests.Measurement;

public sealed class TokenLimitRuleTests
{
    private static DatasetIssue[] Validate(int limit)
    {
        var options = new DatasetValidationOptions();
        options.Rules.Add(new TokenLimitRule(TokenEncoding.Get("cl100k_base"), limit, "the test model"));
        return DatasetValidator.ValidateFile(TestPaths.CookbookToyDataset, options).ToArray();
    }

    [Fact]
    public void The_cookbook_example_over_4096_tokens_is_warned_about_with_its_count()
    {
        DatasetIssue[] issues = Validate(4096);

        DatasetIssue over = Assert.Single(issues, i => i.Code == DatasetIssueCodes.OverTokenLimit);
        Assert.Equal(DatasetIssueSeverity.Warning, over.Severity);
        Assert.NotNull(over.Line);
        Assert.Contains("8032 tokens, more than the 4096 that the test model trains on", over.Message);
        // The notebook's other findings are unchanged.
        Assert.Equal(new[] { DatasetIssueCodes.MissingSystemMessage, DatasetIssueCodes.MissingUserMessage, DatasetIssueCodes.OverTokenLimit, DatasetIssueCodes.TooFewExamples },
            issues.Select(i => i.Code).OrderBy(c => c, System.StringComparer.Ordinal));
    }

    [Fact]
    public void A_limit_below_every_example_warns_about_every_example()
    {
        // The smallest toy example has 26 tokens.
        Assert.Equal(5, Validate(25).Count(i => i.Code == DatasetIssueCodes.OverTokenLimit));
        Assert.Equal(4, Validate(26).Count(i => i.Code == DatasetIssueCodes.OverTokenLimit));
    }

    [Fact]
    public void Catalog_models_without_a_limit_are_refused_with_a_fix()
    {
        FineTuneException error = Assert.Throws<FineTuneException>(() =>
            TokenLimitRule.For(ModelSelection.Resolve(FineTune.Models.ModelCatalog.Embedded, null, null, "cl100k_base", null), "custom"));
        Assert.Equal("FineTune.Catalog.NoTokenLimit", error.ErrorId);
    }
}
