using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using FineTune.Datasets;

namespace FineTune.Evaluation.Report;

/// <summary>
/// Writes a report as one self-contained HTML page: no network at all (the
/// Content-Security-Policy allows nothing but its own inline style and script, by hash),
/// charts as inline SVG, every text from data or the service escaped, tables sortable and
/// filterable by a small inline script, and a print layout.
/// </summary>
public static class HtmlReport
{
    private static readonly Lazy<string> Style = new(() => Resource("report.css"));
    private static readonly Lazy<string> Script = new(() => Resource("report.js"));

    /// <summary>The Content-Security-Policy of every report: nothing from anywhere, only the page's own style and script.</summary>
    public static string ContentSecurityPolicy =>
        $"default-src 'none'; style-src '{Hash(Style.Value)}'; script-src '{Hash(Script.Value)}'; img-src data:; base-uri 'none'; form-action 'none'";

    /// <summary>Writes the report to <paramref name="path"/> atomically (a temporary file renamed over it).</summary>
    public static void WriteFile(string path, ReportContent content, bool force = false)
    {
        using AtomicFileWriter file = AtomicFileWriter.Open(path, FileWriteMode.Overwrite, force);
        using (var writer = new StreamWriter(file.Stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" })
        {
            Write(writer, content);
        }
        file.Commit();
    }

    public static void Write(TextWriter html, ReportContent content)
    {
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }
        html.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Write($"<meta http-equiv=\"Content-Security-Policy\" content=\"{HtmlText.Escape(ContentSecurityPolicy)}\">\n");
        html.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n");
        html.Write($"<meta name=\"generator\" content=\"FineTune {HtmlText.Escape(typeof(HtmlReport).Assembly.GetName().Version?.ToString(3))}\">\n");
        html.Write($"<title>{HtmlText.Escape(content.Title)}</title>\n<style>{Style.Value}</style>\n</head>\n<body>\n");
        html.Write($"<header><h1>{HtmlText.Escape(content.Title)}</h1><p class=\"meta\">Generated {HtmlText.Escape(content.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))} by FineTune.</p></header>\n");

        int chart = 0;
        foreach (JobReport job in content.Jobs)
        {
            WriteJob(html, job, ref chart);
        }
        var reportedJobs = new HashSet<string>(content.Jobs.Select(j => j.Job.Id), StringComparer.Ordinal);
        foreach (IGrouping<string, MetricStep> loose in content.LooseMetrics.Where(m => !reportedJobs.Contains(m.JobId)).GroupBy(m => m.JobId))
        {
            html.Write($"<section class=\"job\"><h2>Training metrics of {HtmlText.Escape(loose.Key)}</h2>\n");
            WriteCharts(html, loose.OrderBy(m => m.Step).ToList(), ref chart);
            html.Write("</section>\n");
        }

        if (content.Summaries.Count > 0)
        {
            WriteSummary(html, content.Summaries);
        }
        if (content.Results.Count > 0)
        {
            WriteResults(html, content.Results);
        }
        if (content.IsEmpty)
        {
            html.Write("<p class=\"note\">Nothing to report: give a job, metrics or comparison results.</p>\n");
        }
        html.Write("<footer>Scores: exact match after normalising white space and case; F1 over words (letters and digits, case ignored). ");
        html.Write("The judge is asked twice with the answers in swapped order; a verdict that follows the order is a tie. Costs are estimates at the prices of the model catalog (Get-FineTuneBaseModel).</footer>\n");
        html.Write($"<script>{Script.Value}</script>\n</body>\n</html>\n");
    }

    private static void WriteJob(TextWriter html, JobReport report, ref int chart)
    {
        Job job = report.Job;
        html.Write($"<section class=\"job\" data-job=\"{HtmlText.Escape(job.Id)}\"><h2>Job {HtmlText.Escape(job.Id)}</h2>\n<dl class=\"facts\">");
        Fact(html, "Status", job.Status);
        Fact(html, "Method", job.Method ?? "supervised");
        Fact(html, "Base model", job.Model);
        Fact(html, "Fine-tuned model", job.FineTunedModel ?? "(none yet)");
        JobHyperparameters hp = job.Hyperparameters;
        Fact(html, "Epochs", hp.Epochs?.ToString(CultureInfo.InvariantCulture) ?? "auto");
        Fact(html, "Batch size", hp.BatchSize?.ToString(CultureInfo.InvariantCulture) ?? "auto");
        Fact(html, "Learning rate multiplier", hp.LearningRateMultiplier?.ToString("R", CultureInfo.InvariantCulture) ?? "auto");
        if (hp.Beta is double beta)
        {
            Fact(html, "Beta", beta.ToString("R", CultureInfo.InvariantCulture));
        }
        Fact(html, "Trained tokens", job.TrainedTokens?.ToString("N0", CultureInfo.InvariantCulture) ?? "(not reported yet)");
        Fact(html, "Cost", report.Cost is decimal cost
            ? string.Format(CultureInfo.InvariantCulture, "{0} {1:0.00##} (trained tokens at the catalog's training price)", report.Currency, cost)
            : "(unknown: no trained tokens yet, or no price in the catalog)");
        Fact(html, "Created", Time(job.CreatedAt));
        Fact(html, "Finished", Time(job.FinishedAt));
        Fact(html, "Duration", report.Duration is TimeSpan duration ? Duration(duration) : "(still running)");
        Fact(html, "Seed", job.Seed?.ToString(CultureInfo.InvariantCulture));
        Fact(html, "Training file", job.TrainingFile);
        Fact(html, "Validation file", job.ValidationFile ?? "(none)");
        if (job.Suffix is { } suffix)
        {
            Fact(html, "Suffix", suffix);
        }
        Fact(html, "Metrics from", report.MetricsSource);
        html.Write("</dl>\n");
        if (job.Error is { } error)
        {
            html.Write($"<p class=\"problem\">The job failed: {HtmlText.Escape(error.ToString())}</p>\n");
        }
        if (report.MetricsProblem is { } problem)
        {
            html.Write($"<p class=\"problem\">The metrics could not be read: {HtmlText.Escape(problem)}</p>\n");
        }
        WriteCharts(html, report.Metrics, ref chart);
        html.Write("</section>\n");
    }

    private static void WriteCharts(TextWriter html, IReadOnlyList<MetricStep> metrics, ref int chart)
    {
        html.Write("<div class=\"charts\">");
        SvgLineChart.Write(html, "chart-" + (++chart).ToString(CultureInfo.InvariantCulture), "Loss per step", "Step", new[]
        {
            Series("Training", "#1f77b4", metrics, m => m.TrainLoss),
            Series("Validation", "#ff7f0e", metrics, m => m.ValidLoss),
            Series("Full validation", "#2ca02c", metrics, m => m.FullValidLoss),
        });
        SvgLineChart.Write(html, "chart-" + (++chart).ToString(CultureInfo.InvariantCulture), "Token accuracy per step", "Step", new[]
        {
            Series("Training", "#1f77b4", metrics, m => m.TrainAccuracy),
            Series("Validation", "#ff7f0e", metrics, m => m.ValidMeanTokenAccuracy),
            Series("Full validation", "#2ca02c", metrics, m => m.FullValidMeanTokenAccuracy),
        });
        html.Write("</div>\n");
        html.Write($"<p class=\"note\">{metrics.Count.ToString(CultureInfo.InvariantCulture)} step{(metrics.Count == 1 ? "" : "s")} of metrics.</p>\n");
    }

    private static ChartSeries Series(string name, string color, IReadOnlyList<MetricStep> metrics, Func<MetricStep, double?> value) =>
        new(name, color, metrics.Where(m => value(m) is double v && !double.IsNaN(v) && !double.IsInfinity(v)).Select(m => ((double)m.Step, value(m)!.Value)).ToList());

    private static void WriteSummary(TextWriter html, IReadOnlyList<ComparisonSummary> summaries)
    {
        html.Write("<section class=\"summary\"><h2>Summary</h2>\n<table id=\"summary\"><thead><tr>");
        foreach (string header in new[] { "Role", "Model", "Examples", "Failed", "Exact match", "Mean F1", "Wins", "Ties", "Losses", "Decided by", "Mean latency", "Tokens", "Cost" })
        {
            html.Write($"<th>{header}</th>");
        }
        html.Write("</tr></thead><tbody>\n");
        foreach (ComparisonSummary s in summaries)
        {
            html.Write("<tr>");
            Cell(html, s.Role);
            Cell(html, s.Model, "text");
            Number(html, s.Examples);
            Number(html, s.Failed);
            Cell(html, s.ExactMatchRate is double rate ? rate.ToString("P1", CultureInfo.InvariantCulture) : null, "num");
            Cell(html, s.MeanF1Score is double f1 ? f1.ToString("0.000", CultureInfo.InvariantCulture) : null, "num");
            Number(html, s.Wins);
            Number(html, s.Ties);
            Number(html, s.Losses);
            Cell(html, s.DecidedBy);
            Cell(html, s.MeanLatencyMs is double ms ? ms.ToString("N0", CultureInfo.InvariantCulture) + " ms" : null, "num");
            Cell(html, s.TotalTokens.ToString("N0", CultureInfo.InvariantCulture), "num");
            Cell(html, s.Cost is decimal cost ? string.Format(CultureInfo.InvariantCulture, "{0} {1:0.0000}", s.Currency, cost) : "unknown", "num");
            html.Write("</tr>\n");
        }
        html.Write("</tbody></table></section>\n");
    }

    private static void WriteResults(TextWriter html, IReadOnlyList<ComparisonResult> results)
    {
        int models = results.Max(r => r.GetAnswers().Count);
        IReadOnlyList<ModelAnswer> first = results[0].GetAnswers();
        bool judged = results.Any(r => r.GetAnswers().Skip(1).Any(a => a.Judge is not null || a.JudgeReason is not null));
        html.Write("<section class=\"comparison\"><h2>Side by side</h2>\n<div class=\"controls\"><label>Filter <input id=\"filter\" type=\"search\" placeholder=\"words in any column\" autocomplete=\"off\"></label>");
        if (judged)
        {
            html.Write("<label>Judge <select id=\"verdict\"><option value=\"\">any verdict</option><option>Win</option><option>Tie</option><option>Loss</option></select></label>");
        }
        html.Write($"<span class=\"note\"><span id=\"shown\">{results.Count.ToString(CultureInfo.InvariantCulture)}</span> of {results.Count.ToString(CultureInfo.InvariantCulture)} examples shown</span></div>\n");
        html.Write("<table id=\"results\"><thead><tr>");
        Header(html, "Line", numeric: true);
        Header(html, "Question", numeric: false);
        Header(html, "Reference", numeric: false);
        for (int i = 0; i < models; i++)
        {
            string model = i < first.Count ? first[i].Model : "model " + (i + 1).ToString(CultureInfo.InvariantCulture);
            Header(html, $"Answer {i + 1}: {model}", numeric: false);
            Header(html, $"F1 {i + 1}", numeric: true);
        }
        if (judged)
        {
            for (int i = 1; i < models; i++)
            {
                Header(html, $"Judge {i + 1} vs 1", numeric: false);
            }
        }
        html.Write("</tr></thead>\n<tbody>\n");
        foreach (ComparisonResult result in results)
        {
            IReadOnlyList<ModelAnswer> answers = result.GetAnswers();
            string verdicts = string.Join(" ", answers.Skip(1).Select(a => a.Judge).Where(j => j is not null));
            html.Write($"<tr data-verdicts=\"{HtmlText.Escape(verdicts)}\">");
            html.Write($"<td class=\"num\" data-value=\"{result.Line.ToString(CultureInfo.InvariantCulture)}\">{result.Line.ToString(CultureInfo.InvariantCulture)}</td>");
            Cell(html, result.UserMessage, "text");
            Cell(html, result.Reference, "text");
            for (int i = 0; i < models; i++)
            {
                ModelAnswer? answer = i < answers.Count ? answers[i] : null;
                if (answer?.Error is { } error)
                {
                    html.Write($"<td class=\"text\"><span class=\"error\">Failed: {HtmlText.Escape(error)}</span></td>");
                }
                else
                {
                    Cell(html, answer?.Answer, "text");
                }
                string f1 = answer?.F1Score is double score ? score.ToString("0.000", CultureInfo.InvariantCulture) : string.Empty;
                html.Write($"<td class=\"num\" data-value=\"{f1}\">{f1}{(answer?.ExactMatch == true ? " <span class=\"badge exact\" title=\"exact match\">exact</span>" : string.Empty)}</td>");
            }
            if (judged)
            {
                for (int i = 1; i < models; i++)
                {
                    ModelAnswer? answer = i < answers.Count ? answers[i] : null;
                    html.Write($"<td class=\"verdict\" data-value=\"{HtmlText.Escape(answer?.Judge)}\">");
                    if (answer?.Judge is { } verdict)
                    {
                        html.Write($"<span class=\"badge {HtmlText.Escape(verdict)}\">{HtmlText.Escape(verdict)}</span>");
                    }
                    if (answer?.JudgeReason is { } reason)
                    {
                        html.Write($"<span class=\"reason\">{HtmlText.Escape(reason)}</span>");
                    }
                    html.Write("</td>");
                }
            }
            html.Write("</tr>\n");
        }
        html.Write("</tbody></table></section>\n");
    }

