using System.Management.Automation;
using FineTune.Service.Jobs;

namespace FineTune.PowerShell.Commands;

/// <summary>Cancels fine-tuning jobs.</summary>
/// <remarks>
/// <para>The service stops training; the job ends with the status cancelled and produces no model. A job that has already ended cannot be cancelled: the service's refusal is an error record for that id.</para>
/// <para>Job ids bind from the pipeline by the Id property, so the output of Get-FineTuneJob or New-FineTuneJob can be piped in. A cancel cannot be undone, so the command asks for confirmation first (ConfirmImpact High, like the removals); -Confirm:$false cancels without asking, -WhatIf shows what would be done. With -PassThru, writes each job as the service returns it after the change.</para>
/// </remarks>
/// <example>
/// <code>Stop-FineTuneJob -Id ftjob-abc123</code>
/// <para>Cancels one job after confirmation.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneJob -Status running | Stop-FineTuneJob -WhatIf</code>
/// <para>Shows which running jobs would be cancelled.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Stop, "FineTuneJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Job))]
public sealed class StopFineTuneJobCommand : FineTuneJobCmdlet
{
    /// <summary>The ids of the jobs (ftjob-...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    /// <summary>Writes each job after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() =>
        RunJobAction(Id!, "Cancel the fine-tuning job", PassThru.IsPresent, (jobs, id, token) => jobs.CancelAsync(id, token));
}
