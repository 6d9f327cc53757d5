using System;

namespace FineTune.Service.Deployments;

/// <summary>An Azure OpenAI / AI Foundry resource as Azure Resource Manager names it.</summary>
public sealed class AzureAccount
{
    public AzureAccount(string subscriptionId, string resourceGroupName, string accountName)
    {
        SubscriptionId = Check(subscriptionId, "SubscriptionId");
        ResourceGroupName = Check(resourceGroupName, "ResourceGroupName");
        AccountName = Check(accountName, "AccountName");
    }

    public string SubscriptionId { get; }

    public string ResourceGroupName { get; }

    public string AccountName { get; }

    /// <summary>The account's Resource Manager path, <c>subscriptions/.../accounts/{name}</c>, segments escaped.</summary>
    public string Path => "subscriptions/" + ServiceRequest.Segment(SubscriptionId) + "/resourceGroups/" + ServiceRequest.Segment(ResourceGroupName)
        + "/providers/Microsoft.CognitiveServices/accounts/" + ServiceRequest.Segment(AccountName);

    public override string ToString() => $"{AccountName} (resource group {ResourceGroupName}, subscription {SubscriptionId})";

    /// <summary>The account of a Resource Manager id <c>/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.CognitiveServices/accounts/{a}</c>; null for another shape.</summary>
    internal static AzureAccount? FromResourceId(string? id)
    {
        string[] parts = (id ?? string.Empty).Trim('/').Split('/');
        return parts.Length >= 8 && parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) && parts[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase)
            && parts[6].Equals("accounts", StringComparison.OrdinalIgnoreCase)
            ? new AzureAccount(parts[1], parts[3], parts[7])
            : null;
    }

    private static string Check(string value, string name) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new FineTuneException("FineTune.Deployment.InvalidAccount", FailureKind.InvalidArgument, $"The {name} is empty.", name, $"Pass -{name}.")
            : value.Trim();
}
