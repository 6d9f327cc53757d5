using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace FineTune;

/// <summary>
/// A read-only list that reads as its items: <see cref="ToString"/> joins them with "; ", so
/// Export-Csv and string interpolation show <c>supervised; dpo</c> rather than a type name,
/// while the pipeline still gets a typed list (<c>-contains</c>, indexing, ConvertTo-Json).
/// </summary>
public sealed class ValueList<T> : ReadOnlyCollection<T>
{
    private ValueList(IList<T> items)
        : base(items)
    {
    }

    public static ValueList<T> None { get; } = new(Array.Empty<T>());

    /// <summary>A list of a copy of <paramref name="items"/>.</summary>
    public static ValueList<T> Of(IEnumerable<T> items) => new(items.ToList());

    public override string ToString() => string.Join("; ", this);
}
