using System;
using System.Collections.Generic;

namespace FineTune;

/// <summary>The estimated cost of a fine-tuning job on one training file.</summary>
public sealed class CostEstimate
{
    internal CostEstimate(string? path, string? model, string? provider, string method, long exampleCount, long billableTokens, int epochs,
        bool defaultEpochs, long trainedTokens, decimal? pricePerMillionTokens, decimal? estimatedCost, string currency,
        long? validationTokens, DateTime? retirementDate, IReadOnlyList<string> warnings)
    {
        Path = path;
        Model = model;
        Provider = provider;
        Method = method;
        ExampleCount = exampleCount;
        BillableTokens = billableTokens;
        Epochs = epochs;
        DefaultEpochs = defaultEpochs;
        TrainedTokens = trainedTokens;
        PricePerMillionTokens = pricePerMillionTokens;
        EstimatedCost = estimatedCost;
        Currency = currency;
        ValidationTokens = validationTokens;
        RetirementDate = retirementDate;
        Warnings = ValueList<string>.Of(warnings);
    }

    /// <summary>The training file; null for examples priced from the pipeline.</summary>
    public string? Path { get; }

    /// <summary>The base model snapshot, or null when only an encoding was given.</summary>
    public string? Model { get; }

    public string? Provider { get; }

    /// <summary>supervised, dpo or reinforcement.</summary>
    public string Method { get; }

    public long ExampleCount { get; }

    /// <summary>Tokens one epoch is billed for: the sum of min(tokens, limit) over examples.</summary>
    public long BillableTokens { get; }

    public int Epochs { get; }

    /// <summary>True when <c>Epochs</c> comes from the service's default heuristic, not from the user.</summary>
    public bool DefaultEpochs { get; }

    /// <summary>BillableTokens × Epochs.</summary>
    public long TrainedTokens { get; }

    public decimal? PricePerMillionTokens { get; }

    /// <summary>TrainedTokens × price / 1,000,000; null when the price is unknown or training is billed per hour.</summary>
    public decimal? EstimatedCost { get; }

    public string Currency { get; }

    /// <summary>Tokens of the validation file, which are not billed; null without one.</summary>
    public long? ValidationTokens { get; }

    public DateTime? RetirementDate { get; }

    /// <summary>Why the estimate may not hold: retired or retiring model, unknown price, per-hour billing.</summary>
    public IReadOnlyList<string> Warnings { get; }
}
