using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service.Files;

namespace FineTune.Service.Archive;

/// <summary>
/// Decides what archiving a job needs: an item already archived whose file has the recorded
/// size is kept (the job object, events and checkpoints only once fetched from the job in the
/// terminal status it still has); anything else is fetched, with the reason; a file the service
/// answers 404 for is to be recorded as missing. Reads the service, writes nothing.
/// </summary>
internal sealed class ArchivePlanner
{
    private readonly string _root;
    private readonly ArchiveManifest _manifest;
    private readonly FilesApi _files;

    public ArchivePlanner(string root, ArchiveManifest manifest, FilesApi files)
    {
        _root = root;
        _manifest = manifest;
        _files = files;
    }

    /// <summary>
    /// Decides, item by item, what archiving <paramref name="job"/> needs. Asks the service
    /// about each file not yet archived (its name and size, or a 404); writes nothing.
    /// </summary>
    public async Task<JobArchivePlan> PlanAsync(Job job, CancellationToken cancellationToken)
    {
        ArchivedJobEntry? entry = _manifest.Find(job.Id);
        var items = new List<PlannedItem>
        {
            PlanJobData(entry, job, ArchiveItemKinds.Job, ArchiveLayout.JobObject(job.Id)),
            PlanJobData(entry, job, ArchiveItemKinds.Events, ArchiveLayout.Events(job.Id)),
            PlanJobData(entry, job, ArchiveItemKinds.Checkpoints, ArchiveLayout.Checkpoints(job.Id)),
        };
        foreach ((string kind, string id) in FilesOf(job))
        {
            items.Add(await PlanFileAsync(entry, kind, id, cancellationToken).ConfigureAwait(false));
        }
        if (job.ResultFiles.Count > 0)
        {
            ArchiveItem? metrics = entry?.Find(ArchiveItemKinds.Metrics, null);
            bool resultsKept = items.Where(i => i.Kind == ArchiveItemKinds.ResultFile).All(i => i.Action == PlannedAction.Keep);
            string? problem = Verify(metrics);
            items.Add(problem is null && resultsKept
                ? new PlannedItem(ArchiveItemKinds.Metrics, null, PlannedAction.Keep, "archived") { Path = metrics!.Path!, Existing = metrics }
                : new PlannedItem(ArchiveItemKinds.Metrics, null, PlannedAction.Fetch, problem ?? "a result file is fetched") { Path = ArchiveLayout.Metrics(job.Id) });
        }
        return new JobArchivePlan(job, ArchiveLayout.FullPath(_root, ArchiveLayout.JobFolder(job.Id)), items);
    }

    /// <summary>
    /// The job object, events and checkpoints change until the job ends: kept only when they
    /// were fetched from the job in the terminal status it still has.
    /// </summary>
    private PlannedItem PlanJobData(ArchivedJobEntry? entry, Job job, string kind, string path)
    {
        ArchiveItem? existing = entry?.Find(kind, null);
        string? problem = Verify(existing);
        if (problem is null)
        {
            if (JobStatus.IsTerminal(existing!.JobStatus) && string.Equals(existing.JobStatus, job.Status, StringComparison.OrdinalIgnoreCase))
            {
                return new PlannedItem(kind, null, PlannedAction.Keep, "archived") { Path = existing.Path!, Existing = existing };
            }
            problem = string.Equals(existing.JobStatus, job.Status, StringComparison.OrdinalIgnoreCase)
                ? $"the job is {job.Status}"
                : $"archived while the job was {existing.JobStatus ?? "in an unknown status"}; it is {job.Status} now";
        }
        return new PlannedItem(kind, null, PlannedAction.Fetch, problem) { Path = path };
    }

    private async Task<PlannedItem> PlanFileAsync(ArchivedJobEntry? entry, string kind, string fileId, CancellationToken cancellationToken)
    {
        ArchiveItem? own = entry?.Find(kind, fileId);
        string? problem = Verify(own);
        // A training file shared by several jobs is fetched once and kept for each of them.
        ArchiveItem? verified = problem is null ? own : _manifest.Jobs.SelectMany(j => j.Items)
            .FirstOrDefault(i => i.FileId == fileId && ArchiveItemKinds.IsFile(i.Kind) && Verify(i) is null);
        if (verified is not null)
        {
            ArchiveItem kept = verified.Kind == kind ? verified : Copy(verified, kind);
            return new PlannedItem(kind, fileId, PlannedAction.Keep, "archived") { Path = kept.Path!, FileName = kept.FileName, Existing = kept };
        }
        ServiceFile file;
        try
        {
            file = await _files.GetAsync(fileId, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceException ex) when (ex.StatusCode == 404)
        {
            return new PlannedItem(kind, fileId, PlannedAction.RecordMissing, "no longer served")
            {
                FileName = own?.FileName,
                Path = own?.Path ?? string.Empty,
                NotServed = ex,
            };
        }
        return new PlannedItem(kind, fileId, PlannedAction.Fetch, problem!)
        {
            FileName = file.FileName,
            ExpectedBytes = file.Bytes,
            Path = own?.Path ?? ArchiveLayout.StoredFile(fileId, file.FileName),
        };
    }

    private static ArchiveItem Copy(ArchiveItem item, string kind) => new()
    {
        Kind = kind,
        FileId = item.FileId,
        FileName = item.FileName,
        Path = item.Path,
        State = item.State,
        Bytes = item.Bytes,
        ArchivedAt = item.ArchivedAt,
    };

    /// <summary>Null when the item is archived and its file has the recorded size; otherwise why it must be fetched.</summary>
    private string? Verify(ArchiveItem? item)
    {
        if (item is null)
        {
            return "not archived yet";
        }
        if (!item.IsArchived)
        {
            return "recorded as missing before; asking again";
        }
        var file = new FileInfo(ArchiveLayout.FullPath(_root, item.Path!));
        if (!file.Exists)
        {
            return "its file is gone from the archive";
        }
        return file.Length == item.Bytes ? null : $"{file.Length} bytes on disk, {item.Bytes} in the manifest";
    }

    private static IEnumerable<(string Kind, string Id)> FilesOf(Job job)
    {
        if (job.TrainingFile is { Length: > 0 } training)
        {
            yield return (ArchiveItemKinds.TrainingFile, training);
        }
        if (job.ValidationFile is { Length: > 0 } validation)
        {
            yield return (ArchiveItemKinds.ValidationFile, validation);
        }
        foreach (string result in job.ResultFiles.Distinct(StringComparer.Ordinal))
        {
            yield return (ArchiveItemKinds.ResultFile, result);
        }
    }
}
