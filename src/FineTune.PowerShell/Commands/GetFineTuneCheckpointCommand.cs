using System.Management.Automation;
using System.Threading.Tasks;
using FineTune.Service.Jobs;

namespace FineTune.PowerShell.Commands;

/// <summary>Gets the model checkpoints of fine-tuning jobs.</summary>
/// <remarks>
/// <para>A job saves usable checkpoints of its model during training (typically at the end of the last epochs). Each FineTune.Checkpoint names its model (FineTunedModelCheckpoint, usable with Invoke-FineTuneChat -Model) and the metrics at its step. They are listed newest first, as the service returns them.</para>
/// </remarks>
/// <example>
/// <code>Get-FineTuneCheckpoint -JobId ftjob-abc123</code>
/// <para>Lists the job's checkpoints with their step and losses.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneJob -Id ftjob-abc123 | Get-FineTuneCheckpoint | Sort-Object FullValidLoss | Select-Object -First 1</code>
/// <para>Finds the checkpoint with the lowest loss on the full validation file.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "FineTuneCheckpoint")]
[OutputType(typeof(Checkpoint))]
public sealed class GetFineTuneCheckpointCommand : FineTuneJobCmdlet
{
    /// <summary>The job whose checkpoints to list (ftjob-...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    /// <summary>Stops after this many checkpoints.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    protected override void ProcessRecord()
    {
        string jobId = JobId!;
        RunService(async (client, token) =>
        {
            await foreach (Checkpoint checkpoint in new JobsClient(client).ListCheckpointsAsync(jobId, First, token).ConfigureAwait(false))
            {
                Post(() => WriteObject(checkpoint));
            }
        }, jobId);
    }
}
