using System.Management.Automation;
using FineTune.Service.Models;
using FineTune.PowerShell.Completers;

namespace FineTune.PowerShell.Commands;

/// <summary>Deletes fine-tuned models.</summary>
/// <remarks>
/// <para>Deletes each model (ft:...) from the service; it can no longer be used for inference. This cannot be undone, so the command asks for confirmation unless -Confirm:$false is given; -WhatIf shows what would be deleted.</para>
/// <para>Model names bind from the pipeline as strings only (a FineTune.Job is not taken, so that a job's base Model is never deleted by mistake): pipe its FineTunedModel, as in the example. A model that does not exist is an error for that name; the others are still deleted. With -PassThru, the service's answer is written for each model.</para>
/// </remarks>
/// <example>
/// <code>Remove-FineTuneModel -Model 'ft:gpt-4o-mini-2024-07-18:my-org:helpdesk:abc123'</code>
/// <para>Deletes one fine-tuned model after confirmation.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneJob -Metadata @{ team = 'test' } -Status succeeded | ForEach-Object FineTunedModel | Remove-FineTuneModel -Confirm:$false -PassThru</code>
/// <para>Deletes every model trained by the jobs tagged team=test, without asking, and writes one FineTune.ModelDeletion per model.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "FineTuneModel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ModelDeletion))]
public sealed class RemoveFineTuneModelCommand : FineTuneServiceCmdlet
{
    /// <summary>The fine-tuned models to delete (ft:...).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FineTunedModelCompleter))]
    public string[]? Model { get; set; }

    /// <summary>Writes the service's answer (Id, Deleted) for each model.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string model in Model!)
        {
            if (!ShouldProcess(model, "Delete the fine-tuned model"))
            {
                continue;
            }
            RunService(async (client, token) =>
            {
                ModelDeletion deletion = await new ModelsClient(client).DeleteAsync(model, token).ConfigureAwait(false);
                Post(() =>
                {
                    if (!deletion.Deleted)
                    {
                        WriteWarning($"The service did not confirm the deletion of {model}.");
                    }
                    if (PassThru.IsPresent)
                    {
                        WriteObject(deletion);
                    }
                });
            }, model);
        }
    }
}
