using System;
using System.Globalization;

namespace FineTune.Evaluation;

/// <summary>
/// Reads typed values from flat columns that may hold the values themselves or their text
/// (a CSV cell written in any culture): numbers are tried in the invariant culture, then the current one.
/// </summary>
internal static class ColumnReader
{
    public static string? Text(Func<string, object?> column, string name) => column(name) switch
    {
        null => null,
        string s when s.Length == 0 => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        object o => o.ToString(),
    };

    public static long? Long(Func<string, object?> column, string name)
    {
        object? value = column(name);
        switch (value)
        {
            case null:
                return null;
            case long l:
                return l;
            case int i:
                return i;
            case string s when s.Trim().Length == 0:
                return null;
            case string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed):
                return parsed;
            case IConvertible c when value is not string:
                return Convert.ToInt64(c, CultureInfo.InvariantCulture);
            default:
                throw Invalid(name, value);
        }
    }

    public static double? Double(Func<string, object?> column, string name)
    {
        object? value = column(name);
        switch (value)
        {
            case null:
                return null;
            case double d:
                return d;
            case string s when s.Trim().Length == 0:
                return null;
            case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed):
                return parsed;
            case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.CurrentCulture, out double local):
                return local;
            case IConvertible c when value is not string:
                return Convert.ToDouble(c, CultureInfo.InvariantCulture);
            default:
                throw Invalid(name, value);
        }
    }

    public static bool? Bool(Func<string, object?> column, string name)
    {
        object? value = column(name);
        return value switch
        {
            null => null,
            bool b => b,
            string s when s.Trim().Length == 0 => null,
            string s when bool.TryParse(s.Trim(), out bool parsed) => parsed,
            _ => throw Invalid(name, value),
        };
    }

    public static FineTuneException Invalid(string name, object? value) =>
        new("FineTune.Report.InvalidResult", FailureKind.InvalidData,
            $"The comparison result's column '{name}' holds '{value}', which is not a value of that column.", value,
            "Pipe the output of Compare-FineTuneModel, or a CSV file it was exported to, unchanged.");
}