    private static void Header(TextWriter html, string text, bool numeric) =>
        html.Write($"<th{(numeric ? " class=\"num\" data-type=\"number\"" : string.Empty)}><button type=\"button\">{HtmlText.Escape(text)}</button></th>");

    private static void Fact(TextWriter html, string name, string? value) =>
        html.Write($"<dt>{HtmlText.Escape(name)}</dt><dd>{HtmlText.Escape(value ?? "(unknown)")}</dd>");

    private static void Cell(TextWriter html, string? text, string? cssClass = null) =>
        html.Write($"<td{(cssClass is null ? string.Empty : " class=\"" + cssClass + "\"")}>{HtmlText.Escape(text)}</td>");

    private static void Number(TextWriter html, long? value) =>
        Cell(html, value?.ToString("N0", CultureInfo.InvariantCulture), "num");

    private static string Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "(not yet)";

    private static string Duration(TimeSpan duration) => duration.TotalHours >= 1
        ? string.Format(CultureInfo.InvariantCulture, "{0} h {1:00} min", (int)duration.TotalHours, duration.Minutes)
        : string.Format(CultureInfo.InvariantCulture, "{0} min {1:00} s", (int)duration.TotalMinutes, duration.Seconds);

    /// <summary>A CSP source expression for exactly this inline text: <c>sha256-base64</c>.</summary>
    internal static string Hash(string inline)
    {
        using SHA256 sha = SHA256.Create();
        return "sha256-" + Convert.ToBase64String(sha.ComputeHash(new UTF8Encoding(false).GetBytes(inline)));
    }

    private static string Resource(string name)
    {
        using Stream stream = typeof(HtmlReport).GetTypeInfo().Assembly.GetManifestResourceStream("FineTune.Evaluation.Report." + name)
            ?? throw new InvalidOperationException($"The engine assembly lacks its embedded resource '{name}'.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }
}
