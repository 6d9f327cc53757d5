using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace FineTune.Service.Jobs;

/// <summary>
/// Checks <see cref="JobCreateOptions"/> against the service's limits and writes the
/// <c>POST /fine_tuning/jobs</c> body. Hyperparameters go under <c>method</c> (the top-level
/// <c>hyperparameters</c> field is deprecated).
/// </summary>
internal static class JobRequest
{
    /// <summary>Metadata key FineTune uses to recognise a job it created when a create must be repeated.</summary>
    public const string RequestIdKey = "finetune_request_id";

    public const int MaxMetadataPairs = 16;

    public static void Validate(JobCreateOptions options)
    {
        Require(!string.IsNullOrWhiteSpace(options.Model), "Model", "The model to fine-tune is missing.", "Pass -Model, for example gpt-4o-mini-2024-07-18.");
        Require(!string.IsNullOrWhiteSpace(options.TrainingFile), "TrainingFile", "The training file is missing.", "Pass -TrainingFile with a file id or a local JSONL path.");
        Require(options.Suffix is null || options.Suffix.Length is >= 1 and <= 64, "Suffix",
            $"The suffix '{options.Suffix}' has {options.Suffix?.Length} characters; the service accepts 1 to 64.", "Shorten -Suffix.");
        Require(options.Epochs is null or (>= 1 and <= 50), "Epochs", $"Epochs {options.Epochs} is out of range.", "Use 1 to 50, or omit -Epochs for auto.");
        Require(options.BatchSize is null or (>= 1 and <= 256), "BatchSize", $"Batch size {options.BatchSize} is out of range.", "Use 1 to 256, or omit -BatchSize for auto.");
        Require(options.LearningRateMultiplier is null || (options.LearningRateMultiplier > 0 && !double.IsInfinity(options.LearningRateMultiplier.Value)), "LearningRateMultiplier",
            $"Learning rate multiplier {options.LearningRateMultiplier} must be greater than 0.", "Use a positive number, or omit it for auto.");
        Require(options.Beta is null || options.Method == FineTuneMethod.Dpo, "Beta",
            "Beta applies to the DPO method only.", "Add -Method Dpo, or remove -Beta.");
        Require(options.Beta is null || (options.Beta > 0 && options.Beta <= 2), "Beta", $"Beta {options.Beta} is out of range.", "Use a number greater than 0 and at most 2.");
        Require(options.Method != FineTuneMethod.Reinforcement || !string.IsNullOrWhiteSpace(options.GraderJson), "Grader",
            "The reinforcement method needs a grader.", "Pass the grader object as JSON.");
        Require(options.GraderJson is null || options.Method == FineTuneMethod.Reinforcement, "Grader",
            "A grader applies to the reinforcement method only.", "Add -Method Reinforcement, or remove the grader.");
        if (options.GraderJson is { } grader)
        {
            try
            {
                using JsonDocument parsed = JsonDocument.Parse(grader);
                Require(parsed.RootElement.ValueKind == JsonValueKind.Object, "Grader", "The grader must be a JSON object.", "Pass an object such as {\"type\":\"string_check\",...}.");
            }
            catch (JsonException ex)
            {
                throw Invalid("Grader", $"The grader is not valid JSON: {ex.Message}", "Check the grader text.");
            }
        }
        Require(!options.Metadata.ContainsKey(RequestIdKey), "Metadata",
            $"The metadata key '{RequestIdKey}' is reserved: FineTune sets it to recognise its own jobs.", "Use another key.");
        Require(options.Metadata.Count < MaxMetadataPairs, "Metadata",
            $"{options.Metadata.Count} metadata pairs given; the service keeps {MaxMetadataPairs} and FineTune needs one of them.", $"Pass at most {MaxMetadataPairs - 1} pairs.");
        foreach (KeyValuePair<string, string> pair in options.Metadata)
        {
            Require(pair.Key.Length is >= 1 and <= 64, "Metadata", $"The metadata key '{pair.Key}' must have 1 to 64 characters.", "Shorten the key.");
            Require(pair.Value is not null && pair.Value.Length <= 512, "Metadata", $"The metadata value of '{pair.Key}' must be a string of at most 512 characters.", "Shorten the value.");
        }
        foreach (WandbIntegration integration in options.Integrations)
        {
            Require(!string.IsNullOrWhiteSpace(integration.Project), "Integration", "A Weights and Biases integration needs a project.", "Set Project.");
        }
    }

