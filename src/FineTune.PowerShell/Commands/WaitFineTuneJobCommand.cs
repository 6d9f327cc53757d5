using System;
using System.Management.Automation;

namespace FineTune.PowerShell.Commands;

/// <summary>Waits until fine-tuning jobs end.</summary>
/// <remarks>
/// <para>Polls each job until its status is succeeded, failed or cancelled, starting every five seconds (or -PollInterval) and slowing down to once a minute while nothing changes. A progress bar shows the status, the training step out of the total from the job's metrics events, and the service's estimated finish. Events that arrive while waiting are written to the information stream (see them with -InformationAction Continue, or capture them with 6>&amp;1); each record's MessageData is the FineTune.JobEvent. Earlier events are not repeated: Get-FineTuneEvent shows them.</para>
/// <para>A succeeded job is written to the pipeline, so its metrics can be read next with Get-FineTuneMetric. A failed or cancelled job is an error record (FineTune.Job.Failed or FineTune.Job.Cancelled) carrying the service's reason, with the job as its target object. Statuses the module does not know, such as Azure's pending, are shown as the service reports them and waited through, not treated as an end, and -Verbose says so; so is a paused job, until Resume-FineTuneJob continues it or the wait times out.</para>
/// <para>-Timeout ends the wait with a FineTune.Job.WaitTimeout error; the job itself keeps running on the service. Ctrl+C stops waiting at once.</para>
/// </remarks>
/// <example>
/// <code>Get-FineTuneJob -Id ftjob-abc123 | Wait-FineTuneJob | Get-FineTuneMetric</code>
/// <para>Waits for the job, then reads its per-step training metrics.</para>
/// </example>
/// <example>
/// <code>Wait-FineTuneJob -Id ftjob-abc123 -Timeout (New-TimeSpan -Hours 2) -InformationAction Continue</code>
/// <para>Waits at most two hours and prints each event of the job as it arrives.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Wait, "FineTuneJob")]
[OutputType(typeof(Job))]
public sealed class WaitFineTuneJobCommand : FineTuneJobCmdlet
{
    /// <summary>The ids of the jobs to wait for (ftjob-...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    /// <summary>How long to wait for each job at most, for example '02:00:00' or (New-TimeSpan -Hours 2); by default, until it ends.</summary>
    [Parameter]
    [ValidateWaitTime]
    public TimeSpan? Timeout { get; set; }

    /// <summary>The first pause between two polls (five seconds by default); it doubles up to a minute while nothing changes.</summary>
    [Parameter]
    [ValidateWaitTime]
    public TimeSpan? PollInterval { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string id in Id!)
        {
            WaitForJob(id, Timeout, PollInterval, onlyNewEvents: true);
        }
    }
}
