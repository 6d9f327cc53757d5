using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using FineTune.Service.Jobs;

namespace FineTune.Service.Archive;

/// <summary>
/// Reads an archive written by <see cref="ArchiveExporter"/> back as <see cref="Job"/> objects,
/// each carrying where its data lies in the archive (<see cref="Job.ArchivePath"/>,
/// <see cref="Job.TrainingFilePath"/>, <see cref="Job.ValidationFilePath"/>). The manifest is
/// validated first; a job whose <c>job.json</c> cannot be read is reported and skipped, and an
/// archived training or validation file that is gone or has another size than recorded is
/// reported and left out (its path is null), so it is never replayed damaged.
/// </summary>
public sealed class ArchiveReader
{
    /// <summary>A job object is a few kilobytes; this is far beyond any.</summary>
    internal const long MaxJobObjectBytes = 16L * 1024 * 1024;

    private readonly ArchiveManifest _manifest;

    private ArchiveReader(string root, ArchiveManifest manifest)
    {
        Root = root;
        _manifest = manifest;
    }

    /// <summary>The archive folder.</summary>
    public string Root { get; }

    /// <summary>How many jobs the manifest lists.</summary>
    public int JobCount => _manifest.Jobs.Count;

    /// <summary>The provider the jobs were archived from (OpenAI, AzureOpenAI, Compatible).</summary>
    public string SourceProvider => _manifest.Source.Provider;

    /// <summary>Opens the archive at <paramref name="path"/>: its folder, or its manifest.json. Throws when the manifest is missing or invalid.</summary>
    public static ArchiveReader Open(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        string root = File.Exists(full) && string.Equals(System.IO.Path.GetFileName(full), ArchiveLayout.ManifestFileName, StringComparison.OrdinalIgnoreCase)
            ? System.IO.Path.GetDirectoryName(full)!
            : full;
        if (!Directory.Exists(root))
        {
            throw new FineTuneException("FineTune.Archive.NotFound", FailureKind.ObjectNotFound,
                $"Cannot find the archive folder '{root}'.", path, "Pass the folder Export-FineTuneArchive wrote.");
        }
        return new ArchiveReader(root, ArchiveManifestJson.Read(System.IO.Path.Combine(root, ArchiveLayout.ManifestFileName)));
    }

    /// <summary>
    /// The archived jobs in manifest order. A job that cannot be read goes to
    /// <paramref name="problem"/> (<c>FineTune.Archive.JobUnreadable</c>); a damaged file of a
    /// readable job goes to <paramref name="warning"/>.
    /// </summary>
    public IEnumerable<Job> ReadJobs(Action<FineTuneException>? problem, Action<string>? warning, CancellationToken cancellationToken)
    {
        foreach (ArchivedJobEntry entry in _manifest.Jobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Job job;
            try
            {
                job = ReadJob(entry);
            }
            catch (FineTuneException ex)
            {
                problem?.Invoke(ex);
                continue;
            }
            job.ArchivePath = ArchiveLayout.FullPath(Root, entry.Folder);
            job.TrainingFilePath = LocalCopy(entry, ArchiveItemKinds.TrainingFile, job.TrainingFile, warning);
            job.ValidationFilePath = LocalCopy(entry, ArchiveItemKinds.ValidationFile, job.ValidationFile, warning);
            yield return job;
        }
    }

    private Job ReadJob(ArchivedJobEntry entry)
    {
        ArchiveItem? item = entry.Find(ArchiveItemKinds.Job, null);
        string manifest = System.IO.Path.Combine(Root, ArchiveLayout.ManifestFileName);
        if (item is null || !item.IsArchived)
        {
            throw Unreadable(entry.Id, manifest, $"the manifest has no archived job object for job {entry.Id}{(item?.Reason is { } reason ? " (" + reason + ")" : "")}");
        }
        string path = ArchiveLayout.FullPath(Root, item.Path!);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw Unreadable(entry.Id, path, "the file is gone");
        }
        if (info.Length > MaxJobObjectBytes)
        {
            throw Unreadable(entry.Id, path, $"it has {info.Length} bytes, more than a job object can have");
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Unreadable(entry.Id, path, "it does not hold a JSON object");
            }
            Job job = JobJson.ReadJob(root.Clone());
            if (job.Id != entry.Id)
            {
                throw Unreadable(entry.Id, path, $"its field 'id' is '{job.Id}', but the manifest lists it as job {entry.Id}");
            }
            return job;
        }
        catch (JsonException ex)
        {
            throw Unreadable(entry.Id, path, $"it is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}): {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(entry.Id, path, ex.Message);
        }
    }

    /// <summary>The full path of an archived file that is there with its recorded size; null otherwise.</summary>
    private string? LocalCopy(ArchivedJobEntry entry, string kind, string? fileId, Action<string>? warning)
    {
        if (fileId is null || entry.Find(kind, fileId) is not { IsArchived: true } item)
        {
            return null;
        }
        string path = ArchiveLayout.FullPath(Root, item.Path!);
        var info = new FileInfo(path);
        string what = ArchiveItemKinds.Describe(kind, fileId);
        if (!info.Exists)
        {
            warning?.Invoke($"The {what} of job {entry.Id} is gone from the archive ({path}); run Export-FineTuneArchive into this folder again to fetch it.");
            return null;
        }
        if (info.Length != item.Bytes)
        {
            warning?.Invoke($"The {what} of job {entry.Id} has {info.Length} bytes on disk but {item.Bytes} in the manifest ({path}); it is left out. "
                + "Run Export-FineTuneArchive into this folder again to fetch it again.");
            return null;
        }
        return path;
    }

    private static FineTuneException Unreadable(string jobId, string path, string problem) =>
        new("FineTune.Archive.JobUnreadable", FailureKind.InvalidData,
            $"Cannot read job {jobId} from the archive: '{path}': {problem}.", path,
            "Run Export-FineTuneArchive into this folder again while the service still has the job; it fetches what is missing or damaged.");
}
