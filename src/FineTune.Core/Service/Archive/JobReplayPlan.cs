using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using FineTune.Service.Jobs;

namespace FineTune.Service.Archive;

/// <summary>The job <see cref="JobReplay.Prepare"/> will create, and the archived files to upload first.</summary>
public sealed class JobReplayPlan
{
    internal JobReplayPlan(Job source, JobCreateOptions options, string? trainingPath, string? validationPath, IReadOnlyList<string> warnings)
    {
        Source = source;
        Options = options;
        TrainingPath = trainingPath;
        ValidationPath = validationPath;
        Warnings = warnings;
    }

    /// <summary>The job being trained again.</summary>
    public Job Source { get; }

    /// <summary>The new job; change it to override what the archived job had (-Epochs, -Suffix, ...).</summary>
    public JobCreateOptions Options { get; }

    /// <summary>The archived training file to upload first; null when the job's file id is used as it is.</summary>
    public string? TrainingPath { get; }

    public string? ValidationPath { get; }

    /// <summary>What the new job will not carry over from the archived one.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>For -WhatIf and -Confirm: the replay's settings, then the job and the cost estimate.</summary>
    public string Describe(string? provider, CancellationToken cancellationToken) =>
        Prefix() + JobCreatePlan.Describe(Options, TrainingPath, ValidationPath, provider, cancellationToken);

    /// <summary>The same without the cost estimate (reads no file).</summary>
    public string DescribeWithoutEstimate() => Prefix() + JobCreatePlan.DescribeWithoutEstimate(Options, TrainingPath, ValidationPath);

    private string Prefix()
    {
        var settings = new List<string>();
        Add(settings, "seed", Options.Seed);
        Add(settings, "epochs", Options.Epochs);
        Add(settings, "batch size", Options.BatchSize);
        Add(settings, "learning rate multiplier", Options.LearningRateMultiplier);
        Add(settings, "beta", Options.Beta);
        string from = Source.ArchivePath is null ? "" : " from the archive";
        return $"Train job {Source.Id}{from} again ({(settings.Count == 0 ? "hyperparameters chosen by the service" : string.Join(", ", settings))}): ";
    }

    private static void Add(List<string> settings, string name, long? value)
    {
        if (value is { } v)
        {
            settings.Add(name + " " + v.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void Add(List<string> settings, string name, double? value)
    {
        if (value is { } v)
        {
            settings.Add(name + " " + v.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
