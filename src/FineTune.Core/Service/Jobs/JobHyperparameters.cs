using System.Collections.Generic;
using System.Linq;

namespace FineTune;

/// <summary>
/// Hyperparameters of a job. A null value means the service chooses it (<c>auto</c>) and has
/// not reported its choice yet.
/// </summary>
public sealed class JobHyperparameters
{
    public int? Epochs { get; internal set; }

    public int? BatchSize { get; internal set; }

    public double? LearningRateMultiplier { get; internal set; }

    /// <summary>DPO only: weight of the penalty between the policy and the reference model.</summary>
    public double? Beta { get; internal set; }

    /// <summary>
    /// Hyperparameters FineTune has no property for (reinforcement's compute_multiplier,
    /// eval_interval, ...), by name: strings as they are, other values as JSON text. Values of
    /// <c>auto</c> are left out.
    /// </summary>
    public IReadOnlyDictionary<string, string> Other { get; internal set; } = new Dictionary<string, string>();

    public override string ToString() =>
        $"Epochs={Show(Epochs)} BatchSize={Show(BatchSize)} LearningRateMultiplier={Show(LearningRateMultiplier)}" +
        (Beta is null ? string.Empty : $" Beta={Show(Beta)}") +
        string.Concat(Other.OrderBy(p => p.Key, System.StringComparer.Ordinal).Select(p => $" {p.Key}={p.Value}"));

    private static string Show(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "auto";

    private static string Show(double? value) => value?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "auto";
}
