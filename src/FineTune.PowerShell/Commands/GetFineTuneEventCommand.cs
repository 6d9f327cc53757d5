using System;
using System.Collections.Generic;
using System.Management.Automation;
using FineTune.Service.Jobs;

namespace FineTune.PowerShell.Commands;

/// <summary>Gets the events of fine-tuning jobs.</summary>
/// <remarks>
/// <para>Writes a job's events as FineTune.JobEvent objects, oldest first (the order they happened in; the service lists them newest first, so without -First every event is read before the first is written). -First writes only that many of the most recent events, still oldest first.</para>
/// <para>Metrics events (Type metrics) also carry Step, TotalSteps, TrainLoss, TrainAccuracy, ValidLoss, ValidAccuracy, FullValidLoss and FullValidAccuracy.</para>
/// <para>-Follow keeps polling and writes each new event as it arrives until the job ends, like the old fine_tunes.follow. Ctrl+C stops following; the job keeps running.</para>
/// </remarks>
/// <example>
/// <code>Get-FineTuneEvent -JobId ftjob-abc123 -Follow</code>
/// <para>Writes the job's events so far, then each new one, until the job ends.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneJob -Status running | Get-FineTuneEvent -First 5</code>
/// <para>Writes the five latest events of every running job.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneEvent ftjob-abc123 | Where-Object Type -eq metrics | Export-Csv ./loss.csv</code>
/// <para>Saves the training loss reported by the metrics events.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "FineTuneEvent")]
[OutputType(typeof(JobEvent))]
public sealed class GetFineTuneEventCommand : FineTuneJobCmdlet
{
    /// <summary>The job whose events to get (ftjob-...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary>Writes only this many of the most recent events (oldest of them first).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <summary>Keeps writing new events as they arrive until the job ends.</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>With -Follow: the first pause between two polls (five seconds by default).</summary>
    [Parameter]
    [ValidateWaitTime]
    public TimeSpan? PollInterval { get; set; }

    protected override void ProcessRecord()
    {
        string jobId = JobId!;
        if (!Follow.IsPresent)
        {
            RunService(async (client, token) =>
            {
                IReadOnlyList<JobEvent> events = await new JobsClient(client).GetEventsAsync(jobId, First, token).ConfigureAwait(false);
                Post(() => WriteObject(events, enumerateCollection: true));
            }, jobId);
            return;
        }
        JobWaitPolicy policy = JobWaitPolicy.StartingAt(PollInterval);
        RunService(async (client, token) =>
        {
            Job final = await new JobsClient(client).WaitAsync(jobId, policy, null, item => Post(() => WriteObject(item)), token, First).ConfigureAwait(false);
            client.Log($"Job {final.Id} ended with status '{final.Status}'.");
        }, jobId);
    }
}
