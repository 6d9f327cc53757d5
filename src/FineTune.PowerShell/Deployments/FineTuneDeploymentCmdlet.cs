using System;
using System.Management.Automation;
using FineTune.Service.Deployments;

namespace FineTune.PowerShell;

/// <summary>
/// What the deployment cmdlets share: the Azure OpenAI account (given, or found from the
/// connected endpoint), Azure Resource Manager's address, and the deployments client.
/// </summary>
public abstract class FineTuneDeploymentCmdlet : FineTuneServiceCmdlet
{
    private DeploymentsClient? _deployments;

    /// <summary>The Azure subscription of the Azure OpenAI resource; with -ResourceGroupName and -AccountName names the resource, alone narrows the search for it. By default AZURE_SUBSCRIPTION_ID, else every subscription the identity can see.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SubscriptionId { get; set; }

    /// <summary>The resource group of the Azure OpenAI resource (with -SubscriptionId and -AccountName).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ResourceGroupName { get; set; }

    /// <summary>The name of the Azure OpenAI resource (account); by default the one whose endpoint the connection uses.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AccountName { get; set; }

    /// <summary>Azure Resource Manager of another cloud (sovereign clouds); by default the connection's, https://management.azure.com.</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? ResourceManagerUri { get; set; }

    /// <summary>
    /// The deployments client for this command's account, made on first use and kept for every
    /// pipeline object, so the account is found once; a terminating error when the parameters
    /// are incomplete.
    /// </summary>
    protected DeploymentsClient Deployments
    {
        get
        {
            if (_deployments is null)
            {
                try
                {
                    _deployments = DeploymentsClient.ForAccount(Client, SubscriptionId, ResourceGroupName, AccountName, ResourceManagerUri);
                }
                catch (FineTuneException ex)
                {
                    ThrowTerminatingError(ex);
                    throw;
                }
            }
            return _deployments;
        }
    }
}
