using System.Threading.Tasks;
using System.Management.Automation;
using FineTune.Service.Deployments;

namespace FineTune.PowerShell.Commands;

/// <summary>Gets the deployments of an Azure OpenAI resource.</summary>
/// <remarks>
/// <para>Lists the deployments of the Azure OpenAI resource through Azure Resource Manager: their name, model, SKU, capacity and provisioning state, and for DeveloperTier deployments when Azure deletes them (ExpiresAt). -Name gets one (wildcards filter the list). The account is found from the connected endpoint, or named with -SubscriptionId, -ResourceGroupName and -AccountName.</para>
/// </remarks>
/// <example>
/// <code>Get-FineTuneDeployment | Where-Object Model -like '*.ft-*'</code>
/// <para>Lists the deployments of fine-tuned models.</para>
/// </example>
/// <example>
/// <code>Get-FineTuneDeployment -Name helpdesk | Select-Object Name, ProvisioningState, ExpiresAt</code>
/// <para>Shows whether one deployment is ready and when a Developer deployment goes away.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "FineTuneDeployment")]
[OutputType(typeof(Deployment))]
public sealed class GetFineTuneDeploymentCommand : FineTuneDeploymentCmdlet
{
    /// <summary>The deployment names to get; wildcards filter the list. All deployments when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        DeploymentsClient deployments = Deployments;
        if (Name is { Length: > 0 } names && !System.Array.Exists(names, WildcardPattern.ContainsWildcardCharacters))
        {
            foreach (string name in names)
            {
                RunService(async (client, token) =>
                {
                    Deployment deployment = await deployments.GetAsync(name, token).ConfigureAwait(false);
                    Post(() => WriteObject(deployment));
                }, name);
            }
            return;
        }
        var patterns = System.Array.ConvertAll(Name ?? new[] { "*" }, n => new WildcardPattern(n, WildcardOptions.IgnoreCase));
        RunService(async (client, token) =>
        {
            await foreach (Deployment deployment in deployments.ListDeploymentsAsync(token).ConfigureAwait(false))
            {
                if (System.Array.Exists(patterns, p => p.IsMatch(deployment.Name)))
                {
                    Post(() => WriteObject(deployment));
                }
            }
        }, null);
    }
}
