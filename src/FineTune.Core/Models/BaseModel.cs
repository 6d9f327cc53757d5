using System;
using System.Collections.Generic;
using System.Linq;

namespace FineTune;

/// <summary>
/// A fine-tunable base model of one provider, as the model catalog describes it: its snapshot,
/// token encoding, per-example token limit, training methods, prices and retirement date.
/// </summary>
public sealed class BaseModel
{
    public BaseModel(string provider, string name, string snapshot, string encoding, int? tokenLimit, IReadOnlyList<string> methods,
        decimal? trainingPricePerMillionTokens, decimal? reinforcementPricePerHour, string currency, DateTime? retirementDate)
    {
        Provider = provider;
        Name = name;
        Snapshot = snapshot;
        Encoding = encoding;
        TokenLimit = tokenLimit;
        Methods = ValueList<string>.Of(methods);
        TrainingPricePerMillionTokens = trainingPricePerMillionTokens;
        ReinforcementPricePerHour = reinforcementPricePerHour;
        Currency = currency;
        RetirementDate = retirementDate;
    }

    /// <summary><c>OpenAI</c> or <c>AzureOpenAI</c>.</summary>
    public string Provider { get; }

    /// <summary>The alias users type, e.g. <c>gpt-4o-mini</c>.</summary>
    public string Name { get; }

    /// <summary>The dated snapshot a job is created from, e.g. <c>gpt-4o-mini-2024-07-18</c>.</summary>
    public string Snapshot { get; }

    /// <summary>The tiktoken encoding, <c>cl100k_base</c> or <c>o200k_base</c>.</summary>
    public string Encoding { get; }

    /// <summary>Most tokens per training example; longer examples are truncated. Null when unknown.</summary>
    public int? TokenLimit { get; }

    /// <summary>Training methods and capabilities: supervised, dpo, reinforcement, vision.</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>Price per 1M trained tokens (supervised and DPO), or null when unknown.</summary>
    public decimal? TrainingPricePerMillionTokens { get; }

    /// <summary>Price per hour of reinforcement training, or null when unknown or not offered.</summary>
    public decimal? ReinforcementPricePerHour { get; }

    /// <summary>Price per 1M input tokens sent to the base model, or null when unknown.</summary>
    public decimal? InputPricePerMillionTokens { get; internal set; }

    /// <summary>Price per 1M output tokens of the base model, or null when unknown.</summary>
    public decimal? OutputPricePerMillionTokens { get; internal set; }

    /// <summary>Price per 1M input tokens sent to a model fine-tuned from this one, or null when unknown.</summary>
    public decimal? FineTunedInputPricePerMillionTokens { get; internal set; }

    /// <summary>Price per 1M output tokens of a model fine-tuned from this one, or null when unknown.</summary>
    public decimal? FineTunedOutputPricePerMillionTokens { get; internal set; }

    public string Currency { get; }

    /// <summary>When the provider stops training this model (UTC date), or null when unknown.</summary>
    public DateTime? RetirementDate { get; }

    /// <summary>When the model and every model fine-tuned from it stop answering (UTC date), or null when unknown.</summary>
    public DateTime? InferenceRetirementDate { get; internal set; }

    /// <summary>Azure: the training tiers the model can be trained on (Standard, GlobalStandard, Developer).</summary>
    public IReadOnlyList<string> TrainingTypes { get; internal set; } = ValueList<string>.None;

    /// <summary>Azure: the price per 1M trained tokens of each training tier that is known.</summary>
    public IReadOnlyDictionary<string, decimal> TrainingPricesPerMillionTokens { get; internal set; } = ValueMap<decimal>.None;

    /// <summary>Azure: the hourly hosting charge of a deployment of a fine-tuned model, per deployment SKU (Standard, GlobalStandard, DeveloperTier).</summary>
    public IReadOnlyDictionary<string, decimal> HostingPricesPerHour { get; internal set; } = ValueMap<decimal>.None;

    /// <summary>The price per 1M trained tokens on <paramref name="trainingType"/>, else the model's one price; null when unknown.</summary>
    public decimal? TrainingPriceFor(string? trainingType) =>
        trainingType is not null
            ? TrainingPricesPerMillionTokens.Where(p => string.Equals(p.Key, trainingType, StringComparison.OrdinalIgnoreCase)).Select(p => (decimal?)p.Value).FirstOrDefault()
            : TrainingPricePerMillionTokens;

    /// <summary>The hourly hosting charge of a deployment on <paramref name="sku"/>; null when unknown.</summary>
    public decimal? HostingPriceFor(string sku) =>
        HostingPricesPerHour.Where(p => string.Equals(p.Key, sku, StringComparison.OrdinalIgnoreCase)).Select(p => (decimal?)p.Value).FirstOrDefault();

    /// <summary>
    /// The cost of a call's tokens at the catalog's inference prices (the fine-tuned prices when
    /// <paramref name="fineTuned"/>); null when either price is unknown.
    /// </summary>
    public decimal? InferenceCost(long promptTokens, long completionTokens, bool fineTuned)
    {
        decimal? input = fineTuned ? FineTunedInputPricePerMillionTokens : InputPricePerMillionTokens;
        decimal? output = fineTuned ? FineTunedOutputPricePerMillionTokens : OutputPricePerMillionTokens;
        return input is decimal i && output is decimal o ? (promptTokens * i + completionTokens * o) / 1_000_000m : null;
    }

    public bool Supports(string method) => Methods.Contains(method, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the retirement date is on or before <paramref name="today"/>.</summary>
    public bool IsRetired(DateTime today) => RetirementDate is DateTime date && date.Date <= today.Date;

    /// <summary>True when the model is not retired yet but retires within <paramref name="days"/> days of <paramref name="today"/>.</summary>
    public bool RetiresWithin(DateTime today, int days) =>
        RetirementDate is DateTime date && date.Date > today.Date && date.Date <= today.Date.AddDays(days);

    /// <inheritdoc/>
    public override string ToString() => $"{Provider}/{Snapshot}";
}
