using System.Management.Automation;
using FineTune.Service.Jobs;

namespace FineTune.PowerShell.Commands;

/// <summary>Resumes paused fine-tuning jobs.</summary>
/// <remarks>
/// <para>Training continues from where Suspend-FineTuneJob paused it. Only a paused job can be resumed: the service's refusal is an error record for that id.</para>
/// <para>Job ids bind from the pipeline by the Id property, so the output of Get-FineTuneJob or New-FineTuneJob can be piped in. Asks for confirmation with -Confirm; -WhatIf shows what would be done. With -PassThru, writes each job as the service returns it after the change.</para>
/// </remarks>
/// <example>
/// <code>Resume-FineTuneJob -Id ftjob-abc123 -PassThru</code>
/// <para>Resumes one paused job and writes it with its new status.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneJob -Status paused | Resume-FineTuneJob -Confirm:$false</code>
/// <para>Resumes every paused job without asking.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Resume, "FineTuneJob", SupportsShouldProcess = true)]
[OutputType(typeof(Job))]
public sealed class ResumeFineTuneJobCommand : FineTuneJobCmdlet
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
        RunJobAction(Id!, "Resume the fine-tuning job", PassThru.IsPresent, (jobs, id, token) => jobs.ResumeAsync(id, token));
}
