using System;
using System.Collections.Generic;
using System.Globalization;

namespace FineTune.Measurement;

/// <summary>Turns token statistics into a training cost, with the service's default epoch heuristic.</summary>
public static class CostEstimator
{
    internal const int TargetEpochs = 3;
    internal const int MinTargetExamples = 100;
    internal const int MaxTargetExamples = 25_000;
    internal const int MinDefaultEpochs = 1;
    internal const int MaxDefaultEpochs = 25;

    /// <summary>Days before a retirement date from which a warning is given.</summary>
    public const int RetirementWarningDays = Models.ModelDeadlines.WarningDays;

    /// <summary>
    /// The number of epochs the service picks when none is given: 3, raised so that
    /// examples × epochs reaches 100 (at most 25 epochs), lowered so that it stays within 25,000
    /// (at least 1 epoch).
    /// </summary>
    public static int DefaultEpochs(long exampleCount)
    {
        if (exampleCount <= 0)
        {
            return TargetEpochs;
        }
        if (exampleCount * TargetEpochs < MinTargetExamples)
        {
            return (int)Math.Min(MaxDefaultEpochs, MinTargetExamples / exampleCount);
        }
        if (exampleCount * TargetEpochs > MaxTargetExamples)
        {
            return (int)Math.Max(MinDefaultEpochs, MaxTargetExamples / exampleCount);
        }
        return TargetEpochs;
    }

    /// <param name="training">The training file's statistics.</param>
    /// <param name="model">The catalog entry, or null when only an encoding was given.</param>
    /// <param name="method">supervised, dpo or reinforcement.</param>
    /// <param name="epochs">Epochs to train, or null for the service's default.</param>
    /// <param name="pricePerMillionTokens">Overrides the catalog price.</param>
    /// <param name="validation">The validation file's statistics (not billed), or null.</param>
    /// <param name="today">The date retirement is checked against (UTC today in normal use).</param>
    public static CostEstimate Estimate(DatasetMeasurement training, BaseModel? model, string method, int? epochs, decimal? pricePerMillionTokens,
        DatasetMeasurement? validation, DateTime today)
    {
        if (epochs is <= 0)
        {
            throw new FineTuneException("FineTune.Measure.InvalidEpochs", FailureKind.InvalidArgument, $"Epochs must be at least 1, not {epochs}.", epochs);
        }
        var warnings = new List<string>();
        int chosenEpochs = epochs ?? DefaultEpochs(training.ExampleCount);
        long trainedTokens = training.BillableTokens * chosenEpochs;
        decimal? price = pricePerMillionTokens ?? model?.TrainingPricePerMillionTokens;
        bool perHour = string.Equals(method, "reinforcement", StringComparison.OrdinalIgnoreCase);
        decimal? cost = null;
        if (perHour)
        {
            string hourly = model?.ReinforcementPricePerHour is decimal perHourPrice
                ? string.Format(CultureInfo.InvariantCulture, " at {0} {1} per hour", perHourPrice, model.Currency)
                : "";
            warnings.Add($"Reinforcement fine-tuning is billed per hour of training{hourly}, not per token; the cost cannot be estimated from the data.");
        }
        else if (price is decimal perMillion)
        {
            cost = Math.Round(trainedTokens * perMillion / 1_000_000m, 4);
        }
        else
        {
            warnings.Add($"No training price is known for {model?.Snapshot ?? training.Encoding}{(model is null ? "" : " on " + model.Provider)}; pass -PricePerMillionTokens or add it to your catalog file.");
        }
        if (model is not null)
        {
            if (!model.Supports(method))
            {
                warnings.Add($"{model.Snapshot} on {model.Provider} does not list '{method}' among its training methods ({string.Join(", ", model.Methods)}).");
            }
            warnings.AddRange(Models.ModelDeadlines.For(model, today));
        }
        if (training.OverLimitCount > 0)
        {
            warnings.Add($"{training.OverLimitCount} example(s) exceed the {training.TokenLimit}-token limit and will be truncated; only the first {training.TokenLimit} tokens of each are billed.");
        }
        return new CostEstimate(training.Path, model?.Snapshot, model?.Provider, method.ToLowerInvariant(), training.ExampleCount, training.BillableTokens,
            chosenEpochs, epochs is null, trainedTokens, perHour ? null : price, cost, model?.Currency ?? "USD", validation?.TotalTokens,
            model?.RetirementDate, warnings);
    }
}
