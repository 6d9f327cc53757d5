using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace FineTune;

/// <summary>
/// A read-only string map (job metadata, extra metric columns) that reads as its pairs:
/// <see cref="ToString"/> gives <c>team=it; run=3</c>, so Export-Csv writes the values rather than
/// a type name, while <c>$map['team']</c>, <c>$map.team</c> and ConvertTo-Json keep working.
/// </summary>
public sealed class ValueMap : ReadOnlyDictionary<string, string>
{
    private ValueMap(IDictionary<string, string> pairs)
        : base(pairs)
    {
    }

    public static ValueMap None { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>A map of a copy of <paramref name="pairs"/>, in their order.</summary>
    public static ValueMap Of(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in pairs)
        {
            copy[pair.Key] = pair.Value;
        }
        return new ValueMap(copy);
    }

    public override string ToString() => string.Join("; ", this.Select(pair => pair.Key + "=" + pair.Value));
}
