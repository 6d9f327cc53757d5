using System;
using System.Management.Automation;
using FineTune.Service;
using FineTune.Service.Deployments;

namespace FineTune.PowerShell;

/// <summary>
/// What the deployment cmdlets share: the Azure OpenAI account (given, or found from the
/// connected endpoint), Azure Resource Manager's address, and the deployments client.
/// </summary>
public abstract class FineTuneDeploymentCmdlet : FineTuneServiceCmdlet
{
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

    /// <summary>The deployments client for this command's account; a terminating error when the parameters are incomplete.</summary>
    protected DeploymentsClient CreateDeployments(ServiceClient client)
    {
        try
        {
            AzureAccount? account = null;
            string? subscription = SubscriptionId ?? (Environment.GetEnvironmentVariable("AZURE_SUBSCRIPTION_ID") is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
            if (ResourceGroupName is not null || AccountName is not null)
            {
                if (subscription is null || ResourceGroupName is null || AccountName is null)
                {
                    throw new FineTuneException("FineTune.Deployment.InvalidAccount", FailureKind.InvalidArgument,
                        "-ResourceGroupName and -AccountName name the account together with -SubscriptionId (or AZURE_SUBSCRIPTION_ID).", "AccountName",
                        "Pass all three, or none to find the account from the connected endpoint.");
                }
                account = new AzureAccount(subscription, ResourceGroupName, AccountName);
            }
            if (ResourceManagerUri is { } arm && arm.Scheme != Uri.UriSchemeHttps && !ServiceConnection.IsLoopback(arm))
            {
                throw new FineTuneException("FineTune.Deployment.InvalidAccount", FailureKind.InvalidArgument,
                    $"The Resource Manager address '{arm}' is not https.", arm.ToString(), "Pass the cloud's https:// Resource Manager address.");
            }
            return new DeploymentsClient(client, account, ResourceManagerUri, subscription);
        }
        catch (FineTuneException ex)
        {
            ThrowTerminatingError(ex);
            throw;
        }
    }
}
