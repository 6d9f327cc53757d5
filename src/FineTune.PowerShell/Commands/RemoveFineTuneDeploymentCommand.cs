using System;
using System.Management.Automation;
using FineTune.Service.Deployments;

namespace FineTune.PowerShell.Commands;

/// <summary>Deletes deployments from an Azure OpenAI resource.</summary>
/// <remarks>
/// <para>Deletes each deployment -Name through Azure Resource Manager and waits until it is gone (-NoWait returns once Azure has accepted the deletion). The model it served is kept and can be deployed again; a fine-tuned model can only be deleted (Remove-FineTuneModel) once no deployment uses it. Hourly hosting charges stop with the deployment.</para>
/// <para>This cannot be undone, so the command asks for confirmation unless -Confirm:$false is given. A deployment that does not exist is an error for that name.</para>
/// </remarks>
/// <example>
/// <code>Remove-FineTuneDeployment -Name helpdesk -Confirm:$false</code>
/// <para>Deletes one deployment without asking.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneDeployment 'test-*' | Remove-FineTuneDeployment</code>
/// <para>Deletes every deployment whose name starts with test-, asking for each.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "FineTuneDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveFineTuneDeploymentCommand : FineTuneDeploymentCmdlet
{
    /// <summary>The deployments to delete.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Returns once Azure has accepted the deletion, without waiting for the deployment to be gone.</summary>
    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>How long to wait for each deployment to be gone; 10 minutes by default.</summary>
    [Parameter]
    [ValidateWaitTime]
    public TimeSpan? Timeout { get; set; }

    /// <summary>The pause between two checks; 5 seconds by default.</summary>
    [Parameter]
    [ValidateWaitTime]
    public TimeSpan? PollInterval { get; set; }

    protected override void ProcessRecord()
    {
        DeploymentsClient deployments = Deployments;
        foreach (string name in Name!)
        {
            if (!ShouldProcess(name, "Delete the deployment"))
            {
                continue;
            }
            TimeSpan poll = PollInterval ?? TimeSpan.FromSeconds(5);
            TimeSpan timeout = Timeout ?? TimeSpan.FromMinutes(10);
            RunService(async (client, token) =>
            {
                if (!await deployments.DeleteAsync(name, token).ConfigureAwait(false))
                {
                    throw new FineTuneException("FineTune.Deployment.NotFound", FailureKind.ObjectNotFound,
                        $"There is no deployment '{name}'.", name, "Get-FineTuneDeployment lists the deployments.");
                }
                if (!NoWait.IsPresent)
                {
                    await deployments.WaitUntilGoneAsync(name, poll, timeout, token).ConfigureAwait(false);
                }
                Post(() => WriteVerbose($"Deleted the deployment '{name}'."));
            }, name);
        }
    }
}
