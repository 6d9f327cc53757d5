using System;
using System.Globalization;
using System.Threading;
using FineTune.Measurement;
using FineTune.Models;

namespace FineTune.Service.Jobs;

/// <summary>
/// The one-line cost estimate <c>New-FineTuneJob -WhatIf</c> shows for a local training file:
/// the file's exact billable tokens times the epochs, at the catalog's price for the model.
/// </summary>
public static class JobCostEstimate
{
    /// <summary>The summary, or null when the catalog does not know the model on this provider.</summary>
    public static string? Summarize(string trainingFilePath, JobCreateOptions options, string? provider, CancellationToken cancellationToken)
    {
        ModelSelection selection;
        try
        {
            selection = ModelSelection.Resolve(ModelCatalog.Load(), options.Model, provider, encoding: null, tokenLimit: null);
        }
        catch (FineTuneException ex) when (ex.ErrorId == "FineTune.Catalog.ModelNotFound")
        {
            return null;
        }
        DatasetMeasurement training = new DatasetMeasurer(selection.Encoding, selection.TokenLimit, options.Model)
            .Measure(trainingFilePath, cancellationToken: cancellationToken);
        string? tier = options.TrainingType?.ToString();
        decimal? tierPrice = tier is null ? null : selection.Model?.TrainingPriceFor(tier);
        CostEstimate cost = CostEstimator.Estimate(training, selection.Model, JobRequest.MethodName(options.Method), options.Epochs,
            pricePerMillionTokens: tierPrice, validation: null, DateTime.UtcNow.Date);
        string price = tier is not null && tierPrice is null && options.Method != FineTuneMethod.Reinforcement
            ? $"no {tier} training price in the model catalog"
            : cost.EstimatedCost is decimal amount
                ? string.Format(CultureInfo.InvariantCulture, "about {0} {1:0.00}{2}", cost.Currency, amount, tier is null ? "" : $" at the {tier} tier price of {tierPrice:0.00} per 1M tokens")
                : "no price in the model catalog";
        string warnings = cost.Warnings.Count > 0 ? " (" + string.Join("; ", cost.Warnings) + ")" : "";
        return string.Format(CultureInfo.InvariantCulture, "{0} billable tokens x {1} epochs = {2} trained tokens, {3}{4}",
            cost.BillableTokens, cost.Epochs, cost.TrainedTokens, price, warnings);
    }
}
