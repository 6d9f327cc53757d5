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

    public string Currency { get; }

    /// <summary>When the provider stops training this model (UTC date), or null when unknown.</summary>
    public DateTime? RetirementDate { get; }

    public bool Supports(string method) => Methods.Contains(method, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the retirement date is on or before <paramref name="today"/>.</summary>
    public bool IsRetired(DateTime today) => RetirementDate is DateTime date && date.Date <= today.Date;

    /// <summary>True when the model is not retired yet but retires within <paramref name="days"/> days of <paramref name="today"/>.</summary>
    public bool RetiresWithin(DateTime today, int days) =>
        RetirementDate is DateTime date && date.Date > today.Date && date.Date <= today.Date.AddDays(days);

    /// <inheritdoc/>
    public override string ToString() => $"{Provider}/{Snapshot}";
}
