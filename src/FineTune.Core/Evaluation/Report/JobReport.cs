using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Models;
using FineTune.Service.Jobs;

namespace FineTune.Evaluation.Report;

/// <summary>
/// What a report shows of one job: the job itself, its per-step metrics (from its result files,
/// or from its metrics events while it has none) and its cost at the catalog's training price.
/// </summary>
public sealed class JobReport
{
    public JobReport(Job job, IReadOnlyList<MetricStep> metrics, string metricsSource)
    {
        Job = job ?? throw new ArgumentNullException(nameof(job));
        Metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        MetricsSource = metricsSource;
    }

    public Job Job { get; }

    public IReadOnlyList<MetricStep> Metrics { get; }

    /// <summary>Where the metrics come from, in words (result file ids, or metrics events).</summary>
    public string MetricsSource { get; }

    /// <summary>Why the metrics could not be read; null when they could.</summary>
    public string? MetricsProblem { get; set; }

    /// <summary>Trained tokens at the catalog's training price; null when either is unknown.</summary>
    public decimal? Cost { get; set; }

    public string? Currency { get; set; }

    /// <summary>From creation to the end of training; null while the job runs.</summary>
    public TimeSpan? Duration => Job.CreatedAt is { } created && Job.FinishedAt is { } finished && finished >= created ? finished - created : null;

    /// <summary>
    /// Reads the job afresh and its metrics: the result files once the job has them, otherwise
    /// the metrics events. A metrics failure is recorded in <see cref="MetricsProblem"/> (and
    /// returned through <paramref name="metricsError"/>) rather than thrown: the rest of the job still reports.
    /// </summary>
    public static async Task<JobReport> LoadAsync(JobsClient jobs, string jobId, ModelCatalog? catalog, string? provider, Action<FineTuneException>? metricsError, CancellationToken cancellationToken)
    {
        Job job = await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
        var metrics = new List<MetricStep>();
        string source;
        string? problem = null;
        try
        {
            if (job.ResultFiles.Count > 0)
            {
                source = "result file " + string.Join(", ", job.ResultFiles);
                await foreach (MetricStep step in jobs.GetMetricsAsync(job, cancellationToken).ConfigureAwait(false))
                {
                    metrics.Add(step);
                }
            }
            else
            {
                source = "metrics events (the job has no result file yet)";
                IReadOnlyList<JobEvent> events = await jobs.GetEventsAsync(jobId, null, cancellationToken).ConfigureAwait(false);
                metrics.AddRange(FromEvents(events));
            }
        }
        catch (FineTuneException ex)
        {
            source = "none";
            problem = ex.Message;
            metricsError?.Invoke(ex);
        }
        var report = new JobReport(job, metrics, source) { MetricsProblem = problem };
        report.PriceWith(catalog, provider);
        return report;
    }

    /// <summary>Sets <see cref="Cost"/> from the trained tokens and the catalog's price per 1M training tokens.</summary>
    public void PriceWith(ModelCatalog? catalog, string? provider)
    {
        if (Job.TrainedTokens is long tokens && Job.Model is { } model && catalog?.Resolve(model, provider) is { TrainingPricePerMillionTokens: decimal price } entry
            && !string.Equals(Job.Method, "reinforcement", StringComparison.OrdinalIgnoreCase))
        {
            Cost = tokens * price / 1_000_000m;
            Currency = entry.Currency;
        }
    }

    /// <summary>Metrics events as steps, one per step (the last event of a step wins), in step order.</summary>
    public static IReadOnlyList<MetricStep> FromEvents(IEnumerable<JobEvent> events)
    {
        var steps = new SortedDictionary<int, MetricStep>();
        foreach (JobEvent item in events)
        {
            if (item.Step is not int step || !item.IsMetrics)
            {
                continue;
            }
            steps[step] = new MetricStep
            {
                JobId = item.JobId,
                ResultFile = string.Empty,
                Step = step,
                TrainLoss = item.TrainLoss,
                TrainAccuracy = item.TrainAccuracy,
                ValidLoss = item.ValidLoss,
                ValidMeanTokenAccuracy = item.ValidAccuracy,
                FullValidLoss = item.FullValidLoss,
                FullValidMeanTokenAccuracy = item.FullValidAccuracy,
            };
        }
        return steps.Values.ToList();
    }
}
