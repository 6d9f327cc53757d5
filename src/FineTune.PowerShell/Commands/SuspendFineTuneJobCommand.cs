using System.Management.Automation;
using FineTune.Service.Jobs;

namespace FineTune.PowerShell.Commands;

/// <summary>Pauses running fine-tuning jobs.</summary>
/// <remarks>
/// <para>The service stops training and keeps the job's state; the job's status becomes paused until Resume-FineTuneJob continues it. Only a running job can be paused: the service's refusal is an error record for that id.</para>
/// <para>Job ids bind from the pipeline by the Id property, so the output of Get-FineTuneJob or New-FineTuneJob can be piped in. Asks for confirmation with -Confirm; -WhatIf shows what would be done. With -PassThru, writes each job as the service returns it after the change.</para>
/// </remarks>
/// <example>
/// <code>Suspend-FineTuneJob -Id ftjob-abc123 -PassThru</code>
/// <para>Pauses one job and writes it with its new status.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneJob -Metadata @{ team = 'it' } -Status running | Suspend-FineTuneJob -Confirm:$false</code>
/// <para>Pauses every running job tagged team=it without asking.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Suspend, "FineTuneJob", SupportsShouldProcess = true)]
[OutputType(typeof(Job))]
public sealed class SuspendFineTuneJobCommand : FineTuneJobCmdlet
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
        RunJobAction(Id!, "Pause the fine-tuning job", PassThru.IsPresent, (jobs, id, token) => jobs.PauseAsync(id, token));
}
