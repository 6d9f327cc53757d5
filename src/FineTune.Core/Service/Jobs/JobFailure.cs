namespace FineTune.Service.Jobs;

/// <summary>Turns a job that ended without a model into an error carrying the service's reason.</summary>
public static class JobFailure
{
    public const string FailedId = "FineTune.Job.Failed";
    public const string CancelledId = "FineTune.Job.Cancelled";

    /// <summary>Null when the job succeeded or has not ended.</summary>
    public static FineTuneException? ToException(Job job)
    {
        if (!JobStatus.IsUnsuccessful(job.Status))
        {
            return null;
        }
        if (!JobStatus.IsFailed(job.Status))
        {
            return new FineTuneException(CancelledId, FailureKind.OperationStopped,
                $"Job '{ServiceText.Clean(job.Id)}' was cancelled before it produced a model.", job.Id,
                "Start a new job with New-FineTuneJob if the cancellation was not intended.");
        }
        JobError? error = job.Error;
        string reason = error?.Message is { Length: > 0 } message ? ServiceText.Clean(message)! : "the service gave no reason";
        string detail = error?.Code is { Length: > 0 } code ? $" (code '{ServiceText.Clean(code)}'{(error.Param is { Length: > 0 } p ? $", parameter '{ServiceText.Clean(p)}'" : string.Empty)})" : string.Empty;
        string fix = error?.Param switch
        {
            "training_file" => "Check the training file with Test-FineTuneDataset, fix it, upload it again and start a new job.",
            "validation_file" => "Check the validation file with Test-FineTuneDataset, fix it, upload it again and start a new job.",
            _ => "Read the job's events with Get-FineTuneEvent for details, then start a new job.",
        };
        return new FineTuneException(FailedId, FailureKind.InvalidOperation, $"Job '{ServiceText.Clean(job.Id)}' failed: {reason}{detail}.", job.Id, fix);
    }
}
