using System;

namespace FineTune;

/// <summary>A deployment of a model in an Azure OpenAI resource, as Azure Resource Manager reports it.</summary>
public sealed class Deployment
{
    /// <summary>The deployment name: what Invoke-FineTuneChat -Model takes on Azure.</summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary>The deployed model (a fine-tuned model or a checkpoint id).</summary>
    public string? Model { get; internal set; }

    public string? ModelVersion { get; internal set; }

    /// <summary>Standard, GlobalStandard, DeveloperTier or another SKU the service reports.</summary>
    public string? Sku { get; internal set; }

    public int? Capacity { get; internal set; }

    /// <summary><c>Accepted</c>, <c>Creating</c>, <c>Succeeded</c>, <c>Failed</c>, <c>Deleting</c>, ... as Azure reports it.</summary>
    public string? ProvisioningState { get; internal set; }

    public DateTimeOffset? CreatedAt { get; internal set; }

    /// <summary>DeveloperTier only: when Azure deletes the deployment (24 hours after it was created).</summary>
    public DateTimeOffset? ExpiresAt => string.Equals(Sku, nameof(DeploymentSku.DeveloperTier), StringComparison.OrdinalIgnoreCase) && CreatedAt is { } created
        ? created.AddHours(24)
        : null;

    /// <summary>The Azure OpenAI resource (account) that holds it.</summary>
    public string? AccountName { get; internal set; }

    /// <summary>The Resource Manager id.</summary>
    public string? Id { get; internal set; }

    public override string ToString() => Name;
}
