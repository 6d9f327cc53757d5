using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using FineTune.Evaluation.Report;
using FineTune.Models;
using FineTune.PowerShell.Evaluation;
using FineTune.Service.Jobs;

namespace FineTune.PowerShell.Commands;

/// <summary>Writes one self-contained HTML report: a job's loss and accuracy curves and details, and a comparison side by side.</summary>
/// <remarks>
/// <para>Takes from the pipeline fine-tuning jobs (Get-FineTuneJob, Wait-FineTuneJob, New-FineTuneJob output, or job ids), metric steps (Get-FineTuneMetric output), and the results and summaries of Compare-FineTuneModel (also results saved with Export-Csv and read back with Import-Csv), in any mix, and writes one HTML page to -Path.</para>
/// <para>For each job the page shows its model, fine-tuned model, method, hyperparameters, trained tokens, duration and cost (trained tokens at the model catalog's training price), and charts of the training and validation loss and token accuracy per step, read from the job's result file, or from its metrics events while it has none. For a comparison it shows the summary per model and the side-by-side table (question, reference, each model's answer and F1, exact matches, the judge's verdicts and reasons), which sorts when a column header is clicked and filters as you type; when no summary was piped, it is computed from the results.</para>
/// <para>The page needs nothing else: no network, no fonts or scripts from elsewhere; the charts are inline SVG drawn by the module, and a Content-Security-Policy lets only the page's own style and script run. Every text from the data or the service is escaped, so it shows as text and can never become markup or script. It prints cleanly.</para>
/// <para>The file is written atomically (a temporary file renamed over the target), so an interrupted export leaves no half page. -PassThru returns the file; -Show opens it in the default browser.</para>
/// </remarks>
/// <example>
/// <code>Get-FineTuneJob -Id ftjob-abc123 | Export-FineTuneReport -Path ./training.html -PassThru</code>
/// <para>Writes the loss and accuracy curves and the details of a job and returns the file.</para>
/// </example>
/// <example>
/// <code>$results = Compare-FineTuneModel -Model gpt-4o-mini-2024-07-18, ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123 -Path ./helpdesk.validation.jsonl -JudgeModel gpt-4.1-2025-04-14 -Summary; @(Get-FineTuneJob -Id ftjob-abc123) + $results | Export-FineTuneReport -Path ./helpdesk-report.html -Title 'Helpdesk model, first run'</code>
/// <para>Compares the base and the fine-tuned model with a judge, then puts the job's curves and the comparison on one page.</para>
/// </example>
[Cmdlet(VerbsData.Export, "FineTuneReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportFineTuneReportCommand : FineTuneServiceCmdlet
{
    private readonly ReportContent _content = new();
    private readonly List<object> _jobs = new();

    /// <summary>The HTML file to write (replaced if it exists).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Jobs (or job ids), metric steps, and Compare-FineTuneModel results and summaries, from the pipeline.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Jobs to report by id (ftjob-...), besides the ones piped in.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] JobId { get; set; } = Array.Empty<string>();

    /// <summary>The page's title (default: Fine-tuning report).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    /// <summary>Returns the written file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Opens the written report in the default browser.</summary>
    [Parameter]
    public SwitchParameter Show { get; set; }

    /// <summary>Replaces a read-only file too.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is null)
        {
            return;
        }
        switch (InputObject.BaseObject)
        {
            case Job job:
                _jobs.Add(job);
                break;
            case string id when id.Trim().Length > 0:
                _jobs.Add(id.Trim());
                break;
            case MetricStep step:
                _content.LooseMetrics.Add(step);
                break;
            case ComparisonResult result:
                _content.Results.Add(result);
                break;
            case ComparisonSummary summary:
                _content.Summaries.Add(summary);
                break;
            case PSCustomObject when ComparisonRows.TryRead(InputObject, out ComparisonResult? read, out FineTuneException? invalid):
                if (read is not null)
                {
                    _content.Results.Add(read);
                }
                else
                {
                    WriteError(invalid!, InputObject);
                }
                break;
            default:
                WriteError(ToErrorRecord("FineTune.Report.UnsupportedInput", ErrorCategory.InvalidType,
                    $"A {InputObject.BaseObject?.GetType().FullName ?? "null"} cannot go into a report.", InputObject,
                    "Pipe jobs (Get-FineTuneJob), metrics (Get-FineTuneMetric), or the output of Compare-FineTuneModel (also read back with Import-Csv)."));
                break;
        }
    }

    protected override void EndProcessing()
    {
        foreach (string id in JobId)
        {
            _jobs.Add(id);
        }
        if (_jobs.Count == 0 && _content.IsEmpty)
        {
            ThrowTerminatingError(ToErrorRecord("FineTune.Report.NothingToReport", ErrorCategory.InvalidArgument,
                "There is nothing to report: no job, metrics or comparison results were given.", Path,
                "Pipe a job (Get-FineTuneJob -Id ftjob-...) or the output of Compare-FineTuneModel, or pass -JobId."));
        }
        string path = ResolveOutputPath(Path!);
        if (!ShouldProcess(path, "Write the fine-tuning report"))
        {
            return;
        }
        if (Title is not null)
        {
            _content.Title = Title;
        }
        ModelCatalog? catalog = CatalogForCosts();
        if (_jobs.Count > 0)
        {
            LoadJobs(catalog);
        }
        if (CancellationToken.IsCancellationRequested)
        {
            return;
        }
        _content.SummarizeResults(catalog, CatalogProvider());
        try
        {
            HtmlReport.WriteFile(path, _content, Force);
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex, path);
        }
        WriteVerbose($"Wrote {path}: {_content.Jobs.Count} job(s), {_content.Results.Count} compared example(s).");
        if (PassThru)
        {
            WriteObject(new FileInfo(path));
        }
        if (Show)
        {
            Open(path);
        }
    }

    private void LoadJobs(ModelCatalog? catalog)
    {
        string? provider = CatalogProvider();
        foreach (object item in _jobs)
        {
            string id = item is Job piped ? piped.Id : (string)item;
            JobReport? report = null;
            bool loaded = RunService(async (client, token) =>
            {
                report = await JobReport.LoadAsync(new JobsClient(client), id, catalog, provider, error => Post(() => WriteError(error, id)), token).ConfigureAwait(false);
            }, id);
            if (CancellationToken.IsCancellationRequested)
            {
                return;
            }
            if (!loaded && item is Job offline)
            {
                // Nothing lost: the piped job is reported as it was, without its metrics.
                report = new JobReport(offline, Array.Empty<MetricStep>(), "none") { MetricsProblem = "The job could not be read from the service; it is shown as it was piped in." };
                report.PriceWith(catalog, provider);
            }
            if (report is not null)
            {
                _content.Jobs.Add(report);
            }
        }
    }

    private void Open(string path)
    {
        try
        {
            using Process? _ = Process.Start(new ProcessStartInfo(path) { UseShellExecute = true });
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            WriteError(ToErrorRecord("FineTune.Report.ShowFailed", ErrorCategory.ResourceUnavailable,
                $"The report was written to '{path}' but could not be opened: {ex.Message}", path,
                "Open the file in a browser yourself; on Linux, -Show needs xdg-open (the xdg-utils package)."));
        }
    }
}
