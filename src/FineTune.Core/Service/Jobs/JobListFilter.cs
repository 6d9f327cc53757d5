using System.Collections.Generic;

namespace FineTune.Service.Jobs;

/// <summary>Which jobs to list. The service filters by metadata; the status filter is applied here, as the list endpoint has none.</summary>
public sealed class JobListFilter
{
    /// <summary>Stop after this many matching jobs (null: all).</summary>
    public int? First { get; set; }

    /// <summary>Keep jobs with one of these statuses (case-insensitive; empty: any).</summary>
    public IList<string> Statuses { get; } = new List<string>();

    /// <summary>Keep jobs whose metadata has every one of these pairs (sent as <c>metadata[k]=v</c>).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>();
}
