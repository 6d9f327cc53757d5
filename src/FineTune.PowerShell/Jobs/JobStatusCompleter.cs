using FineTune.PowerShell.Completers;
using FineTune.Service.Jobs;

namespace FineTune.PowerShell;

/// <summary>Tab completion for -Status: the statuses FineTune knows (the service may report others).</summary>
public sealed class JobStatusCompleter : FixedListCompleter
{
    public JobStatusCompleter()
        : base(JobStatus.ValidatingFiles, JobStatus.Queued, JobStatus.Running, JobStatus.Paused,
            JobStatus.Succeeded, JobStatus.Failed, JobStatus.Cancelled)
    {
    }
}
