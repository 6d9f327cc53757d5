using System;

namespace FineTune.Service.Identity;

/// <summary>
/// The Entra ID scopes FineTune asks tokens for: Azure OpenAI's data plane and Azure Resource
/// Manager (for deployments), and the v1-style <c>resource</c> managed identity endpoints take.
/// </summary>
public static class TokenScopes
{
    /// <summary>The scope of Azure OpenAI / Azure AI Foundry data-plane calls.</summary>
    public const string CognitiveServices = "https://cognitiveservices.azure.com/.default";

    /// <summary>Azure Resource Manager in the public cloud.</summary>
    public static readonly Uri PublicResourceManager = new("https://management.azure.com/");

    /// <summary>The scope of Azure Resource Manager at <paramref name="resourceManager"/> (<c>https://management.azure.com/.default</c>).</summary>
    public static string ResourceManager(Uri resourceManager) =>
        resourceManager.GetLeftPart(UriPartial.Authority) + "/.default";

    /// <summary>The resource a managed identity endpoint or the Azure CLI expects for a scope: the scope without <c>/.default</c>.</summary>
    public static string ToResource(string scope)
    {
        const string Suffix = "/.default";
        return scope.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase) ? scope.Substring(0, scope.Length - Suffix.Length) : scope;
    }
}
