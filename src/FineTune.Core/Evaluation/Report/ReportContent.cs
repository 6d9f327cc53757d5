using System;
using System.Collections.Generic;
using System.Linq;
using FineTune.Models;

namespace FineTune.Evaluation.Report;

/// <summary>Everything one report page shows: jobs with their metrics, comparison results and their summary.</summary>
public sealed class ReportContent
{
    public string Title { get; set; } = "Fine-tuning report";

    public DateTimeOffset GeneratedAt { get; set; } = DateTimeOffset.UtcNow;

    public List<JobReport> Jobs { get; } = new();

    /// <summary>Metric steps given directly (Get-FineTuneMetric output), by job id, for jobs not in <see cref="Jobs"/>.</summary>
    public List<MetricStep> LooseMetrics { get; } = new();

    public List<ComparisonResult> Results { get; } = new();

    /// <summary>The comparison's summary; computed from <see cref="Results"/> when left empty.</summary>
    public List<ComparisonSummary> Summaries { get; } = new();

    /// <summary>Fills <see cref="Summaries"/> from <see cref="Results"/> when no summary was given, at the catalog's prices.</summary>
    public void SummarizeResults(ModelCatalog? catalog, string? provider)
    {
        if (Summaries.Count > 0 || Results.Count == 0)
        {
            return;
        }
        var tally = new ComparisonTally();
        foreach (ComparisonResult result in Results)
        {
            tally.Add(result);
        }
        tally.SetJudge(Results.Select(r => r.JudgeModel).FirstOrDefault(j => j is not null));
        Summaries.AddRange(tally.Summaries(catalog, provider));
    }

    public bool IsEmpty => Jobs.Count == 0 && LooseMetrics.Count == 0 && Results.Count == 0 && Summaries.Count == 0;
}
