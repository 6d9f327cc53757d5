using System;
using System.Collections.Generic;
using System.Text.Json;

namespace FineTune;

/// <summary>
/// A fine-tuning job as the service reports it. <see cref="Status"/> is an open set: the
/// service may add statuses, and an unknown one is neither terminal nor an error.
/// </summary>
public sealed class Job
{
    /// <summary>The job id (<c>ftjob-...</c>).</summary>
    public string Id { get; internal set; } = string.Empty;

    /// <summary>The job id again, so that cmdlets with a <c>-JobId</c> parameter bind it by name.</summary>
    public string JobId => Id;

    /// <summary>The base model being fine-tuned.</summary>
    public string? Model { get; internal set; }

    /// <summary>The name of the resulting model; null until the job succeeds.</summary>
    public string? FineTunedModel { get; internal set; }

    /// <summary><c>validating_files</c>, <c>queued</c>, <c>running</c>, <c>paused</c>, <c>succeeded</c>, <c>failed</c>, <c>cancelled</c> or any status the service adds.</summary>
    public string Status { get; internal set; } = string.Empty;

    public DateTimeOffset? CreatedAt { get; internal set; }

    public DateTimeOffset? FinishedAt { get; internal set; }

    /// <summary>When the service expects the job to finish; null when it gives no estimate.</summary>
    public DateTimeOffset? EstimatedFinish { get; internal set; }

    public string? TrainingFile { get; internal set; }

    public string? ValidationFile { get; internal set; }

    /// <summary>Billable tokens processed; null while the job runs.</summary>
    public long? TrainedTokens { get; internal set; }

    /// <summary>Why the job failed, as the service explains it; null unless it failed.</summary>
    public JobError? Error { get; internal set; }

    /// <summary>The hyperparameters of the job's method (numbers once the service has chosen them).</summary>
    public JobHyperparameters Hyperparameters { get; internal set; } = new();

    /// <summary><c>supervised</c>, <c>dpo</c> or <c>reinforcement</c>; null when the service does not say.</summary>
    public string? Method { get; internal set; }

    public long? Seed { get; internal set; }

    /// <summary>The suffix of the fine-tuned model name, when the service reports it.</summary>
    public string? Suffix { get; internal set; }

    public string? OrganizationId { get; internal set; }

    /// <summary>Key-value pairs attached to the job (includes FineTune's own <c>finetune_request_id</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; internal set; } = ValueMap<string>.None;

    /// <summary>Ids of the result files (per-step metrics as CSV).</summary>
    public IReadOnlyList<string> ResultFiles { get; internal set; } = ValueList<string>.None;

    public IReadOnlyList<WandbIntegration> Integrations { get; internal set; } = ValueList<WandbIntegration>.None;

    /// <summary>The reinforcement method's grader as JSON text; null for other methods.</summary>
    public string? Grader { get; internal set; }

    /// <summary>
    /// The job's folder in an archive written by Export-FineTuneArchive, when the job was read
    /// back from one (Import-FineTuneArchive); null for a job read from the service.
    /// </summary>
    public string? ArchivePath { get; internal set; }

    /// <summary>The archived copy of the training file (Import-FineTuneArchive); null for a job read from the service or when the archive lacks it.</summary>
    public string? TrainingFilePath { get; internal set; }

    /// <summary>The archived copy of the validation file (Import-FineTuneArchive); null when there is none.</summary>
    public string? ValidationFilePath { get; internal set; }

    /// <summary>The job object exactly as the service sent it (what an archive keeps as job.json).</summary>
    internal JsonElement? Json { get; set; }

    /// <summary>True once the job can change no more (succeeded, failed or cancelled).</summary>
    public bool IsTerminal => JobStatus.IsTerminal(Status);

    public override string ToString() => Id;
}
