using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using FineTune.PowerShell.Service;
using FineTune.Service.Files;

namespace FineTune.PowerShell.Commands;

/// <summary>Uploads training files to the fine-tuning service.</summary>
/// <remarks>
/// <para>Checks each file first and refuses one with errors unless -SkipValidation is given, then streams it to the service (memory use does not depend on the file's size) with a progress bar in bytes. Files up to 512 MB go in one request; larger files, or any file with -Chunked, go through the Uploads API in 64 MB parts, each part retried on its own, completed with the md5 checksum of the whole file.</para>
/// <para>An upload whose answer is not a clean one (lost, a server error, a 408, 409 or 429, an answer marked x-should-retry, a 2xx that is not a file) is not blindly repeated: the service's file list is checked for up to 30 seconds first, so a retry never stores the file twice. When the file can still not be found, the error (FineTune.Service.OutcomeUnknown) says how to look for it.</para>
/// <para>From the pipeline it takes files: paths and Get-ChildItem output. Examples are not uploaded from the pipeline: write them to a file with Export-Jsonl first; anything but files is an error record saying so.</para>
/// <para>Azure OpenAI processes a file before it can be used for training; with -Wait the command returns only when the file is processed, and reports an error when processing fails. Outputs one FineTune.ServiceFile per file, which New-FineTuneJob takes from the pipeline.</para>
/// </remarks>
/// <example>
/// <code>Send-FineTuneFile ./train.jsonl</code>
/// <para>Checks and uploads train.jsonl with the purpose fine-tune and writes the service's file object.</para>
/// </example>
/// <example>
/// <code>Get-ChildItem ./data/*.jsonl | Send-FineTuneFile -Wait</code>
/// <para>Uploads every JSONL file of the folder and waits until the service has processed each one.</para>
/// </example>
/// <example>
/// <code>Send-FineTuneFile ./big.jsonl -Chunked -SkipValidation -Verbose</code>
/// <para>Uploads a file through the Uploads API in parts without checking it first, showing each request.</para>
/// </example>
[Cmdlet(VerbsCommunications.Send, "FineTuneFile", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(ServiceFile))]
public sealed class SendFineTuneFileCommand : FineTuneServiceCmdlet
{
    /// <summary>The files to upload; wildcards are allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>The files to upload, taken exactly as written (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>The files the pipeline brings: paths or Get-ChildItem output. Anything else is an error record.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject[]? InputObject { get; set; }

    /// <summary>What the file is for; fine-tune by default. Other purposes (batch, vision, user_data, evals, assistants) are passed to the service as given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FilePurposeCompleter))]
    public string Purpose { get; set; } = FilePurposes.FineTune;

    /// <summary>Uploads through the Uploads API in 64 MB parts even when the file is under 512 MB.</summary>
    [Parameter]
    public SwitchParameter Chunked { get; set; }

    /// <summary>Uploads without checking the file first.</summary>
    [Parameter]
    public SwitchParameter SkipValidation { get; set; }

    /// <summary>Waits until the service has processed the file (Azure OpenAI); fails when processing fails.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string path in DatasetInputs(Path, LiteralPath, InputObject, DatasetInputKinds.Files).Select(input => input.File!))
        {
            if (!SkipValidation.IsPresent && Purpose == FilePurposes.FineTune && !PassesUploadPrecheck(path, null))
            {
                continue;
            }
            if (!ShouldProcess(path, $"Upload to {ResolveConnection()} with purpose '{Purpose}'"))
            {
                continue;
            }
            Upload(path);
        }
    }

    private void Upload(string path)
    {
        ServiceFile? file = UploadWithProgress(path, new FileUploadOptions { Purpose = Purpose, Chunked = Chunked.IsPresent });
        if (file is null)
        {
            return;
        }
        if (Wait.IsPresent && !RunService(async (client, token) =>
            {
                file = await new FilesApi(client).WaitForProcessingAsync(file.Id, null,
                    polled => client.Log($"File {polled.Id} is '{polled.Status}'."), token).ConfigureAwait(false);
            }, path))
        {
            return;
        }
        WriteObject(file);
    }
}
