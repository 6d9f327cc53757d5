using System.IO;
using System.Management.Automation;
using FineTune.PowerShell.Service;
using FineTune.Service.Files;

namespace FineTune.PowerShell.Commands;

/// <summary>Downloads the content of a file stored by the fine-tuning service.</summary>
/// <remarks>
/// <para>Writes the file's content to -Path. When -Path is an existing folder, or is left out, the file is saved there under the name the service recorded, made safe first: only its last path segment, control and direction-changing characters and characters Windows forbids replaced by _, no leading dot, no device name (CON, NUL...), at most 200 bytes; -Verbose says when the name was changed. The download goes to a temporary file beside the target that replaces it only when complete, so an interrupted download never leaves half a file; a connection lost mid-way starts the download again.</para>
/// <para>Each read of the content must bring data within the connection's timeout (Connect-FineTuneService -TimeoutSec): a download that stalls for that long is started again, up to the connection's retries, then fails with FineTune.Service.Timeout.</para>
/// <para>An existing file is replaced only with -Force. A progress bar counts the bytes; -PassThru writes the saved file.</para>
/// </remarks>
/// <example>
/// <code>Save-FineTuneFile -Id file-abc123 -Path ./results.csv</code>
/// <para>Downloads the file's content to results.csv.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneFile -Purpose fine-tune-results -First 5 | Save-FineTuneFile -Path ./results/ -PassThru</code>
/// <para>Downloads the five newest result files into the results folder under their service names and lists them.</para>
/// </example>
[Cmdlet(VerbsData.Save, "FineTuneFile", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(FileInfo))]
public sealed class SaveFineTuneFileCommand : FineTuneServiceCmdlet
{

    /// <summary>The id of the file to download (file-...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FileId")]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    /// <summary>Where to save: a file path, or a folder to save into under the service's file name. The current folder by default.</summary>
    [Parameter(Position = 1, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Where to save, taken exactly as written (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string? LiteralPath { get; set; }

    /// <summary>Replaces an existing file, a read-only one too.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes the saved file (a FileInfo).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string id = Id!;
        string requested = ResolveOutputPath((ParameterSetName == LiteralPathSet ? LiteralPath : Path) ?? ".");
        string? target = Directory.Exists(requested) ? null : requested;
        if (target is null)
        {
            RunService(async (client, token) =>
            {
                ServiceFile file = await new FilesApi(client).GetAsync(id, token).ConfigureAwait(false);
                string name = LocalFileName.FromServiceName(file.FileName, id);
                if (name != file.FileName)
                {
                    client.Log($"The service's name for {id}, '{file.FileName}', is saved as '{name}'.");
                }
                target = System.IO.Path.Combine(requested, name);
            }, id);
            if (target is null)
            {
                return;
            }
        }
        if (File.Exists(target) && !Force.IsPresent)
        {
            WriteError(ToErrorRecord("FineTune.Path.Exists", ErrorCategory.ResourceExists, $"'{target}' already exists.", target, "Pass -Force to replace it, or choose another path."));
            return;
        }
        string destination = target;
        if (!ShouldProcess(destination, $"Download file {id}"))
        {
            return;
        }
        ByteProgress progress = StartByteProgress(2, $"Downloading {id}", 0);
        try
        {
            bool saved = RunService(async (client, token) =>
            {
                await new FilesApi(client).DownloadAsync(id, destination, progress.Report, token, Force.IsPresent).ConfigureAwait(false);
            }, id);
            if (saved && PassThru.IsPresent)
            {
                WriteObject(FileItem(destination));
            }
        }
        finally
        {
            progress.Complete();
        }
    }
}
