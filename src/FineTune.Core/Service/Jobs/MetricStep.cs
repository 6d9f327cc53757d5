using System.Collections.Generic;

namespace FineTune;

/// <summary>
/// One row of a job's result file: the metrics of one training step. Empty cells are null;
/// columns FineTune does not know are kept in <see cref="Extra"/>.
/// </summary>
public sealed class MetricStep
{
    public string JobId { get; internal set; } = string.Empty;

    /// <summary>The result file the row comes from.</summary>
    public string ResultFile { get; internal set; } = string.Empty;

    public int Step { get; internal set; }

    public double? TrainLoss { get; internal set; }

    /// <summary>Column <c>train_accuracy</c> (or <c>train_mean_token_accuracy</c>).</summary>
    public double? TrainAccuracy { get; internal set; }

    public double? ValidLoss { get; internal set; }

    public double? ValidMeanTokenAccuracy { get; internal set; }

    public double? FullValidLoss { get; internal set; }

    public double? FullValidMeanTokenAccuracy { get; internal set; }

    /// <summary>Unknown columns by header name, raw text, for rows that have them.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; internal set; } = ValueMap<string>.None;

    public override string ToString() => $"Step {Step}";
}
