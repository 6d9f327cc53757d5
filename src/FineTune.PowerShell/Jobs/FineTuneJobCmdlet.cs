using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Jobs;

namespace FineTune.PowerShell;

/// <summary>
/// What the job cmdlets share: waiting for a job with a progress bar and its events on the
/// information stream, and the cancel / pause / resume actions.
/// </summary>
public abstract class FineTuneJobCmdlet : FineTuneServiceCmdlet
{
    /// <summary>
    /// Waits until the job ends. A succeeded job is written to the pipeline; a failed or
    /// cancelled one becomes an error record carrying the service's reason, with the job as target.
    /// With <paramref name="onlyNewEvents"/>, events from before the wait are not written (they
    /// still count for the progress bar's step).
    /// </summary>
    protected void WaitForJob(string jobId, TimeSpan? timeout, TimeSpan? pollInterval, bool onlyNewEvents)
    {
        JobWaitPolicy policy = JobWaitPolicy.StartingAt(pollInterval, timeout);
        int activityId = ActivityId(jobId);
        string activity = $"Waiting for fine-tuning job {jobId}";
        Job? final = null;
        try
        {
            RunService(async (client, token) =>
            {
                final = await new JobsClient(client).WaitAsync(jobId, policy,
                    progress => Post(() => WriteProgress(ToRecord(activityId, activity, progress))),
                    item => Post(() => WriteInformation(item, new[] { "FineTune.JobEvent", item.Level ?? "info" })),
                    token, onlyNewEvents ? 0 : null).ConfigureAwait(false);
            }, jobId);
        }
        finally
        {
            WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
        }
        if (final is null)
        {
            return;
        }
        if (JobFailure.ToException(final) is { } failure)
        {
            WriteError(failure, final);
            return;
        }
        WriteObject(final);
    }

    /// <summary>Cancels, pauses or resumes each job after ShouldProcess; writes the updated job with -PassThru.</summary>
    protected void RunJobAction(string[] ids, string action, bool passThru, Func<JobsClient, string, CancellationToken, Task<Job>> call)
    {
        foreach (string id in ids)
        {
            if (!ShouldProcess(id, action))
            {
                continue;
            }
            RunService(async (client, token) =>
            {
                Job job = await call(new JobsClient(client), id, token).ConfigureAwait(false);
                client.Log($"Job {job.Id} is now '{job.Status}'.");
                Post(() =>
                {
                    if (passThru)
                    {
                        WriteObject(job);
                    }
                });
            }, id);
        }
    }

    private static ProgressRecord ToRecord(int activityId, string activity, JobProgress progress)
    {
        var record = new ProgressRecord(activityId, activity, progress.Describe()) { PercentComplete = progress.PercentComplete };
        if (progress.EstimatedFinish is { } finish)
        {
            double seconds = (finish - DateTimeOffset.UtcNow).TotalSeconds;
            record.SecondsRemaining = seconds > 0 && seconds < int.MaxValue ? (int)seconds : -1;
        }
        return record;
    }

    /// <summary>One progress bar per job, stable for the job's id.</summary>
    private static int ActivityId(string jobId)
    {
        int hash = 17;
        foreach (char c in jobId)
        {
            hash = unchecked(hash * 31 + c);
        }
        return 100 + (hash & 0x7FFF);
    }
}
