using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace FineTune.Datasets;

/// <summary>
/// A small set of allowed JSON keys, matched against property names in UTF-8 without
/// allocating the name (the validator's hot path).
/// </summary>
internal sealed class KeySet
{
    private readonly string[] _names;
    private readonly byte[][] _utf8;

    public KeySet(params string[] names)
    {
        if (names.Length > 32)
        {
            throw new ArgumentException("At most 32 keys.", nameof(names));
        }
        _names = names;
        _utf8 = names.Select(n => Encoding.UTF8.GetBytes(n)).ToArray();
    }

    public IReadOnlyList<string> Names => _names;

    /// <summary>The index of <paramref name="property"/>'s name in the set, or -1.</summary>
    public int IndexOf(JsonProperty property)
    {
        for (int i = 0; i < _utf8.Length; i++)
        {
            if (property.NameEquals(_utf8[i]))
            {
                return i;
            }
        }
        return -1;
    }

    public override string ToString() => string.Join(", ", _names);
}
