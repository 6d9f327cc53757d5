using System.Collections;
using System.Management.Automation;
using System.Threading.Tasks;
using FineTune.Service.Jobs;

namespace FineTune.PowerShell.Commands;

/// <summary>Gets fine-tuning jobs.</summary>
/// <remarks>
/// <para>With -Id, gets those jobs. Without it, lists the jobs of the organization newest first, page after page as they are needed; -First stops after that many matching jobs. A service whose pages never end (a page that repeats the one before, or an empty page that says more follow) stops the listing with FineTune.Service.InvalidResponse after the jobs already listed.</para>
/// <para>-Metadata keeps jobs whose metadata has every given key and value (the service filters with metadata[key]=value, and FineTune checks again). -Status keeps jobs with one of the given statuses; the service has no status filter, so the list is read until enough jobs match. Statuses are an open set: validating_files, queued, running, paused, succeeded, failed, cancelled, or any the service adds.</para>
/// <para>Outputs FineTune.Job objects, whose Id binds to Wait-FineTuneJob, Stop-FineTuneJob, Suspend-FineTuneJob, Resume-FineTuneJob, and whose JobId binds to Get-FineTuneEvent, Get-FineTuneCheckpoint and Get-FineTuneMetric.</para>
/// </remarks>
/// <example>
/// <code>Get-FineTuneJob -First 5</code>
/// <para>Lists the five newest jobs.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneJob -Status running | Get-FineTuneEvent -First 5</code>
/// <para>Shows the five latest events of every running job.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneJob -Metadata @{ team = 'helpdesk' } -Status succeeded | Select-Object Id, FineTunedModel</code>
/// <para>Lists the models trained by the jobs tagged team=helpdesk.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "FineTuneJob", DefaultParameterSetName = ListSet)]
[OutputType(typeof(Job))]
public sealed class GetFineTuneJobCommand : FineTuneJobCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    /// <summary>The ids of the jobs to get (ftjob-...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    /// <summary>Stops after this many matching jobs.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <summary>Keeps jobs with one of these statuses (case-insensitive).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(JobStatusCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Status { get; set; }

    /// <summary>Keeps jobs whose metadata has every key and value of this hashtable.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNull]
    public Hashtable? Metadata { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == IdSet)
        {
            foreach (string id in Id!)
            {
                RunService(async (client, token) =>
                {
                    Job job = await new JobsClient(client).GetAsync(id, token).ConfigureAwait(false);
                    Post(() => WriteObject(job));
                }, id);
            }
            return;
        }

        var filter = new JobListFilter { First = First };
        foreach (string status in Status ?? System.Array.Empty<string>())
        {
            filter.Statuses.Add(status);
        }
        if (Metadata is not null)
        {
            foreach (DictionaryEntry entry in Metadata)
            {
                filter.Metadata[entry.Key.ToString()!] = entry.Value?.ToString() ?? string.Empty;
            }
        }
        RunService(async (client, token) =>
        {
            await foreach (Job job in new JobsClient(client).ListAsync(filter, token).ConfigureAwait(false))
            {
                Post(() => WriteObject(job));
            }
        }, null);
    }
}
