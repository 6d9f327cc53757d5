using System.Collections.Generic;
using System.Management.Automation;
using FineTune.Service.Archive;

namespace FineTune.PowerShell.Commands;

/// <summary>Reads the jobs of an archive written by Export-FineTuneArchive.</summary>
/// <remarks>
/// <para>Reads the archive folder's manifest.json and writes one FineTune.Job per archived job, the same type Get-FineTuneJob writes, read from the job object the service sent. Each also carries where its data lies in the archive: ArchivePath (the job's folder, with job.json, events.jsonl, checkpoints.jsonl and metrics.csv), TrainingFilePath and ValidationFilePath (the archived copies of its files). Pipe them into New-FineTuneJob to train the same data again on the connected provider.</para>
/// <para>The manifest is checked first: a missing manifest is FineTune.Archive.NotFound; a manifest that is not what Export-FineTuneArchive writes is FineTune.Archive.InvalidManifest, naming the file and the field (as a JSON path such as $.jobs[2].items[0].bytes) and what is wrong; a manifest of a later schema version is FineTune.Archive.UnsupportedVersion. A job whose job.json is gone or damaged is a FineTune.Archive.JobUnreadable error and the other jobs are still read. A training or validation file that is gone from the folder, or whose size differs from the manifest's, is left out (its path is null) with a warning, so damaged data is never trained on; Export-FineTuneArchive into the same folder fetches it again. Nothing is sent to any service.</para>
/// </remarks>
/// <example>
/// <code>Import-FineTuneArchive ./openai-archive | Format-Table Id, Status, Model, TrainingFilePath</code>
/// <para>Lists the archived jobs and the local copies of their training files.</para>
/// </example>
/// <example>
/// <code>Import-FineTuneArchive ./openai-archive | Where-Object Status -eq succeeded | New-FineTuneJob -Model gpt-4.1-mini-2025-04-14 -WhatIf</code>
/// <para>Shows, for every succeeded job of the archive, the job that would train the same data on the connected provider with gpt-4.1-mini, and its estimated cost.</para>
/// </example>
[Cmdlet(VerbsData.Import, "FineTuneArchive", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Job))]
public sealed class ImportFineTuneArchiveCommand : FineTuneCmdlet
{

    /// <summary>The archive folders (or their manifest.json); wildcards are allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>The archive folders, taken exactly as written (no wildcards); binds a folder piped from Get-ChildItem.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string folder in ResolveArchives())
        {
            ArchiveReader reader;
            try
            {
                reader = ArchiveReader.Open(folder);
            }
            catch (FineTuneException ex)
            {
                WriteError(ex, folder);
                continue;
            }
            WriteVerbose($"'{reader.Root}' holds {reader.JobCount} jobs archived from {reader.SourceProvider}.");
            try
            {
                foreach (Job job in reader.ReadJobs(problem => WriteError(problem), WriteWarning, CancellationToken))
                {
                    WriteObject(job);
                }
            }
            catch (System.OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Each -Path (wildcards) or -LiteralPath as a file-system path; folders are what is wanted here.</summary>
    private IEnumerable<string> ResolveArchives()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string path in (literal ? LiteralPath : Path)!)
        {
            if (ResolveProviderPath(path, literal, "an archive is a folder of the file system") is not { } resolved)
            {
                continue;
            }
            foreach (string item in resolved)
            {
                yield return item;
            }
        }
    }
}
