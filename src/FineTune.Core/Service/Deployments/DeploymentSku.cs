namespace FineTune;

/// <summary>
/// How Azure hosts a deployment of a fine-tuned model: Standard (in the resource's region) and
/// GlobalStandard (anywhere) charge by the hour plus tokens; DeveloperTier charges tokens only and
/// is deleted by Azure 24 hours after it is created.
/// </summary>
public enum DeploymentSku
{
    Standard,
    GlobalStandard,
    DeveloperTier,
}
