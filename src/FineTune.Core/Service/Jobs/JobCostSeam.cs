using System.Threading;

namespace FineTune.Service.Jobs;

/// <summary>
/// MERGE SEAM (for the lead): the cost estimate shown by <c>New-FineTuneJob -WhatIf</c> when
/// the training file is a local path. The cost engine (Measure-FineTuneCost) lives on another
/// branch; at merge time, make <see cref="Estimate"/> call it and return its one-line summary
/// (for example "about 1.2 M billable tokens x 3 epochs, USD 3.60"). Until then it returns
/// null and the -WhatIf message says that no estimate is available.
/// </summary>
internal static class JobCostSeam
{
    /// <param name="trainingFilePath">The local JSONL file about to be uploaded.</param>
    /// <param name="model">The base model (prices and encodings depend on it).</param>
    /// <param name="epochs">The requested epochs; null means the service's default heuristic.</param>
    /// <param name="cancellationToken">Ctrl+C: counting tokens of a large file takes a while.</param>
    public static string? Estimate(string trainingFilePath, string model, int? epochs, CancellationToken cancellationToken)
    {
        _ = trainingFilePath;
        _ = model;
        _ = epochs;
        cancellationToken.ThrowIfCancellationRequested();
        return null;
    }
}
