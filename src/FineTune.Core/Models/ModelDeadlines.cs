using System;
using System.Collections.Generic;

namespace FineTune.Models;

/// <summary>
/// What is about to end for a model, as sentences to warn with: the last day its provider takes
/// new training jobs, and the day the model and its fine-tunes stop answering. Said from
/// <see cref="WarningDays"/> before each date, and once it has passed.
/// </summary>
public static class ModelDeadlines
{
    /// <summary>How long before a date the warnings start.</summary>
    public const int WarningDays = 90;

    public static IReadOnlyList<string> For(BaseModel model, DateTime today)
    {
        var warnings = new List<string>();
        if (model.RetirementDate is DateTime training)
        {
            if (model.IsRetired(today))
            {
                warnings.Add($"{model.Snapshot} on {model.Provider} retired for training on {training:yyyy-MM-dd}: new jobs are not accepted.");
            }
            else if (model.RetiresWithin(today, WarningDays))
            {
                warnings.Add($"{model.Snapshot} on {model.Provider} retires for training on {training:yyyy-MM-dd}, in {(training.Date - today.Date).Days} days: no new fine-tuning job is accepted from that day.");
            }
        }
        if (model.InferenceRetirementDate is DateTime inference && inference.Date <= today.Date.AddDays(WarningDays))
        {
            warnings.Add(inference.Date <= today.Date
                ? $"{model.Snapshot} and every model fine-tuned from it stopped answering on {model.Provider} on {inference:yyyy-MM-dd}."
                : $"{model.Snapshot} and every model fine-tuned from it stop answering on {model.Provider} on {inference:yyyy-MM-dd}, in {(inference.Date - today.Date).Days} days.");
        }
        return warnings;
    }
}
