using System.Management.Automation;
using System.Threading.Tasks;
using FineTune.Service.Jobs;

namespace FineTune.PowerShell.Commands;

/// <summary>Gets the per-step training metrics of fine-tuning jobs.</summary>
/// <remarks>
/// <para>Downloads the job's result file(s), written by the service when the job ends, and parses them into one FineTune.MetricStep per training step: Step, TrainLoss, TrainAccuracy, ValidLoss, ValidMeanTokenAccuracy, FullValidLoss and FullValidMeanTokenAccuracy. Empty cells are null; columns the module does not know are kept in the Extra property.</para>
/// <para>A job that has no result file yet is a FineTune.Job.NoResultFile error; Get-FineTuneEvent shows the metrics events of a running job.</para>
/// </remarks>
/// <example>
/// <code>Get-FineTuneJob -Id ftjob-abc123 | Wait-FineTuneJob | Get-FineTuneMetric | Export-Csv ./metrics.csv</code>
/// <para>Waits for the job and saves its metrics.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneMetric ftjob-abc123 | Measure-Object TrainLoss -Minimum -Maximum</code>
/// <para>Shows the range of the training loss.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "FineTuneMetric")]
[OutputType(typeof(MetricStep))]
public sealed class GetFineTuneMetricCommand : FineTuneJobCmdlet
{
    /// <summary>The job whose metrics to get (ftjob-...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string? JobId { get; set; }

    protected override void ProcessRecord()
    {
        string jobId = JobId!;
        RunService(async (client, token) =>
        {
            await foreach (MetricStep step in new JobsClient(client).GetMetricsAsync(jobId, token).ConfigureAwait(false))
            {
                Post(() => WriteObject(step));
            }
        }, jobId);
    }
}
