using System;
using System.Collections.Generic;

namespace FineTune.Datasets;

/// <summary>Settings of <see cref="DatasetValidator"/>.</summary>
public sealed class DatasetValidationOptions
{
    /// <summary>
    /// The fewest examples a fine-tuning file may have. OpenAI documents it for training data;
    /// FineTune applies it to validation files too (see Split-FineTuneDataset's help).
    /// </summary>
    public const int ServiceMinimumExamples = 10;

    /// <summary>Below this many examples the file is an error (the service's minimum).</summary>
    public int MinimumExamples { get; set; } = ServiceMinimumExamples;

    /// <summary>Below this many examples the file gets a warning.</summary>
    public int RecommendedExamples { get; set; } = 50;

    /// <summary>Extra per-example checks, run after the built-in rules.</summary>
    public IList<IExampleRule> Rules { get; } = new List<IExampleRule>();

    /// <summary>Threads that check the lines of a file while one reads it; all cores by default.</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>The line limit; lowered by tests only (every reader uses <see cref="JsonlReader.DefaultMaxLineBytes"/>).</summary>
    internal int MaxLineBytes { get; set; } = JsonlReader.DefaultMaxLineBytes;

    /// <summary>Line fingerprints kept in memory before duplicate finding spills to disk; lowered by tests.</summary>
    internal int DuplicateBufferRecords { get; set; } = DuplicateFinder.DefaultBufferRecords;

    /// <summary>
    /// Called on the thread that enumerates the issues, with (bytes read, file length) about every 8 MB and at
    /// the end of each pass, so a host can show progress.
    /// </summary>
    public Action<long, long>? Progress { get; set; }
}
