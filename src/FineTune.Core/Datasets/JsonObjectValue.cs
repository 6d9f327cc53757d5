using System;
using System.Collections;
using System.Collections.Generic;

namespace FineTune.Datasets;

/// <summary>
/// A JSON object as an ordered list of properties, the neutral form <see cref="JsonValueParser"/>
/// produces. Values are <c>null</c>, <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>,
/// <see cref="System.Numerics.BigInteger"/>, <see cref="decimal"/>, <see cref="double"/>,
/// <see cref="List{T}"/> of values (arrays) or another <see cref="JsonObjectValue"/>.
/// </summary>
public sealed class JsonObjectValue : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _properties = new();

    /// <summary>Set by the parser for large objects to find duplicate keys in constant time.</summary>
    internal HashSet<string>? KeyIndex { get; set; }

    public int Count => _properties.Count;

    public KeyValuePair<string, object?> this[int index] => _properties[index];

    public void Add(string name, object? value) => _properties.Add(new KeyValuePair<string, object?>(name, value));

    /// <summary>The value of the first property named <paramref name="name"/> (ordinal).</summary>
    public bool TryGetValue(string name, out object? value)
    {
        foreach (KeyValuePair<string, object?> property in _properties)
        {
            if (string.Equals(property.Key, name, StringComparison.Ordinal))
            {
                value = property.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
