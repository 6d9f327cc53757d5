using System.Management.Automation;
using System.Threading.Tasks;
using FineTune.PowerShell.Service;
using FineTune.Service.Files;

namespace FineTune.PowerShell.Commands;

/// <summary>Gets files stored by the fine-tuning service.</summary>
/// <remarks>
/// <para>With -Id, gets those files. Without it, lists the stored files, newest first, page after page as they are needed; -Purpose keeps files of one purpose (fine-tune for training data, fine-tune-results for the metrics files of finished jobs) and -First stops after that many. A service whose pages never end stops the listing with FineTune.Service.InvalidResponse after the files already listed.</para>
/// <para>Outputs FineTune.ServiceFile objects, whose Id property binds to Save-FineTuneFile, Remove-FineTuneFile and New-FineTuneJob.</para>
/// </remarks>
/// <example>
/// <code>Get-FineTuneFile -Purpose fine-tune -First 10</code>
/// <para>Lists the ten newest training files.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneFile -Id file-abc123</code>
/// <para>Gets one file by its id.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneFile | Where-Object CreatedAt -lt (Get-Date).AddDays(-30) | Remove-FineTuneFile -WhatIf</code>
/// <para>Shows which files older than 30 days would be deleted.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "FineTuneFile", DefaultParameterSetName = ListSet)]
[OutputType(typeof(ServiceFile))]
public sealed class GetFineTuneFileCommand : FineTuneServiceCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    /// <summary>The ids of the files to get (file-...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    [Alias("FileId")]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    /// <summary>Lists only files with this purpose, such as fine-tune or fine-tune-results.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FilePurposeCompleter))]
    public string? Purpose { get; set; }

    /// <summary>Stops after this many files.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ListSet)
        {
            RunService(async (client, token) =>
            {
                await foreach (ServiceFile file in new FilesApi(client).ListAsync(Purpose, First, token).ConfigureAwait(false))
                {
                    Post(() => WriteObject(file));
                }
            }, Purpose);
            return;
        }
        foreach (string id in Id!)
        {
            RunService(async (client, token) =>
            {
                ServiceFile file = await new FilesApi(client).GetAsync(id, token).ConfigureAwait(false);
                Post(() => WriteObject(file));
            }, id);
        }
    }
}
