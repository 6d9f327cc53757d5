using System;
using System.Collections.Generic;

namespace FineTune.Evaluation;

/// <summary>What to compare and how to ask: the models, the judge, sampling and concurrency.</summary>
public sealed class ComparisonOptions
{
    /// <summary>Two or more models (or Azure deployments); the first is the one the others are measured against.</summary>
    public IReadOnlyList<string> Models { get; set; } = Array.Empty<string>();

    /// <summary>A model that says which answer is closer to the reference; null for none.</summary>
    public string? JudgeModel { get; set; }

    public double? Temperature { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public long? Seed { get; set; }

    /// <summary>Most calls in flight at once, over all models and the judge.</summary>
    public int ThrottleLimit { get; set; } = 5;

    internal void Validate()
    {
        if (Models.Count < 2)
        {
            throw new FineTuneException("FineTune.Evaluation.TooFewModels", FailureKind.InvalidArgument,
                $"A comparison needs at least two models; {Models.Count} {(Models.Count == 1 ? "was" : "were")} given.", Models,
                "Pass the base model first and the fine-tuned model after it, for example -Model gpt-4o-mini-2024-07-18, ft:gpt-4o-mini-2024-07-18:org:helpdesk:abc.");
        }
        foreach (string model in Models)
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                throw new FineTuneException("FineTune.Evaluation.EmptyModel", FailureKind.InvalidArgument,
                    "One of the models is empty.", Models, "Remove the empty name from -Model.");
            }
        }
        if (Temperature is { } t && (t < 0 || t > 2))
        {
            throw new FineTuneException("FineTune.Evaluation.InvalidTemperature", FailureKind.InvalidArgument,
                $"Temperature {t} is out of range.", t, "Use a number from 0 to 2.");
        }
        if (MaxCompletionTokens is < 1)
        {
            throw new FineTuneException("FineTune.Evaluation.InvalidMaxCompletionTokens", FailureKind.InvalidArgument,
                $"MaxCompletionTokens {MaxCompletionTokens} must be at least 1.", MaxCompletionTokens, "Use a positive number, or omit it.");
        }
        if (ThrottleLimit < 1)
        {
            throw new FineTuneException("FineTune.Evaluation.InvalidThrottleLimit", FailureKind.InvalidArgument,
                $"ThrottleLimit {ThrottleLimit} must be at least 1.", ThrottleLimit, "Use a positive number such as 5.");
        }
    }
}
