using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using FineTune.Service;

namespace FineTune.Service.Jobs;

/// <summary>
/// Readers the job objects need beyond <see cref="ServiceJson"/>: numbers that may come as
/// <c>"auto"</c>, as numeric strings or as <c>3.0</c>; timestamps where 0 means "not set";
/// string lists and maps. Anything unexpected reads as null or empty, never throws.
/// </summary>
internal static class JsonValues
{
    public static double? Double(JsonElement obj, string name)
    {
        if (obj.Property(name) is not { } value)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number))
        {
            return number;
        }
        return value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
            ? parsed
            : null;
    }

    public static long? Long(JsonElement obj, string name)
    {
        double? number = Double(obj, name);
        return number is { } n && n == Math.Floor(n) && n >= long.MinValue && n <= long.MaxValue ? (long)n : null;
    }

    public static int? Int(JsonElement obj, string name)
    {
        long? number = Long(obj, name);
        return number is { } n && n >= int.MinValue && n <= int.MaxValue ? (int)n : null;
    }

    /// <summary>Unix seconds as a time; zero and negative values mean "not set" (the spec's own example sends 0).</summary>
    public static DateTimeOffset? UnixTime(JsonElement obj, string name) =>
        Long(obj, name) is { } seconds && seconds > 0 && seconds < 253402300800L
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    public static IReadOnlyList<string> StringArray(JsonElement obj, string name)
    {
        var items = new List<string>();
        if (obj.Property(name) is { ValueKind: JsonValueKind.Array } array)
        {
            foreach (JsonElement item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { } text)
                {
                    items.Add(text);
                }
            }
        }
        return ValueList<string>.Of(items);
    }

    public static IReadOnlyDictionary<string, string> StringMap(JsonElement obj, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj.Property(name) is { ValueKind: JsonValueKind.Object } value)
        {
            foreach (JsonProperty pair in value.EnumerateObject())
            {
                map[pair.Name] = pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString() ?? string.Empty : pair.Value.GetRawText();
            }
        }
        return ValueMap<string>.Of(map);
    }
}
