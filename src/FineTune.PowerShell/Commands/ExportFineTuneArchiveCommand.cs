using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FineTune.PowerShell.Service;
using FineTune.Service.Archive;

namespace FineTune.PowerShell.Commands;

/// <summary>Keeps the fine-tuning jobs of the connected account, with their data and files, in a folder.</summary>
/// <remarks>
/// <para>Writes every job of the connected account (or the jobs given by -JobId or piped from Get-FineTuneJob) into the folder -Path: for each job its object, its events, its checkpoints, its metrics as CSV, and its training, validation and result files, byte for byte. A manifest (manifest.json) says what is there. Use it to keep an account's work before a service closes, then Import-FineTuneArchive and New-FineTuneJob to train the same data elsewhere.</para>
/// <para>Layout: manifest.json; jobs/{jobId}/job.json (the job object as the service sent it), events.jsonl (every event, oldest first, one JSON object per line), checkpoints.jsonl (oldest first), metrics.csv (one row per step: result_file, step, train_loss, train_accuracy, valid_loss, valid_mean_token_accuracy, full_valid_loss, full_valid_mean_token_accuracy, then any other column of the result files); files/{fileId}/{fileName} (each file under the name the service recorded, made safe for every file system; a file shared by several jobs is kept once).</para>
/// <para>The manifest (schema version 1) is a JSON object: format ("FineTune.Archive"), schemaVersion (1), createdAt and updatedAt (UTC, ISO 8601), source (provider, baseUri, organization, project: never a key), and jobs, an array of objects with id, folder, status (the job's status when all its items were last archived), model, fineTunedModel, createdAt, archivedAt and items. Each item has kind (job, events, checkpoints, metrics, training_file, validation_file or result_file), fileId and fileName (files), state (archived or missing), path (relative, with / separators) and bytes when archived, count (events, checkpoints, metric rows), jobStatus (job, events, checkpoints: the job's status when they were fetched), and reason and statusCode when missing. A later FineTune may add fields; it changes schemaVersion when it changes their meaning, and a manifest with a higher version than this module reads is refused.</para>
/// <para>Run it again to resume or to bring the archive up to date: an item already archived whose file still has the size in the manifest is kept and not fetched again; a file whose size differs, or that is gone, is fetched again; the object, events and checkpoints of a job that had not ended when it was archived are fetched again until it has. Each file is written to a temporary file and renamed into place when complete, and the manifest is saved after each job and when the command is stopped, so Ctrl+C (which stops at once) or a lost connection leaves no half-written file and loses no finished one. One archive holds one account: a folder archived from another provider or address is refused.</para>
/// <para>A file the service no longer serves (404) is recorded in the manifest as missing, with the service's reason, and is a FineTune.Archive.NotServed error for that item; the rest of the job and the other jobs are archived. A job given by -JobId that does not exist is an error for that id. Any other failure (the key, the network, the disk) stops the command with the manifest saved; run it again to continue.</para>
/// <para>-WhatIf lists, per job, what would be fetched and why, without writing anything. Progress shows the jobs and the bytes of each file. With -PassThru, one FineTune.JobArchiveResult per job says how many items were written, skipped (already archived) or missing, and how many bytes were written.</para>
/// </remarks>
/// <example>
/// <code>Export-FineTuneArchive -Path ./openai-archive -PassThru</code>
/// <para>Archives every job of the connected account into ./openai-archive and shows, per job, what was written. Run it again later: it fetches only what is missing or has changed.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneJob -Status succeeded | Export-FineTuneArchive -Path ./openai-archive -WhatIf</code>
/// <para>Lists what archiving the succeeded jobs would fetch (job objects, events, checkpoints, files with their sizes), without writing anything.</para>
/// </example>
/// <example>
/// <code>Export-FineTuneArchive -Path ./openai-archive -JobId ftjob-abc123 -PassThru | Export-Csv ./archived.csv</code>
/// <para>Archives one job and keeps the summary as CSV.</para>
/// </example>
[Cmdlet(VerbsData.Export, "FineTuneArchive", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(JobArchiveResult))]
public sealed class ExportFineTuneArchiveCommand : FineTuneServiceCmdlet
{
    private const int OverallActivityId = 40;
    private const int ItemActivityId = 41;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly Stopwatch _sinceProgress = new();
    private ArchiveExporter? _exporter;
    private bool _jobIdsGiven;
    private int _jobsStarted;

    /// <summary>The archive folder; created when missing. An existing archive of the same account is brought up to date.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The archive folder, taken exactly as written (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string? LiteralPath { get; set; }

    /// <summary>The jobs to archive (ftjob-...), also from the pipeline (a job's JobId); all the account's jobs when omitted.</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[]? JobId { get; set; }

