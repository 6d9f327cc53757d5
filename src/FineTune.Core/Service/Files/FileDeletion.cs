namespace FineTune;

/// <summary>The service's answer to deleting a file.</summary>
public sealed class FileDeletion
{
    /// <summary>The file that was deleted.</summary>
    public string Id { get; internal set; } = string.Empty;

    /// <summary>True when the service confirms the deletion.</summary>
    public bool Deleted { get; internal set; }

    public override string ToString() => Id;
}
