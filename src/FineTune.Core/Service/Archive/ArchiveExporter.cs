using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Datasets;
using FineTune.Service.Files;
using FineTune.Service.Jobs;

namespace FineTune.Service.Archive;

/// <summary>
/// Keeps the jobs of an account in a folder: each job's object, events, checkpoints, metrics
/// and its training, validation and result files, with a manifest saying what is there.
/// Resumable: an item already archived whose file still has the recorded size is not fetched
/// again; a job still running is fetched again until it has ended. Every file is written
/// atomically, and the manifest is saved after each job and when a run is interrupted.
/// </summary>
/// <remarks>
/// Use: <see cref="Open"/>, then for each job <see cref="PlanAsync(Job, CancellationToken)"/>
/// (reads the service, writes nothing) and <see cref="ExecuteAsync"/>. An item the service
/// answers 404 for is recorded as missing with the reason and reported to
/// <see cref="ArchiveObserver.Problem"/>; any other failure ends the call with the manifest saved.
/// </remarks>
public sealed class ArchiveExporter
{
    /// <summary>More events or checkpoints than any job has; a server that keeps paging past this is refused.</summary>
    internal const int MaxListedObjects = 1_000_000;

    private readonly ServiceClient _client;
    private readonly JobsClient _jobs;
    private readonly FilesApi _files;
    private readonly ArchiveManifest _manifest;
    private readonly string _manifestPath;

    private ArchiveExporter(ServiceClient client, string root, ArchiveManifest manifest)
    {
        _client = client;
        _jobs = new JobsClient(client);
        _files = new FilesApi(client);
        Root = root;
        _manifest = manifest;
        _manifestPath = System.IO.Path.Combine(root, ArchiveLayout.ManifestFileName);
    }

    /// <summary>The archive folder (full path).</summary>
    public string Root { get; }

