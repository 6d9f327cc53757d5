namespace FineTune;

/// <summary>The service's answer to deleting a fine-tuned model.</summary>
public sealed class ModelDeletion
{
    /// <summary>The model that was deleted.</summary>
    public string Id { get; internal set; } = string.Empty;

    /// <summary>True when the service confirms the deletion.</summary>
    public bool Deleted { get; internal set; }

    public override string ToString() => Id;
}
