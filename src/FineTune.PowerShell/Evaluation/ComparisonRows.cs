using System.Collections.Generic;
using System.Management.Automation;

namespace FineTune.PowerShell.Evaluation;

/// <summary>
/// A comparison result as PowerShell sees it: a custom object of type name
/// FineTune.ComparisonResult whose properties are the result's flat columns in order (Line
/// first), so Export-Csv writes each value in its own cell; and back again, also from the
/// rows Import-Csv reads.
/// </summary>
internal static class ComparisonRows
{
    public const string TypeName = "FineTune.ComparisonResult";

    public static PSObject ToPSObject(ComparisonResult result)
    {
        var row = new PSObject();
        row.TypeNames.Insert(0, TypeName);
        foreach (KeyValuePair<string, object?> column in result.GetColumns())
        {
            row.Properties.Add(new PSNoteProperty(column.Key, column.Value));
        }
        return row;
    }

    /// <summary>False when the object is not shaped like a result; true with the result, or with why its columns are invalid.</summary>
    public static bool TryRead(PSObject row, out ComparisonResult? result, out FineTuneException? invalid)
    {
        result = null;
        invalid = null;
        if (!ComparisonResult.LooksLikeColumns(name => row.Properties[name] is not null))
        {
            return false;
        }
        try
        {
            result = ComparisonResult.FromColumns(name => row.Properties[name]?.Value is { } value ? (value is PSObject wrapped ? wrapped.BaseObject : value) : null);
        }
        catch (FineTuneException ex)
        {
            invalid = ex;
        }
        return true;
    }
}
