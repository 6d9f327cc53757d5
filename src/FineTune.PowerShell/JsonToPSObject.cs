using System.Collections.Generic;
using System.Management.Automation;
using FineTune.Datasets;

namespace FineTune.PowerShell;

/// <summary>Turns the engine's parsed JSON into <c>[pscustomobject]</c>s with properties in file order.</summary>
internal static class JsonToPSObject
{
    public static PSObject Convert(JsonObjectValue obj)
    {
        var result = new PSObject();
        foreach (KeyValuePair<string, object?> property in obj)
        {
            result.Properties.Add(new PSNoteProperty(property.Key, ConvertValue(property.Value)));
        }
        return result;
    }

    // Nesting is bounded by JsonValueParser.DefaultMaxDepth, so recursion is safe here.
    private static object? ConvertValue(object? value) => value switch
    {
        JsonObjectValue obj => Convert(obj),
        List<object?> list => ConvertList(list),
        _ => value,
    };

    private static object?[] ConvertList(List<object?> list)
    {
        var array = new object?[list.Count];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = ConvertValue(list[i]);
        }
        return array;
    }
}
