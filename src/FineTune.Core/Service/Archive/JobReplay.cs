using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using FineTune.Models;
using FineTune.Service.Jobs;

namespace FineTune.Service.Archive;

/// <summary>
/// Trains a job's data again, on any provider: the job's method, hyperparameters (the values
/// the service chose, when it reported them), suffix, seed, grader and metadata, with its
/// training and validation files, taken from the archive for a job read by
/// Import-FineTuneArchive, or by id for a job read from the service.
/// </summary>
/// <remarks>
/// The base model is the archived job's unless one is given. Without one, the archived model is
/// used only when the catalog lists it for the connected provider with the job's method and it
/// is not retired there; otherwise <c>FineTune.Job.ReplayModelRequired</c> asks for -Model.
/// A fine-tuned base model (continued training) always needs -Model: it belongs to the old account.
/// </remarks>
public static class JobReplay
{
    public const string ModelRequiredId = "FineTune.Job.ReplayModelRequired";
    public const string FileMissingId = "FineTune.Job.ReplayFileMissing";

    /// <param name="job">The job to train again (from Import-FineTuneArchive or Get-FineTuneJob).</param>
    /// <param name="model">The new base model, or null for the archived one (see the remarks).</param>
    /// <param name="provider">The catalog provider of the connection (AzureOpenAI), or null for OpenAI's.</param>
    /// <param name="catalog">The model catalog.</param>
    /// <param name="today">Today's date (UTC), for retirement.</param>
    public static JobReplayPlan Prepare(Job job, string? model, string? provider, ModelCatalog catalog, DateTime today)
    {
        if (job is null)
        {
            throw new ArgumentNullException(nameof(job));
        }
        FineTuneMethod method = MethodOf(job);
        var options = new JobCreateOptions
        {
            Model = ChooseModel(job, model, JobRequest.MethodName(method), provider ?? "OpenAI", catalog ?? throw new ArgumentNullException(nameof(catalog)), today),
            Method = method,
            Epochs = job.Hyperparameters.Epochs,
            BatchSize = job.Hyperparameters.BatchSize,
            LearningRateMultiplier = job.Hyperparameters.LearningRateMultiplier,
            Beta = method == FineTuneMethod.Dpo ? job.Hyperparameters.Beta : null,
            GraderJson = method == FineTuneMethod.Reinforcement ? job.Grader : null,
            Suffix = SuffixOf(job),
            Seed = job.Seed,
        };
        foreach (KeyValuePair<string, string> pair in job.Metadata.Where(p => p.Key != JobRequest.RequestIdKey))
        {
            options.Metadata[pair.Key] = pair.Value;
        }

        string? trainingPath = null;
        string? validationPath = null;
        if (job.ArchivePath is null)
        {
            options.TrainingFile = job.TrainingFile ?? throw NoFile(job, "training", "the job names no training file");
            options.ValidationFile = job.ValidationFile;
        }
        else
        {
            trainingPath = job.TrainingFilePath ?? throw NoFile(job, "training", $"the archive has no usable copy of {job.TrainingFile}");
            options.TrainingFile = System.IO.Path.GetFileName(trainingPath);
            if (job.ValidationFile is not null)
            {
                validationPath = job.ValidationFilePath ?? throw NoFile(job, "validation", $"the archive has no usable copy of {job.ValidationFile}");
                options.ValidationFile = System.IO.Path.GetFileName(validationPath);
            }
        }
        return new JobReplayPlan(job, options, trainingPath, validationPath, NotCarriedOver(job, options));
    }

    /// <summary>
    /// The suffix the job was created with: the service's <c>suffix</c> field (Azure), else the
    /// suffix part of an OpenAI fine-tuned model name (<c>ft:base:org:suffix:id</c>); null when neither says.
    /// </summary>
    public static string? SuffixOf(Job job)
    {
        if (job.Suffix is { Length: > 0 } suffix)
        {
            return suffix;
        }
        if (job.FineTunedModel is { } name && name.StartsWith("ft:", StringComparison.Ordinal))
        {
            string[] parts = name.Split(':');
            return parts.Length == 5 && parts[3].Length > 0 ? parts[3] : null;
        }
        return null;
    }

    private static FineTuneMethod MethodOf(Job job) => job.Method?.ToLowerInvariant() switch
    {
        null or "supervised" => FineTuneMethod.Supervised,
        "dpo" => FineTuneMethod.Dpo,
        "reinforcement" => FineTuneMethod.Reinforcement,
        _ => throw new FineTuneException("FineTune.Job.ReplayUnsupportedMethod", FailureKind.InvalidData,
            $"Job {job.Id} used the method '{job.Method}', which FineTune cannot create.", job.Id,
            "Create the job with New-FineTuneJob -TrainingFile <path> and a method FineTune knows (Supervised, Dpo, Reinforcement)."),
    };

    private static string ChooseModel(Job job, string? requested, string method, string provider, ModelCatalog catalog, DateTime today)
    {
        if (!string.IsNullOrWhiteSpace(requested))
        {
            return requested!;
        }
        string? archived = job.Model;
        string why;
        if (string.IsNullOrWhiteSpace(archived))
        {
            why = "does not name its base model";
        }
        else if (ModelCatalog.BaseNameOf(archived!) != archived)
        {
            why = $"continued training of the fine-tuned model '{archived}', which belongs to the account it was trained in";
        }
        else if (catalog.Resolve(archived!, provider) is not { } entry)
        {
            why = $"trained '{archived}', which the model catalog does not list for {provider}";
        }
        else if (!entry.Supports(method))
        {
            why = $"trained '{archived}' with the {method} method, which {provider} does not offer for that model";
        }
        else if (entry.IsRetired(today))
        {
            why = $"trained '{archived}', which {provider} retired on {entry.RetirementDate:yyyy-MM-dd}";
        }
        else
        {
            return archived!;
        }
        throw new FineTuneException(ModelRequiredId, FailureKind.InvalidArgument,
            $"Job {job.Id} {why}: choose the new base model with -Model.", job.Id,
            $"Pass -Model with a model {provider} fine-tunes with the {method} method; Get-FineTuneBaseModel lists them.");
    }

    private static FineTuneException NoFile(Job job, string role, string problem) =>
        new(FileMissingId, FailureKind.ObjectNotFound,
            $"Job {job.Id} cannot be trained again: {problem} (its {role} file).", job.Id,
            "Run Export-FineTuneArchive into the archive again while the service still serves the file, or create the job with New-FineTuneJob -TrainingFile <path>.");

    /// <summary>What the new job will not have that the archived one had, each as one sentence.</summary>
    private static IReadOnlyList<string> NotCarriedOver(Job job, JobCreateOptions options)
    {
        var notes = new List<string>();
        foreach (KeyValuePair<string, string> other in job.Hyperparameters.Other.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            notes.Add($"Job {job.Id}: the hyperparameter {other.Key}={other.Value} is not carried over (New-FineTuneJob has no parameter for it); the service's default applies.");
        }
        if (job.Integrations.Count > 0)
        {
            notes.Add($"Job {job.Id}: its Weights and Biases integration ({string.Join(", ", job.Integrations.Select(i => i.Project))}) is not carried over; pass -Integration to send the new job's metrics there.");
        }
        if (options.Suffix is null && job.FineTunedModel is null)
        {
            notes.Add($"Job {job.Id} records no suffix (OpenAI reports it only in the name of the model a job produced, and this job produced none); pass -Suffix to name the new model.");
        }
        if (options.Seed is null)
        {
            notes.Add($"Job {job.Id} records no seed; the service picks one (pass -Seed to fix it).");
        }
        return notes;
    }
}