    /// <summary>
    /// Opens the archive at <paramref name="folder"/>: reads its manifest when there is one
    /// (and refuses an archive of another account), otherwise starts a new one. Writes nothing.
    /// </summary>
    public static ArchiveExporter Open(ServiceClient client, string folder)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }
        string root = System.IO.Path.GetFullPath(folder);
        if (File.Exists(root))
        {
            throw new FineTuneException("FineTune.Archive.PathIsFile", FailureKind.InvalidArgument,
                $"Cannot archive into '{root}': it is a file.", root, "Give a folder (it is created when missing).");
        }
        ArchiveSource source = SourceOf(client.Connection);
        string manifestPath = System.IO.Path.Combine(root, ArchiveLayout.ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            return new ArchiveExporter(client, root, new ArchiveManifest { CreatedAt = now, UpdatedAt = now, Source = source });
        }
        ArchiveManifest manifest = ArchiveManifestJson.Read(manifestPath);
        if (!SameSource(manifest.Source, source))
        {
            throw new FineTuneException("FineTune.Archive.OtherAccount", FailureKind.InvalidOperation,
                $"The archive '{root}' holds the jobs of {manifest.Source.Provider} at {manifest.Source.BaseUri}; this connection is {source.Provider} at {source.BaseUri}.",
                root, "One archive holds one account: export into another folder, or connect to the service the archive came from.");
        }
        return new ArchiveExporter(client, root, manifest);
    }

    /// <summary>Every job of the account, newest first.</summary>
    public async Task<IReadOnlyList<Job>> ListJobsAsync(CancellationToken cancellationToken)
    {
        var jobs = new List<Job>();
        await foreach (Job job in _jobs.ListAsync(new JobListFilter(), cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(job);
        }
        return jobs;
    }

    /// <summary>Reads the job from the service, then plans it.</summary>
    public async Task<JobArchivePlan> PlanAsync(string jobId, CancellationToken cancellationToken) =>
        await PlanAsync(await _jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Decides, item by item, what archiving <paramref name="job"/> needs. Asks the service
    /// about each file not yet archived (its name and size, or a 404); writes nothing.
    /// </summary>
    public Task<JobArchivePlan> PlanAsync(Job job, CancellationToken cancellationToken) =>
        new ArchivePlanner(Root, _manifest, _files).PlanAsync(job ?? throw new ArgumentNullException(nameof(job)), cancellationToken);

    /// <summary>
    /// Carries out <paramref name="plan"/>: fetches and writes its items, records what the
    /// service no longer serves, and saves the manifest (also when interrupted or failing).
    /// </summary>
    public async Task<JobArchiveResult> ExecuteAsync(JobArchivePlan plan, ArchiveObserver? observer, CancellationToken cancellationToken)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }
        observer ??= new ArchiveObserver();
        Job job = plan.Job;
        var result = new JobArchiveResult { JobId = job.Id, Status = job.Status, Model = job.Model, Path = plan.JobFolder };
        ArchivedJobEntry entry = EntryFor(job);
        bool finished = false;
        try
        {
            foreach (PlannedItem item in plan.Items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (item.Action)
                {
                    case PlannedAction.Keep:
                        entry.Set(item.Existing!);
                        result.Skipped++;
                        break;
                    case PlannedAction.RecordMissing:
                        RecordMissing(entry, job, item, item.NotServed!, observer, result);
                        break;
                    default:
                        await FetchAsync(entry, job, item, observer, result, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
            entry.Status = job.Status;
            entry.ArchivedAt = DateTimeOffset.UtcNow;
            finished = true;
        }
        finally
        {
            SaveManifest(quietly: !finished);
        }
        return result;
    }

    private async Task FetchAsync(ArchivedJobEntry entry, Job job, PlannedItem item, ArchiveObserver observer, JobArchiveResult result, CancellationToken cancellationToken)
    {
        string what = ArchiveItemKinds.Describe(item.Kind, item.FileId);
        _client.Log($"Archive {job.Id}: fetching {item.Describe()}: {item.Reason}.");
        observer.ItemStarting?.Invoke($"{job.Id}: {item.Describe()}", item.ExpectedBytes);
        string fullPath = ArchiveLayout.FullPath(Root, item.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var archived = new ArchiveItem { Kind = item.Kind, FileId = item.FileId, FileName = item.FileName, Path = item.Path };
        if (item.Kind is ArchiveItemKinds.Job or ArchiveItemKinds.Events or ArchiveItemKinds.Checkpoints)
        {
            archived.JobStatus = job.Status;
        }
        try
        {
            switch (item.Kind)
            {
                case ArchiveItemKinds.Job:
                    WriteJson(fullPath, new[] { job.Json ?? throw new InvalidOperationException("The job has no JSON of its own.") }, indented: true);
                    break;
                case ArchiveItemKinds.Events:
                    archived.Count = WriteJson(fullPath, await OldestFirstAsync(_jobs.EventObjectsNewestFirst(job.Id, cancellationToken), what, job.Id).ConfigureAwait(false), indented: false);
                    break;
                case ArchiveItemKinds.Checkpoints:
                    archived.Count = WriteJson(fullPath, await OldestFirstAsync(_jobs.CheckpointObjects(job.Id, cancellationToken), what, job.Id).ConfigureAwait(false), indented: false);
                    break;
                case ArchiveItemKinds.Metrics:
                    if (!WriteMetrics(entry, job, item, fullPath, observer, result, archived, cancellationToken))
                    {
                        return;
                    }
                    break;
                default:
                    long written = await _files.DownloadAsync(item.FileId!, fullPath, observer.Bytes, cancellationToken).ConfigureAwait(false);
                    if (item.ExpectedBytes is { } expected && expected != written)
                    {
                        observer.Warning?.Invoke($"{what} of job {job.Id}: the service lists {expected} bytes but sent {written}; the {written} bytes it sent are archived.");
                    }
                    break;
            }
        }
        catch (ServiceException ex) when (ex.StatusCode == 404)
        {
            RecordMissing(entry, job, item, ex, observer, result);
            return;
        }
        archived.Bytes = new FileInfo(fullPath).Length;
        archived.ArchivedAt = DateTimeOffset.UtcNow;
        entry.Set(archived);
        result.Written++;
        result.BytesWritten += archived.Bytes.Value;
    }

    /// <summary>Rebuilds metrics.csv from the archived result files; false when it cannot (recorded as missing).</summary>
    private bool WriteMetrics(ArchivedJobEntry entry, Job job, PlannedItem item, string fullPath, ArchiveObserver observer, JobArchiveResult result,
        ArchiveItem archived, CancellationToken cancellationToken)
    {
        var sources = new List<(string FileId, string Path)>();
        foreach (string fileId in job.ResultFiles)
        {
            ArchiveItem? resultFile = entry.Find(ArchiveItemKinds.ResultFile, fileId);
            if (resultFile is null || !resultFile.IsArchived)
            {
                // The result file's own absence was reported already; this only records the consequence.
                entry.Set(Missing(item, $"result file {fileId} is not in the archive: {resultFile?.Reason ?? "it was not fetched"}", resultFile?.StatusCode));
                result.Missing++;
                return false;
            }
            sources.Add((fileId, ArchiveLayout.FullPath(Root, resultFile.Path!)));
        }
        try
        {
            archived.Count = MetricsCsv.Write(job.Id, sources, fullPath, cancellationToken);
            return true;
        }
        catch (FineTuneException ex) when (ex.ErrorId == "FineTune.Job.ResultFileInvalid")
        {
            entry.Set(Missing(item, ex.Message, null));
            result.Missing++;
            observer.Problem?.Invoke(ex);
            return false;
        }
    }

    private static void RecordMissing(ArchivedJobEntry entry, Job job, PlannedItem item, ServiceException notServed, ArchiveObserver observer, JobArchiveResult result)
    {
        string what = ArchiveItemKinds.Describe(item.Kind, item.FileId);
        string reason = notServed.ServiceMessage ?? notServed.Message;
        entry.Set(Missing(item, reason, notServed.StatusCode));
        result.Missing++;
        observer.Problem?.Invoke(new FineTuneException("FineTune.Archive.NotServed", FailureKind.ObjectNotFound,
            $"The service no longer serves the {what}{(item.FileName is { Length: > 0 } name ? " (" + name + ")" : "")} of job {job.Id}: {reason.TrimEnd('.')}. "
            + "It is recorded as missing in the manifest; the rest of the job is archived.",
            item.FileId ?? job.Id, "Nothing more can be fetched; if you have the file elsewhere, keep it with the archive."));
    }

    private static ArchiveItem Missing(PlannedItem item, string reason, int? statusCode) => new()
    {
        Kind = item.Kind,
        FileId = item.FileId,
        FileName = item.FileName,
        State = ArchiveItemStates.Missing,
        Reason = reason,
        StatusCode = statusCode,
        ArchivedAt = DateTimeOffset.UtcNow,
    };

    private ArchivedJobEntry EntryFor(Job job)
    {
        ArchivedJobEntry? entry = _manifest.Find(job.Id);
        if (entry is null)
        {
            entry = new ArchivedJobEntry { Id = job.Id, Folder = ArchiveLayout.JobFolder(job.Id) };
            _manifest.Jobs.Add(entry);
        }
        entry.Model = job.Model;
        entry.FineTunedModel = job.FineTunedModel;
        entry.CreatedAt = job.CreatedAt;
        return entry;
    }

    /// <summary>The service lists events and checkpoints newest first; the archive keeps them oldest first.</summary>
    private static async Task<List<JsonElement>> OldestFirstAsync(IAsyncEnumerable<JsonElement> items, string what, string jobId)
    {
        var list = new List<JsonElement>();
        await foreach (JsonElement item in items.ConfigureAwait(false))
        {
            if (list.Count == MaxListedObjects)
            {
                throw new FineTuneException("FineTune.Archive.TooManyItems", FailureKind.LimitsExceeded,
                    $"The service listed more than {MaxListedObjects} {what} for job {jobId}; no job has that many.", jobId,
                    "Check that the base URL points at an OpenAI-compatible API.");
            }
            list.Add(item);
        }
        list.Reverse();
        return list;
    }

    /// <summary>Writes one JSON document (indented) or JSON Lines, atomically; returns how many values.</summary>
    private static int WriteJson(string path, IReadOnlyList<JsonElement> values, bool indented)
    {
        using AtomicFileWriter file = AtomicFileWriter.Open(path, FileWriteMode.Overwrite);
        foreach (JsonElement value in values)
        {
            using (var json = new Utf8JsonWriter(file.Stream, new JsonWriterOptions { Indented = indented, Encoder = MinimalJsonEncoder.Instance }))
            {
                value.WriteTo(json);
            }
            file.Stream.WriteByte((byte)'\n');
        }
        file.Commit();
        return values.Count;
    }

    private void SaveManifest(bool quietly)
    {
        try
        {
            Directory.CreateDirectory(Root);
            _manifest.UpdatedAt = DateTimeOffset.UtcNow;
            ArchiveManifestJson.Write(_manifest, _manifestPath);
        }
        catch (FineTuneException ex) when (quietly)
        {
            // Already failing: the first failure is the one to report; this run's items are re-checked next time.
            _client.Log($"Could not save the archive manifest after the failure: {ex.Message}");
        }
    }

    /// <summary>The connection's service as the manifest records it: no user information, query or fragment, which could hold a secret.</summary>
    private static ArchiveSource SourceOf(ServiceConnection connection) => new()
    {
        Provider = connection.Provider.ToString(),
        BaseUri = new UriBuilder(connection.BaseUri) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty }
            .Uri.GetLeftPart(UriPartial.Path).TrimEnd('/'),
        Organization = connection.Organization,
        Project = connection.Project,
    };

    private static bool SameSource(ArchiveSource archived, ArchiveSource connected) =>
        string.Equals(archived.Provider, connected.Provider, StringComparison.OrdinalIgnoreCase)
        && string.Equals(archived.BaseUri.TrimEnd('/'), connected.BaseUri, StringComparison.OrdinalIgnoreCase);
}
