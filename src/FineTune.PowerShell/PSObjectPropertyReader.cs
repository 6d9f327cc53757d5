using System.Collections.Generic;
using System.Management.Automation;
using FineTune.Datasets;

namespace FineTune.PowerShell;

/// <summary>
/// Teaches the engine PowerShell's objects: a <c>PSObject</c> wrapping a .NET object is
/// unwrapped to it; a <c>[pscustomobject]</c> (Import-Csv rows, Import-Jsonl lines, Select-Object
/// output) is read by its properties in order.
/// </summary>
internal sealed class PSObjectPropertyReader : IJsonPropertyReader
{
    public static readonly PSObjectPropertyReader Instance = new();

    public object? Unwrap(object value)
    {
        // A [pscustomobject]'s base object is one shared placeholder, so the PSObject itself is the value.
        while (value is PSObject wrapper && wrapper.BaseObject is not PSCustomObject)
        {
            if (ReferenceEquals(wrapper.BaseObject, wrapper))
            {
                break;
            }
            value = wrapper.BaseObject;
        }
        return value;
    }

    public bool TryGetProperties(object value, out IEnumerable<KeyValuePair<string, object?>> properties)
    {
        if (value is PSObject custom && custom.BaseObject is PSCustomObject)
        {
            properties = Properties(custom);
            return true;
        }
        properties = null!;
        return false;
    }

    private static IEnumerable<KeyValuePair<string, object?>> Properties(PSObject custom)
    {
        var list = new List<KeyValuePair<string, object?>>();
        foreach (PSPropertyInfo property in custom.Properties)
        {
            object? value;
            try
            {
                value = property.Value;
            }
            catch (GetValueException)
            {
                continue; // a script property that throws has nothing to export
            }
            list.Add(new KeyValuePair<string, object?>(property.Name, value));
        }
        return list;
    }
}