    /// <summary>Writes one FineTune.JobArchiveResult per job: items written, skipped, missing, and bytes written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        string given = (ParameterSetName == LiteralPathSet ? LiteralPath : Path)!;
        string folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out ProviderInfo provider, out _);
        if (provider.Name != "FileSystem")
        {
            ThrowTerminatingError(ToErrorRecord("FineTune.Path.NotFileSystem", ErrorCategory.InvalidArgument,
                $"'{given}' is on the {provider.Name} provider; an archive is a folder of the file system.", given));
        }
        try
        {
            _exporter = ArchiveExporter.Open(Client, folder);
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex, folder);
        }
        WriteVerbose($"Archiving into '{_exporter!.Root}'.");
    }

    protected override void ProcessRecord()
    {
        if (JobId is null)
        {
            return;
        }
        _jobIdsGiven = true;
        foreach (string id in JobId)
        {
            if (CancellationToken.IsCancellationRequested)
            {
                return;
            }
            ShowOverallProgress(id, null);
            Archive(id, (exporter, token) => exporter.PlanAsync(id, token));
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            if (!_jobIdsGiven)
            {
                ArchiveEveryJob();
            }
        }
        finally
        {
            WriteProgress(new ProgressRecord(OverallActivityId, Activity(), "Done") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
        }
    }

    private void ArchiveEveryJob()
    {
        System.Collections.Generic.IReadOnlyList<Job>? jobs = null;
        WriteProgress(new ProgressRecord(OverallActivityId, Activity(), "Listing the account's jobs") { PercentComplete = -1 });
        if (!Run(async token => jobs = await _exporter!.ListJobsAsync(token).ConfigureAwait(false), _exporter!.Root) || jobs is null)
        {
            return;
        }
        WriteVerbose($"The account has {jobs.Count} jobs.");
        foreach (Job job in jobs)
        {
            if (CancellationToken.IsCancellationRequested)
            {
                return;
            }
            ShowOverallProgress(job.Id, jobs.Count);
            Archive(job.Id, (exporter, token) => exporter.PlanAsync(job, token));
        }
    }

    /// <summary>Plans one job, asks ShouldProcess, archives it and writes its result.</summary>
    private void Archive(string jobId, Func<ArchiveExporter, CancellationToken, Task<JobArchivePlan>> makePlan)
    {
        JobArchivePlan? plan = null;
        if (!Run(async token => plan = await makePlan(_exporter!, token).ConfigureAwait(false), jobId) || plan is null)
        {
            return;
        }
        if (!plan.HasWork)
        {
            WriteVerbose($"Job {plan.JobId}: all {plan.KeepCount} items are archived with their recorded sizes; nothing to fetch.");
            if (PassThru.IsPresent)
            {
                WriteObject(plan.UnchangedResult());
            }
            return;
        }
        string description = plan.Describe();
        if (!ShouldProcess(description, description + " Continue?", "Export-FineTuneArchive"))
        {
            return;
        }
        ByteProgress? itemProgress = null;
        var observer = new ArchiveObserver
        {
            ItemStarting = (item, bytes) =>
            {
                itemProgress?.Complete();
                itemProgress = StartByteProgress(ItemActivityId, "Fetching " + item, bytes ?? 0, OverallActivityId);
                itemProgress.Report(0);
            },
            Bytes = (done, total) => itemProgress?.Report(done, total),
            Problem = problem => Post(() => WriteError(problem)),
            Warning = warning => Post(() => WriteWarning(warning)),
        };
        JobArchiveResult? result = null;
        try
        {
            Run(async token => result = await _exporter!.ExecuteAsync(plan, observer, token).ConfigureAwait(false), jobId);
        }
        finally
        {
            itemProgress?.Complete();
        }
        if (result is not null)
        {
            WriteVerbose($"Job {result.JobId}: {result.Written} written ({ByteProgress.Size(result.BytesWritten)}), {result.Skipped} kept, {result.Missing} missing.");
            if (PassThru.IsPresent)
            {
                WriteObject(result);
            }
        }
    }

    /// <summary>
    /// Runs archive work. A failure about one job (not found, unreadable data) is an error for
    /// that job and the command goes on; any other failure stops the command: it would fail
    /// the same way for every job. False when it failed or the pipeline is stopping.
    /// </summary>
    private bool Run(Func<CancellationToken, Task> work, object target)
    {
        try
        {
            RunAsync(work);
            return true;
        }
        catch (FineTuneException ex) when (ex.Kind is FailureKind.ObjectNotFound or FailureKind.InvalidData or FailureKind.InvalidArgument or FailureKind.ProtocolError)
        {
            WriteError(ex, target);
            return false;
        }
        catch (FineTuneException ex)
        {
            ErrorRecord record = ToErrorRecord(ex, target);
            record.ErrorDetails.RecommendedAction = (ex.RecommendedAction is { Length: > 0 } action ? action + " " : string.Empty)
                + "Then run the same command again: what is archived is kept and only the rest is fetched.";
            ThrowTerminatingError(record);
            return false;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void ShowOverallProgress(string jobId, int? total)
    {
        _jobsStarted++;
        bool last = total is int count && _jobsStarted >= count;
        if (_sinceProgress.IsRunning && _sinceProgress.Elapsed < ProgressInterval && !last)
        {
            return;
        }
        _sinceProgress.Restart();
        string status = total is int all ? $"Job {_jobsStarted} of {all}: {jobId}" : $"Job {_jobsStarted}: {jobId}";
        int percent = total is int n && n > 0 ? (int)Math.Min(100, (_jobsStarted - 1) * 100L / n) : -1;
        WriteProgress(new ProgressRecord(OverallActivityId, Activity(), status) { PercentComplete = percent });
    }

    private string Activity() => $"Archiving fine-tuning jobs into {_exporter?.Root}";
}
