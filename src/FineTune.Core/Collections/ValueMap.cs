using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;

namespace FineTune;

/// <summary>
/// A read-only map of names to values (job metadata, extra metric columns, prices per tier) that
/// reads as its pairs: <see cref="ToString"/> gives <c>team=it; run=3</c> (numbers in the invariant
/// culture), so Export-Csv writes the values rather than a type name, while <c>$map['team']</c>,
/// <c>$map.team</c> and ConvertTo-Json keep working.
/// </summary>
public sealed class ValueMap<TValue> : ReadOnlyDictionary<string, TValue>
{
    private ValueMap(IDictionary<string, TValue> pairs)
        : base(pairs)
    {
    }

    public static ValueMap<TValue> None { get; } = new(new Dictionary<string, TValue>(StringComparer.Ordinal));

    /// <summary>A map of a copy of <paramref name="pairs"/>, in their order; keys compared by <paramref name="comparer"/> (ordinal by default).</summary>
    public static ValueMap<TValue> Of(IEnumerable<KeyValuePair<string, TValue>> pairs, IEqualityComparer<string>? comparer = null)
    {
        var copy = new Dictionary<string, TValue>(comparer ?? StringComparer.Ordinal);
        foreach (KeyValuePair<string, TValue> pair in pairs)
        {
            copy[pair.Key] = pair.Value;
        }
        return new ValueMap<TValue>(copy);
    }

    public override string ToString() =>
        string.Join("; ", this.Select(pair => pair.Key + "=" + Convert.ToString(pair.Value, CultureInfo.InvariantCulture)));
}
