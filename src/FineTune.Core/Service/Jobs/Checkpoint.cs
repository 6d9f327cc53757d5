using System;

namespace FineTune;

/// <summary>A usable model checkpoint saved during a job, with the metrics at its step.</summary>
public sealed class Checkpoint
{
    public string Id { get; internal set; } = string.Empty;

    public string JobId { get; internal set; } = string.Empty;

    /// <summary>The checkpoint's model name (usable with <c>Invoke-FineTuneChat -Model</c>).</summary>
    public string FineTunedModelCheckpoint { get; internal set; } = string.Empty;

    public DateTimeOffset? CreatedAt { get; internal set; }

    public int? Step { get; internal set; }

    public double? TrainLoss { get; internal set; }

    public double? TrainAccuracy { get; internal set; }

    public double? ValidLoss { get; internal set; }

    public double? ValidAccuracy { get; internal set; }

    public double? FullValidLoss { get; internal set; }

    public double? FullValidAccuracy { get; internal set; }

    public override string ToString() => FineTunedModelCheckpoint;
}
