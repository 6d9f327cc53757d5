namespace FineTune;

/// <summary>
/// What one run of Export-FineTuneArchive did for one job: how many of its items were written,
/// kept because they were already archived with the right size, or recorded as missing
/// because the service no longer serves them. Flat, so it goes straight into Export-Csv.
/// </summary>
public sealed class JobArchiveResult
{
    public string JobId { get; internal set; } = string.Empty;

    /// <summary>The job's status when it was archived.</summary>
    public string Status { get; internal set; } = string.Empty;

    public string? Model { get; internal set; }

    /// <summary>Items fetched (or, for metrics, rebuilt) and written in this run.</summary>
    public int Written { get; internal set; }

    /// <summary>Items already in the archive with their recorded size, not fetched again.</summary>
    public int Skipped { get; internal set; }

    /// <summary>Items the service no longer serves (or built from one it does not serve); the manifest says why.</summary>
    public int Missing { get; internal set; }

    public long BytesWritten { get; internal set; }

    /// <summary>The job's folder in the archive.</summary>
    public string Path { get; internal set; } = string.Empty;

    public override string ToString() => JobId;
}
