using System.Management.Automation;
using FineTune.Service.Files;

namespace FineTune.PowerShell.Commands;

/// <summary>Deletes files from the fine-tuning service.</summary>
/// <remarks>
/// <para>Deletes each file by id; ids bind from the pipeline, so the output of Get-FineTuneFile or Send-FineTuneFile can be piped in. Asks for confirmation unless -Confirm:$false is given; -WhatIf shows what would be deleted.</para>
/// <para>A file that does not exist is a FineTune.Service.NotFound error for that id; the other ids are still deleted. With -PassThru, the service's answer is written for each file.</para>
/// </remarks>
/// <example>
/// <code>Remove-FineTuneFile -Id file-abc123</code>
/// <para>Deletes one file after confirmation.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneFile -Purpose fine-tune-results | Remove-FineTuneFile -Confirm:$false -PassThru</code>
/// <para>Deletes every result file without asking and writes one FineTune.FileDeletion per file.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "FineTuneFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(FileDeletion))]
public sealed class RemoveFineTuneFileCommand : FineTuneServiceCmdlet
{
    /// <summary>The ids of the files to delete (file-...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FileId")]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    /// <summary>Writes the service's answer (Id, Deleted) for each file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string id in Id!)
        {
            if (!ShouldProcess(id, "Delete the file from the service"))
            {
                continue;
            }
            RunService(async (client, token) =>
            {
                FileDeletion deletion = await new FilesApi(client).DeleteAsync(id, token).ConfigureAwait(false);
                Post(() =>
                {
                    if (!deletion.Deleted)
                    {
                        WriteWarning($"The service did not confirm the deletion of {id}.");
                    }
                    if (PassThru.IsPresent)
                    {
                        WriteObject(deletion);
                    }
                });
            }, id);
        }
    }
}
