using System;
using System.Collections.Generic;
using System.Linq;

namespace FineTune.Service.Archive;

/// <summary>
/// What an archive folder holds, as <c>manifest.json</c> records it (schema version 1; see
/// <see cref="ArchiveManifestJson"/> for the file's fields). One entry per job, each with the
/// items archived for it and, for what the service no longer serves, why it is missing.
/// </summary>
internal sealed class ArchiveManifest
{
    public const string Format = "FineTune.Archive";

    /// <summary>The schema this version writes and reads; a manifest with a higher number is refused.</summary>
    public const int SchemaVersion = 1;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The account the jobs come from.</summary>
    public ArchiveSource Source { get; set; } = new();

    /// <summary>Jobs in the order they were first archived.</summary>
    public List<ArchivedJobEntry> Jobs { get; } = new();

    public ArchivedJobEntry? Find(string jobId) => Jobs.FirstOrDefault(j => j.Id == jobId);
}

/// <summary>The service an archive was taken from (no key: keys are never written anywhere).</summary>
internal sealed class ArchiveSource
{
    public string Provider { get; set; } = string.Empty;

    public string BaseUri { get; set; } = string.Empty;

    public string? Organization { get; set; }

    public string? Project { get; set; }
}

/// <summary>One job of the archive.</summary>
internal sealed class ArchivedJobEntry
{
    public string Id { get; set; } = string.Empty;

    /// <summary>The job's folder, relative to the archive.</summary>
    public string Folder { get; set; } = string.Empty;

    /// <summary>The status the job had when all its items were last archived; null until then.</summary>
    public string? Status { get; set; }

    public string? Model { get; set; }

    public string? FineTunedModel { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When the job's items were last all archived.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }

    public List<ArchiveItem> Items { get; } = new();

    public ArchiveItem? Find(string kind, string? fileId) =>
        Items.FirstOrDefault(i => i.Kind == kind && i.FileId == fileId);

    /// <summary>Adds the item, or replaces the one of the same kind and file.</summary>
    public void Set(ArchiveItem item)
    {
        int index = Items.FindIndex(i => i.Kind == item.Kind && i.FileId == item.FileId);
        if (index < 0)
        {
            Items.Add(item);
        }
        else
        {
            Items[index] = item;
        }
    }
}

/// <summary>One thing archived for a job (or recorded as missing).</summary>
internal sealed class ArchiveItem
{
    /// <summary>One of <see cref="ArchiveItemKinds"/>.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>The service's file id, for the three file kinds.</summary>
    public string? FileId { get; set; }

    /// <summary>The name the service recorded for the file.</summary>
    public string? FileName { get; set; }

    /// <summary>Relative to the archive; null for an item that was never archived.</summary>
    public string? Path { get; set; }

    /// <summary>One of <see cref="ArchiveItemStates"/>.</summary>
    public string State { get; set; } = ArchiveItemStates.Archived;

    /// <summary>The archived file's size; a file of another size on disk is fetched again.</summary>
    public long? Bytes { get; set; }

    /// <summary>Events, checkpoints or metric rows in the file.</summary>
    public int? Count { get; set; }

    /// <summary>
    /// For the job object, events and checkpoints: the job's status when they were fetched. They
    /// are final once fetched from a job that had ended (and still has that status).
    /// </summary>
    public string? JobStatus { get; set; }

    /// <summary>Why the item is missing.</summary>
    public string? Reason { get; set; }

    /// <summary>The HTTP status the service answered when the item went missing.</summary>
    public int? StatusCode { get; set; }

    public DateTimeOffset? ArchivedAt { get; set; }

    public bool IsArchived => State == ArchiveItemStates.Archived;
}

internal static class ArchiveItemKinds
{
    public const string Job = "job";
    public const string Events = "events";
    public const string Checkpoints = "checkpoints";
    public const string Metrics = "metrics";
    public const string TrainingFile = "training_file";
    public const string ValidationFile = "validation_file";
    public const string ResultFile = "result_file";

    public static readonly IReadOnlyList<string> All = new[] { Job, Events, Checkpoints, Metrics, TrainingFile, ValidationFile, ResultFile };

    public static bool IsFile(string kind) => kind is TrainingFile or ValidationFile or ResultFile;

    /// <summary>How an item is named in messages: "training file file-abc", "events".</summary>
    public static string Describe(string kind, string? fileId) => kind switch
    {
        TrainingFile => "training file " + fileId,
        ValidationFile => "validation file " + fileId,
        ResultFile => "result file " + fileId,
        Job => "job object",
        _ => kind,
    };
}

internal static class ArchiveItemStates
{
    /// <summary>The item is in the folder, with the recorded size.</summary>
    public const string Archived = "archived";

    /// <summary>The service no longer serves the item (or what it is made from); <see cref="ArchiveItem.Reason"/> says why.</summary>
    public const string Missing = "missing";

    public static readonly IReadOnlyList<string> All = new[] { Archived, Missing };
}
