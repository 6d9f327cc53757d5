using System;
using System.Text.Json;

namespace FineTune.Service;

/// <summary>Tolerant readers for the service's JSON: a missing or null field is null, never a crash.</summary>
internal static class ServiceJson
{
    public static JsonElement? Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static string? GetStringOrNull(this JsonElement element, string name) => element.Property(name) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } value => value.GetRawText(),
        { ValueKind: JsonValueKind.Object or JsonValueKind.Array } value => value.GetRawText(),
        _ => null,
    };

    public static long? GetInt64OrNull(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out long number) ? number : null;

    public static double? GetDoubleOrNull(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetDouble(out double number) ? number : null;

    public static bool? GetBooleanOrNull(this JsonElement element, string name) => element.Property(name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    /// <summary>A Unix-seconds timestamp as a UTC DateTimeOffset.</summary>
    public static DateTimeOffset? GetUnixTimeOrNull(this JsonElement element, string name) =>
        element.GetInt64OrNull(name) is long seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>A required string field; its absence means the answer is not what the API describes.</summary>
    public static string GetRequiredString(this JsonElement element, string name, string what) =>
        element.GetStringOrNull(name) ?? throw new ServiceException(ServiceErrorIds.InvalidResponse, FailureKind.ProtocolError,
            $"The service's {what} has no '{name}' field.", what, "Check that the base URL points at an OpenAI-compatible API.");
}
