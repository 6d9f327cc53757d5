using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using FineTune.Datasets;

namespace FineTune.Service.Archive;

/// <summary>
/// Reads and writes <c>manifest.json</c>. Schema version 1:
/// <code>
/// {
///   "format": "FineTune.Archive",            always this text
///   "schemaVersion": 1,                      a manifest with a higher number is refused
///   "createdAt": "2026-11-28T08:54:24Z",     UTC, ISO 8601
///   "updatedAt": "2026-11-28T09:10:02Z",
///   "source": { "provider": "OpenAI", "baseUri": "https://api.openai.com/v1", "organization": null, "project": null },
///   "jobs": [ {
///     "id": "ftjob-abc", "folder": "jobs/ftjob-abc",
///     "status": "succeeded",                 the status when all its items were last archived (null before)
///     "model": "...", "fineTunedModel": "...", "createdAt": "...", "archivedAt": "...",
///     "items": [ {
///       "kind": "job" | "events" | "checkpoints" | "metrics" | "training_file" | "validation_file" | "result_file",
///       "fileId": "file-abc", "fileName": "train.jsonl",      file kinds only
///       "state": "archived" | "missing",
///       "path": "files/file-abc/train.jsonl", "bytes": 1234,  required when archived
///       "count": 12,                                          events, checkpoints, metric rows
///       "jobStatus": "succeeded",                             job, events, checkpoints: the job's status when fetched
///       "reason": "...", "statusCode": 404,                   why it is missing
///       "archivedAt": "..."
///     } ]
///   } ]
/// }
/// </code>
/// Fields this version does not know are ignored, so a later version 1 writer may add some.
/// Every problem names the manifest, the field (as a JSON path) and what is wrong.
/// </summary>
internal static class ArchiveManifestJson
{
    /// <summary>Larger than any real manifest (about 2 KB per job) by far, small enough to read at once.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public static ArchiveManifest Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FineTuneException("FineTune.Archive.NotFound", FailureKind.ObjectNotFound,
                $"'{info.DirectoryName}' is not an archive: it has no {ArchiveLayout.ManifestFileName}.", path,
                "Pass the folder Export-FineTuneArchive wrote.");
        }
        if (info.Length > MaxBytes)
        {
            throw Invalid(path, "$", $"the file has {info.Length} bytes, more than the {MaxBytes / (1024 * 1024)} MB a manifest may have");
        }
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FineTuneException("FineTune.Path.ReadFailed", FailureKind.ReadError, $"Cannot read '{path}': {ex.Message}", path,
                "Check that the file is readable.", ex);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            throw new FineTuneException("FineTune.Archive.InvalidManifest", FailureKind.InvalidData,
                $"The archive manifest '{path}' is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}): {ex.Message}",
                path, RepairAdvice, ex);
        }
        using (document)
        {
            return ReadRoot(document.RootElement, path);
        }
    }

    /// <summary>Writes the manifest atomically: an interrupted write leaves the previous one.</summary>
    public static void Write(ArchiveManifest manifest, string path)
    {
        using AtomicFileWriter file = AtomicFileWriter.Open(path, FileWriteMode.Overwrite);
        using (var json = new Utf8JsonWriter(file.Stream, new JsonWriterOptions { Indented = true, Encoder = MinimalJsonEncoder.Instance }))
        {
            WriteRoot(json, manifest);
        }
        file.Stream.WriteByte((byte)'\n');
        file.Commit();
    }

    internal const string RepairAdvice =
        "The manifest was damaged or edited by hand: restore it from a copy, or export into a new folder (Export-FineTuneArchive -Path <new folder>).";

    private static ArchiveManifest ReadRoot(JsonElement root, string path)
    {
        var reader = new ManifestFieldReader(path);
        reader.RequireObject(root, "$");
        string format = reader.RequiredString(root, "$", "format");
        if (format != ArchiveManifest.Format)
        {
            throw Invalid(path, "$.format", $"is '{format}', not '{ArchiveManifest.Format}'");
        }
        long version = reader.RequiredInteger(root, "$", "schemaVersion", 1);
        if (version > ArchiveManifest.SchemaVersion)
        {
            throw new FineTuneException("FineTune.Archive.UnsupportedVersion", FailureKind.InvalidData,
                $"The archive manifest '{path}' has schema version {version}; this version of FineTune reads version {ArchiveManifest.SchemaVersion}.",
                path, "Update the FineTune module to read this archive.");
        }
        var manifest = new ArchiveManifest
        {
            CreatedAt = reader.RequiredTime(root, "$", "createdAt"),
            UpdatedAt = reader.RequiredTime(root, "$", "updatedAt"),
        };
        JsonElement source = reader.RequiredObject(root, "$", "source");
        manifest.Source = new ArchiveSource
        {
            Provider = reader.RequiredString(source, "$.source", "provider"),
            BaseUri = reader.RequiredString(source, "$.source", "baseUri"),
            Organization = reader.OptionalString(source, "$.source", "organization"),
            Project = reader.OptionalString(source, "$.source", "project"),
        };
        JsonElement jobs = reader.RequiredArray(root, "$", "jobs");
        int index = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement job in jobs.EnumerateArray())
        {
            string at = $"$.jobs[{index++}]";
            ArchivedJobEntry entry = ReadJob(reader, job, at);
            if (!seen.Add(entry.Id))
            {
                throw Invalid(path, at + ".id", $"'{entry.Id}' appears twice");
            }
            manifest.Jobs.Add(entry);
        }
        return manifest;
    }

    private static ArchivedJobEntry ReadJob(ManifestFieldReader reader, JsonElement job, string at)
    {
        reader.RequireObject(job, at);
        var entry = new ArchivedJobEntry
        {
            Id = reader.RequiredString(job, at, "id"),
            Folder = reader.RequiredRelativePath(job, at, "folder"),
            Status = reader.OptionalString(job, at, "status"),
            Model = reader.OptionalString(job, at, "model"),
            FineTunedModel = reader.OptionalString(job, at, "fineTunedModel"),
            CreatedAt = reader.OptionalTime(job, at, "createdAt"),
            ArchivedAt = reader.OptionalTime(job, at, "archivedAt"),
        };
        int index = 0;
        foreach (JsonElement item in reader.RequiredArray(job, at, "items").EnumerateArray())
        {
            entry.Items.Add(ReadItem(reader, item, $"{at}.items[{index++}]"));
        }
        return entry;
    }

    private static ArchiveItem ReadItem(ManifestFieldReader reader, JsonElement item, string at)
    {
        reader.RequireObject(item, at);
        var result = new ArchiveItem
        {
            Kind = reader.OneOf(item, at, "kind", ArchiveItemKinds.All),
            State = reader.OneOf(item, at, "state", ArchiveItemStates.All),
            FileId = reader.OptionalString(item, at, "fileId"),
            FileName = reader.OptionalString(item, at, "fileName"),
            Count = (int?)reader.OptionalInteger(item, at, "count", 0, int.MaxValue),
            JobStatus = reader.OptionalString(item, at, "jobStatus"),
            Reason = reader.OptionalString(item, at, "reason"),
            StatusCode = (int?)reader.OptionalInteger(item, at, "statusCode", 100, 599),
            ArchivedAt = reader.OptionalTime(item, at, "archivedAt"),
        };
        if (ArchiveItemKinds.IsFile(result.Kind) && result.FileId is null)
        {
            throw Invalid(reader.ManifestPath, at + ".fileId", $"is missing; a {result.Kind} item needs the service's file id");
        }
        if (result.IsArchived)
        {
            result.Path = reader.RequiredRelativePath(item, at, "path");
            result.Bytes = reader.RequiredInteger(item, at, "bytes", 0);
        }
        else
        {
            result.Path = item.TryGetProperty("path", out JsonElement p) && p.ValueKind != JsonValueKind.Null ? reader.RequiredRelativePath(item, at, "path") : null;
            result.Bytes = reader.OptionalInteger(item, at, "bytes", 0, long.MaxValue);
        }
        return result;
    }

    private static void WriteRoot(Utf8JsonWriter json, ArchiveManifest manifest)
    {
        json.WriteStartObject();
        json.WriteString("format", ArchiveManifest.Format);
        json.WriteNumber("schemaVersion", ArchiveManifest.SchemaVersion);
        json.WriteString("createdAt", Time(manifest.CreatedAt));
        json.WriteString("updatedAt", Time(manifest.UpdatedAt));
        json.WriteStartObject("source");
        json.WriteString("provider", manifest.Source.Provider);
        json.WriteString("baseUri", manifest.Source.BaseUri);
        WriteOptional(json, "organization", manifest.Source.Organization);
        WriteOptional(json, "project", manifest.Source.Project);
        json.WriteEndObject();
        json.WriteStartArray("jobs");
        foreach (ArchivedJobEntry job in manifest.Jobs)
        {
            json.WriteStartObject();
            json.WriteString("id", job.Id);
            json.WriteString("folder", job.Folder);
            WriteOptional(json, "status", job.Status);
            WriteOptional(json, "model", job.Model);
            WriteOptional(json, "fineTunedModel", job.FineTunedModel);
            WriteOptional(json, "createdAt", job.CreatedAt is { } created ? Time(created) : null);
            WriteOptional(json, "archivedAt", job.ArchivedAt is { } archived ? Time(archived) : null);
            json.WriteStartArray("items");
            foreach (ArchiveItem item in job.Items)
            {
                WriteItem(json, item);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteItem(Utf8JsonWriter json, ArchiveItem item)
    {
        json.WriteStartObject();
        json.WriteString("kind", item.Kind);
        if (item.FileId is not null)
        {
            json.WriteString("fileId", item.FileId);
        }
        if (item.FileName is not null)
        {
            json.WriteString("fileName", item.FileName);
        }
        json.WriteString("state", item.State);
        if (item.Path is not null)
        {
            json.WriteString("path", item.Path);
        }
        if (item.Bytes is { } bytes)
        {
            json.WriteNumber("bytes", bytes);
        }
        if (item.Count is { } count)
        {
            json.WriteNumber("count", count);
        }
        if (item.JobStatus is not null)
        {
            json.WriteString("jobStatus", item.JobStatus);
        }
        if (item.Reason is not null)
        {
            json.WriteString("reason", item.Reason);
        }
        if (item.StatusCode is { } status)
        {
            json.WriteNumber("statusCode", status);
        }
        if (item.ArchivedAt is { } archived)
        {
            json.WriteString("archivedAt", Time(archived));
        }
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    internal static FineTuneException Invalid(string path, string field, string problem) =>
        new("FineTune.Archive.InvalidManifest", FailureKind.InvalidData,
            $"The archive manifest '{path}' is not valid: {field} {problem}.", path, RepairAdvice);
}
