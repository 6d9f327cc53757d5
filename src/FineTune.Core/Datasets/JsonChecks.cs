using System;
using System.Text.Json;

namespace FineTune.Datasets;

/// <summary>Small shape checks shared by the format rules.</summary>
internal static class JsonChecks
{
    /// <summary>
    /// Reports keys not in <paramref name="allowed"/> and allowed keys that appear twice; returns
    /// a bit per allowed key that is present.
    /// </summary>
    public static int CheckKeys(JsonElement obj, string path, KeySet allowed, IssueSink sink, string what)
    {
        int present = 0;
        foreach (JsonProperty property in obj.EnumerateObject())
        {
            int index = allowed.IndexOf(property);
            if (index < 0)
            {
                UnknownKey(sink, what, property.Name, allowed, Child(path, property.Name));
                continue;
            }
            if ((present & (1 << index)) != 0)
            {
                DuplicateKey(sink, what, property.Name, Child(path, property.Name));
            }
            present |= 1 << index;
        }
        return present;
    }

    public static void UnknownKey(IssueSink sink, string what, string name, KeySet allowed, string keyPath) =>
        sink.Error(DatasetIssueCodes.UnknownKey,
            $"The {what} has the unknown key \"{name}\"; the service rejects it. Remove it or fix its spelling (allowed: {allowed}).", keyPath);

    public static void DuplicateKey(IssueSink sink, string what, string name, string keyPath) =>
        sink.Error(DatasetIssueCodes.DuplicateKey, $"The key \"{name}\" appears twice in the {what}; keep only one.", keyPath);

    /// <summary>True when <paramref name="name"/> exists and is not null.</summary>
    public static bool Present(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <inheritdoc cref="Present(JsonElement, string, out JsonElement)"/>
    public static bool Present(JsonElement obj, ReadOnlySpan<byte> utf8Name, out JsonElement value) =>
        obj.TryGetProperty(utf8Name, out value) && value.ValueKind != JsonValueKind.Null;

    public static string Child(string path, string name) => path + "." + name;

    public static string Item(string path, int index) => path + "[" + index + "]";

    public static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a Boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>Reports a wrong type and returns false unless <paramref name="value"/> is of <paramref name="expected"/>.</summary>
    public static bool Expect(JsonElement value, JsonValueKind expected, string path, string expectedText, IssueSink sink)
    {
        if (value.ValueKind == expected || (expected == JsonValueKind.True && value.ValueKind == JsonValueKind.False))
        {
            return true;
        }
        sink.Error(DatasetIssueCodes.WrongType, $"{path} is {KindName(value.ValueKind)}; it must be {expectedText}.", path);
        return false;
    }

    /// <summary>As <see cref="Expect(JsonElement, JsonValueKind, string, string, IssueSink)"/> for a field of an array item, whose path is built only for the issue.</summary>
    public static bool Expect(JsonElement value, JsonValueKind expected, ItemPath item, string field, string expectedText, IssueSink sink) =>
        value.ValueKind == expected || Expect(value, expected, item.Child(field), expectedText, sink);

    /// <summary>Whether <paramref name="name"/> matches ^[a-zA-Z0-9_-]{1,64}$.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64)
        {
            return false;
        }
        foreach (char c in name)
        {
            if (!IsNameCharacter(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A letter, digit, underscore or hyphen: what a message or function name is made of.</summary>
    public static bool IsNameCharacter(int c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '-';
}
