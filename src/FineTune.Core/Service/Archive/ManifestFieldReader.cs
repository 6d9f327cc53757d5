using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace FineTune.Service.Archive;

/// <summary>Reads fields and names the manifest and the field in every complaint.</summary>
internal sealed class ManifestFieldReader
{
    public ManifestFieldReader(string manifestPath) => ManifestPath = manifestPath;

    public string ManifestPath { get; }

    public void RequireObject(JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw ArchiveManifestJson.Invalid(ManifestPath, at, $"is {Kind(value)}, not an object");
        }
    }

    public JsonElement RequiredObject(JsonElement parent, string at, string name)
    {
        JsonElement value = Required(parent, at, name);
        RequireObject(value, at + "." + name);
        return value;
    }

    public JsonElement RequiredArray(JsonElement parent, string at, string name)
    {
        JsonElement value = Required(parent, at, name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw ArchiveManifestJson.Invalid(ManifestPath, at + "." + name, $"is {Kind(value)}, not an array");
        }
        return value;
    }

    public string RequiredString(JsonElement parent, string at, string name)
    {
        JsonElement value = Required(parent, at, name);
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            throw ArchiveManifestJson.Invalid(ManifestPath, at + "." + name, $"is {Kind(value)}, not a non-empty string");
        }
        return text;
    }

    public string? OptionalString(JsonElement parent, string at, string name)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw ArchiveManifestJson.Invalid(ManifestPath, at + "." + name, $"is {Kind(value)}, not a string");
    }

    public string OneOf(JsonElement parent, string at, string name, IReadOnlyList<string> allowed)
    {
        string text = RequiredString(parent, at, name);
        return allowed.Contains(text, StringComparer.Ordinal)
            ? text
            : throw ArchiveManifestJson.Invalid(ManifestPath, at + "." + name, $"is '{text}'; expected one of {string.Join(", ", allowed)}");
    }

    public string RequiredRelativePath(JsonElement parent, string at, string name)
    {
        string text = RequiredString(parent, at, name);
        return ArchiveLayout.IsSafeRelative(text)
            ? text
            : throw ArchiveManifestJson.Invalid(ManifestPath, at + "." + name, $"'{text}' is not a relative path inside the archive (no '..', no drive or leading '/', '/' as separator)");
    }

    public long RequiredInteger(JsonElement parent, string at, string name, long minimum) =>
        OptionalInteger(parent, at, name, minimum, long.MaxValue) ?? throw ArchiveManifestJson.Invalid(ManifestPath, at + "." + name, "is missing");

    public long? OptionalInteger(JsonElement parent, string at, string name, long minimum, long maximum)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
        {
            throw ArchiveManifestJson.Invalid(ManifestPath, at + "." + name, $"is {Kind(value)}, not a whole number");
        }
        return number >= minimum && number <= maximum
            ? number
            : throw ArchiveManifestJson.Invalid(ManifestPath, at + "." + name, $"is {number}; expected {minimum} to {maximum}");
    }

    public DateTimeOffset RequiredTime(JsonElement parent, string at, string name) =>
        OptionalTime(parent, at, name) ?? throw ArchiveManifestJson.Invalid(ManifestPath, at + "." + name, "is missing");

    public DateTimeOffset? OptionalTime(JsonElement parent, string at, string name)
    {
        string? text = OptionalString(parent, at, name);
        if (text is null)
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time)
            ? time
            : throw ArchiveManifestJson.Invalid(ManifestPath, at + "." + name, $"'{text}' is not a date and time such as 2026-11-28T08:54:24Z");
    }

    private JsonElement Required(JsonElement parent, string at, string name) =>
        parent.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw ArchiveManifestJson.Invalid(ManifestPath, at + "." + name, "is missing");

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}
