using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace FineTune.Service.Archive;

/// <summary>
/// What archiving one job will do: which of its items are already in the archive (verified
/// by size), which are fetched and why, and which the service no longer serves. Made by
/// <see cref="ArchiveExporter.PlanAsync(Job, System.Threading.CancellationToken)"/> without
/// writing anything, so it is also what <c>-WhatIf</c> shows.
/// </summary>
public sealed class JobArchivePlan
{
    internal JobArchivePlan(Job job, string jobFolder, IReadOnlyList<PlannedItem> items)
    {
        Job = job;
        JobFolder = jobFolder;
        Items = items;
    }

    public string JobId => Job.Id;

    public string Status => Job.Status;

    /// <summary>The job's folder in the archive (full path).</summary>
    public string JobFolder { get; }

    /// <summary>Items already in the archive with their recorded size.</summary>
    public int KeepCount => Items.Count(i => i.Action == PlannedAction.Keep);

    /// <summary>False when everything is archived and verified: nothing to fetch, nothing to record.</summary>
    public bool HasWork => Items.Any(i => i.Action != PlannedAction.Keep);

    internal Job Job { get; }

    /// <summary>The result of a plan with no work: every item kept, nothing written.</summary>
    public JobArchiveResult UnchangedResult() => new()
    {
        JobId = JobId,
        Status = Status,
        Model = Job.Model,
        Skipped = KeepCount,
        Path = JobFolder,
    };

    /// <summary>In the order they are archived: job object, events, checkpoints, files, metrics.</summary>
    internal IReadOnlyList<PlannedItem> Items { get; }

    /// <summary>One sentence for -WhatIf and -Confirm: what is fetched, what is recorded as missing, what is kept.</summary>
    public string Describe()
    {
        var text = new StringBuilder("Archive job ").Append(JobId).Append(" (").Append(Status).Append(") into '").Append(JobFolder).Append('\'');
        List<PlannedItem> fetch = Items.Where(i => i.Action == PlannedAction.Fetch).ToList();
        List<PlannedItem> missing = Items.Where(i => i.Action == PlannedAction.RecordMissing).ToList();
        if (fetch.Count > 0)
        {
            text.Append(": fetch ").Append(string.Join(", ", fetch.Select(i => i.Describe())));
        }
        if (missing.Count > 0)
        {
            text.Append(fetch.Count > 0 ? "; " : ": ").Append("record as missing (no longer served) ")
                .Append(string.Join(", ", missing.Select(i => ArchiveItemKinds.Describe(i.Kind, i.FileId))));
        }
        if (KeepCount > 0)
        {
            text.Append("; keep ").Append(KeepCount).Append(KeepCount == 1 ? " item" : " items").Append(" already archived");
        }
        return text.Append('.').ToString();
    }

    public override string ToString() => Describe();
}

internal enum PlannedAction
{
    /// <summary>Archived before, and the file on disk has the recorded size.</summary>
    Keep,

    /// <summary>Fetched from the service (or, for metrics, rebuilt from the archived result files).</summary>
    Fetch,

    /// <summary>The service answered 404 while planning: recorded as missing with its reason.</summary>
    RecordMissing,
}

/// <summary>One item of a <see cref="JobArchivePlan"/>.</summary>
internal sealed class PlannedItem
{
    public PlannedItem(string kind, string? fileId, PlannedAction action, string reason)
    {
        Kind = kind;
        FileId = fileId;
        Action = action;
        Reason = reason;
    }

    public string Kind { get; }

    public string? FileId { get; }

    public PlannedAction Action { get; }

    /// <summary>Why it is fetched ("not archived yet", "12 bytes on disk, 20 in the manifest") or kept.</summary>
    public string Reason { get; }

    /// <summary>The name the service recorded, for files.</summary>
    public string? FileName { get; set; }

    /// <summary>The size the service announces, for files.</summary>
    public long? ExpectedBytes { get; set; }

    /// <summary>Where the item goes, relative to the archive.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>The archived item to keep (it may belong to another job sharing the file).</summary>
    public ArchiveItem? Existing { get; set; }

    /// <summary>The 404 the service answered while planning.</summary>
    public ServiceException? NotServed { get; set; }

    public string Describe()
    {
        string what = ArchiveItemKinds.Describe(Kind, FileId);
        if (Kind == ArchiveItemKinds.Metrics)
        {
            return "metrics (rebuilt from the result files)";
        }
        if (FileName is null && ExpectedBytes is null)
        {
            return what;
        }
        var details = new List<string>();
        if (FileName is { Length: > 0 })
        {
            details.Add(FileName);
        }
        if (ExpectedBytes is { } bytes)
        {
            details.Add(ByteSize.Format(bytes));
        }
        return details.Count == 0 ? what : $"{what} ({string.Join(", ", details)})";
    }
}