    /// <summary>The JSON body, tagged with <paramref name="requestId"/> in <c>metadata</c>.</summary>
    public static byte[] Write(JobCreateOptions options, string requestId)
    {
        Validate(options);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", options.Model);
            writer.WriteString("training_file", options.TrainingFile);
            if (options.ValidationFile is { Length: > 0 } validation)
            {
                writer.WriteString("validation_file", validation);
            }
            if (options.Suffix is { } suffix)
            {
                writer.WriteString("suffix", suffix);
            }
            if (options.Seed is { } seed)
            {
                writer.WriteNumber("seed", seed);
            }
            if (options.TrainingType is { } tier)
            {
                writer.WriteString("trainingType", TrainingTypeValue(tier));
            }
            WriteMethod(writer, options);
            writer.WriteStartObject("metadata");
            foreach (KeyValuePair<string, string> pair in options.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(pair.Key, pair.Value);
            }
            writer.WriteString(RequestIdKey, requestId);
            writer.WriteEndObject();
            if (options.Integrations.Count > 0)
            {
                WriteIntegrations(writer, options.Integrations);
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// The <c>trainingType</c> value Azure expects: <c>Standard</c>, <c>GlobalStandard</c>, and
    /// <c>developerTier</c> for the Developer tier (Microsoft Learn, "Customize a model with fine-tuning").
    /// </summary>
    public static string TrainingTypeValue(TrainingType tier) => tier switch
    {
        TrainingType.GlobalStandard => "GlobalStandard",
        TrainingType.Developer => "developerTier",
        _ => "Standard",
    };

    public static string MethodName(FineTuneMethod method) => method switch
    {
        FineTuneMethod.Dpo => "dpo",
        FineTuneMethod.Reinforcement => "reinforcement",
        _ => "supervised",
    };

    private static void WriteMethod(Utf8JsonWriter writer, JobCreateOptions options)
    {
        string name = MethodName(options.Method);
        writer.WriteStartObject("method");
        writer.WriteString("type", name);
        writer.WriteStartObject(name);
        if (options.GraderJson is { } grader)
        {
            writer.WritePropertyName("grader");
            using JsonDocument parsed = JsonDocument.Parse(grader);
            parsed.RootElement.WriteTo(writer);
        }
        writer.WriteStartObject("hyperparameters");
        WriteAutoOr(writer, "n_epochs", options.Epochs);
        WriteAutoOr(writer, "batch_size", options.BatchSize);
        WriteAutoOr(writer, "learning_rate_multiplier", options.LearningRateMultiplier);
        if (options.Method == FineTuneMethod.Dpo)
        {
            WriteAutoOr(writer, "beta", options.Beta);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteAutoOr(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteString(name, "auto");
        }
    }

    private static void WriteAutoOr(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteString(name, "auto");
        }
    }

    private static void WriteIntegrations(Utf8JsonWriter writer, IEnumerable<WandbIntegration> integrations)
    {
        writer.WriteStartArray("integrations");
        foreach (WandbIntegration integration in integrations)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "wandb");
            writer.WriteStartObject("wandb");
            writer.WriteString("project", integration.Project);
            if (integration.Name is { } name)
            {
                writer.WriteString("name", name);
            }
            if (integration.Entity is { } entity)
            {
                writer.WriteString("entity", entity);
            }
            if (integration.Tags.Count > 0)
            {
                writer.WriteStartArray("tags");
                foreach (string tag in integration.Tags)
                {
                    writer.WriteStringValue(tag);
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void Require(bool condition, string field, string message, string fix)
    {
        if (!condition)
        {
            throw Invalid(field, message, fix);
        }
    }

    private static FineTuneException Invalid(string field, string message, string fix) =>
        new("FineTune.Job.Invalid" + field, FailureKind.InvalidArgument, message, field, fix);
}
