using System;
using System.Globalization;
using FineTune.Datasets;
using FineTune.Tokens;

namespace FineTune.Measurement;

/// <summary>
/// Warns about every example with more tokens than the model trains on: the service keeps
/// only the first <c>limit</c> tokens of it. Tokens are counted as Measure-FineTuneDataset counts them.
/// </summary>
public sealed class TokenLimitRule : IExampleRule
{
    private readonly ExampleTokenCounter _counter;
    private readonly int _limit;
    private readonly string _model;

    public TokenLimitRule(TokenEncoding encoding, int limit, string model)
    {
        if (limit <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The token limit must be positive.");
        }
        _counter = new ExampleTokenCounter(encoding, limit);
        _limit = limit;
        _model = model;
    }

    /// <summary>The rule for a model of the catalog (or an explicit encoding and limit, as Measure-FineTuneDataset takes them).</summary>
    public static TokenLimitRule For(ModelSelection selection, string model) =>
        new(selection.Encoding, selection.TokenLimit ?? throw new FineTuneException("FineTune.Catalog.NoTokenLimit", FailureKind.InvalidData,
            $"The model catalog has no token limit for '{model}'.", model, "Add maxTokensPerExample for it to your catalog file (FINETUNE_CATALOG_PATH)."), model);

    public void Check(ExampleContext example)
    {
        if (example.HasErrors)
        {
            return;
        }
        ExampleTokenCount? count = _counter.Count(example.Path ?? "", example.Line, example.Json).Example;
        if (count is { OverLimit: true })
        {
            example.Report(DatasetIssueSeverity.Warning, DatasetIssueCodes.OverTokenLimit, string.Format(CultureInfo.InvariantCulture,
                "The example has {0} tokens, more than the {1} that {2} trains on; the service truncates it to the first {1}. Shorten it or split it into several examples.",
                count.Tokens, _limit, _model));
        }
    }
}
