using System;
using System.Collections.Generic;
using System.Text.Json;
using FineTune.Service;

namespace FineTune.Service.Jobs;

/// <summary>Reads the service's job, event and checkpoint objects; unknown fields are ignored.</summary>
internal static class JobJson
{
    public static Job ReadJob(JsonElement json)
    {
        string? method = null;
        JsonElement? methodHyperparameters = null;
        string? grader = null;
        if (json.Property("method") is { ValueKind: JsonValueKind.Object } methodObject)
        {
            method = methodObject.GetStringOrNull("type");
            if (method is not null && methodObject.Property(method) is { } detail)
            {
                methodHyperparameters = detail.Property("hyperparameters");
                grader = detail.Property("grader") is { ValueKind: JsonValueKind.Object } graderObject ? graderObject.GetRawText() : null;
            }
        }
        JsonElement? hyperparameters = methodHyperparameters ?? json.Property("hyperparameters");

        return new Job
        {
            Id = json.GetStringOrNull("id") ?? string.Empty,
            Model = json.GetStringOrNull("model"),
            FineTunedModel = json.GetStringOrNull("fine_tuned_model"),
            Status = json.GetStringOrNull("status") ?? string.Empty,
            CreatedAt = JsonValues.UnixTime(json, "created_at"),
            FinishedAt = JsonValues.UnixTime(json, "finished_at"),
            EstimatedFinish = JsonValues.UnixTime(json, "estimated_finish"),
            TrainingFile = json.GetStringOrNull("training_file"),
            ValidationFile = json.GetStringOrNull("validation_file"),
            TrainedTokens = JsonValues.Long(json, "trained_tokens"),
            Error = ReadError(json.Property("error")),
            Hyperparameters = hyperparameters is { } h ? ReadHyperparameters(h) : new JobHyperparameters(),
            Method = method ?? (json.Property("hyperparameters") is null ? null : "supervised"),
            Seed = JsonValues.Long(json, "seed"),
            Suffix = json.GetStringOrNull("suffix"),
            OrganizationId = json.GetStringOrNull("organization_id"),
            Metadata = JsonValues.StringMap(json, "metadata"),
            ResultFiles = JsonValues.StringArray(json, "result_files"),
            Integrations = ReadIntegrations(json),
            Grader = grader,
            Json = json,
        };
    }

    public static JobEvent ReadEvent(JsonElement json, string jobId)
    {
        JsonElement data = json.Property("data") ?? default;
        bool hasData = data.ValueKind == JsonValueKind.Object && data.EnumerateObject().GetEnumerator().MoveNext();
        var jobEvent = new JobEvent
        {
            JobId = jobId,
            Id = json.GetStringOrNull("id") ?? string.Empty,
            CreatedAt = JsonValues.UnixTime(json, "created_at"),
            Level = json.GetStringOrNull("level"),
            Message = json.GetStringOrNull("message"),
            Type = json.GetStringOrNull("type"),
            Data = hasData ? data.GetRawText() : null,
        };
        if (hasData)
        {
            jobEvent.Step = JsonValues.Int(data, "step");
            jobEvent.TotalSteps = JsonValues.Int(data, "total_steps");
            jobEvent.TrainLoss = JsonValues.Double(data, "train_loss");
            jobEvent.TrainAccuracy = JsonValues.Double(data, "train_mean_token_accuracy") ?? JsonValues.Double(data, "train_accuracy");
            jobEvent.ValidLoss = JsonValues.Double(data, "valid_loss");
            jobEvent.ValidAccuracy = JsonValues.Double(data, "valid_mean_token_accuracy") ?? JsonValues.Double(data, "valid_accuracy");
            jobEvent.FullValidLoss = JsonValues.Double(data, "full_valid_loss");
            jobEvent.FullValidAccuracy = JsonValues.Double(data, "full_valid_mean_token_accuracy");
        }
        if (jobEvent.TotalSteps is null && StepMessage.TryParse(jobEvent.Message, out int step, out int total))
        {
            jobEvent.Step ??= step;
            jobEvent.TotalSteps = total;
        }
        return jobEvent;
    }

    public static Checkpoint ReadCheckpoint(JsonElement json, string jobId)
    {
        JsonElement metrics = json.Property("metrics") ?? default;
        return new Checkpoint
        {
            Id = json.GetStringOrNull("id") ?? string.Empty,
            JobId = json.GetStringOrNull("fine_tuning_job_id") ?? jobId,
            FineTunedModelCheckpoint = json.GetStringOrNull("fine_tuned_model_checkpoint") ?? string.Empty,
            CreatedAt = JsonValues.UnixTime(json, "created_at"),
            Step = JsonValues.Int(json, "step_number") ?? JsonValues.Int(metrics, "step"),
            TrainLoss = JsonValues.Double(metrics, "train_loss"),
            TrainAccuracy = JsonValues.Double(metrics, "train_mean_token_accuracy"),
            ValidLoss = JsonValues.Double(metrics, "valid_loss"),
            ValidAccuracy = JsonValues.Double(metrics, "valid_mean_token_accuracy"),
            FullValidLoss = JsonValues.Double(metrics, "full_valid_loss"),
            FullValidAccuracy = JsonValues.Double(metrics, "full_valid_mean_token_accuracy"),
        };
    }

    private static JobError? ReadError(JsonElement? error)
    {
        if (error is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }
        var result = new JobError
        {
            Code = value.GetStringOrNull("code"),
            Message = value.GetStringOrNull("message"),
            Param = value.GetStringOrNull("param"),
        };
        // Running jobs on some hosts carry an empty error object: that is no error.
        return result.Code is null && result.Message is null ? null : result;
    }

    private static readonly HashSet<string> ModelledHyperparameters = new(StringComparer.Ordinal)
    {
        "n_epochs", "batch_size", "learning_rate_multiplier", "beta",
    };

    private static JobHyperparameters ReadHyperparameters(JsonElement json)
    {
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in json.EnumerateObject())
            {
                // "auto" is what the service assumes for anything not sent, so it is no setting of its own.
                if (!ModelledHyperparameters.Contains(property.Name) && property.Value.ValueKind != JsonValueKind.Null
                    && !(property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() == "auto"))
                {
                    other[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
        }
        return new JobHyperparameters
        {
            Epochs = JsonValues.Int(json, "n_epochs"),
            BatchSize = JsonValues.Int(json, "batch_size"),
            LearningRateMultiplier = JsonValues.Double(json, "learning_rate_multiplier"),
            Beta = JsonValues.Double(json, "beta"),
            Other = other,
        };
    }

    private static IReadOnlyList<WandbIntegration> ReadIntegrations(JsonElement json)
    {
        var integrations = new List<WandbIntegration>();
        if (json.Property("integrations") is { ValueKind: JsonValueKind.Array } array)
        {
            foreach (JsonElement item in array.EnumerateArray())
            {
                if (item.Property("wandb") is { } wandb && wandb.GetStringOrNull("project") is { } project)
                {
                    integrations.Add(new WandbIntegration(project, wandb.GetStringOrNull("name"), wandb.GetStringOrNull("entity"),
                        JsonValues.StringArray(wandb, "tags")));
                }
            }
        }
        return ValueList<WandbIntegration>.Of(integrations);
    }
}
