using System;
using System.Text.Json;

namespace FineTune.Service;

/// <summary>
/// What a successful answer must hold for its operation to have worked: a JSON object with the
/// fields the operation returns. A 2xx answer without them (<c>{}</c>, <c>null</c>, <c>[]</c>, a
/// list without <c>data</c>) is not a success but a FineTune.Service.InvalidResponse error.
/// </summary>
public sealed class ExpectedAnswer
{
    private readonly string[] _strings;
    private readonly string[] _arrays;
    private readonly string[] _booleans;

    private ExpectedAnswer(string what, string[]? strings = null, string[]? arrays = null, string[]? booleans = null)
    {
        What = what;
        _strings = strings ?? Array.Empty<string>();
        _arrays = arrays ?? Array.Empty<string>();
        _booleans = booleans ?? Array.Empty<string>();
    }

    public static ExpectedAnswer Job { get; } = new("fine-tuning job", strings: new[] { "id", "status" });

    public static ExpectedAnswer File { get; } = new("file", strings: new[] { "id" });

    public static ExpectedAnswer List { get; } = new("list", arrays: new[] { "data" });

    public static ExpectedAnswer Deletion { get; } = new("deletion status", booleans: new[] { "deleted" });

    public static ExpectedAnswer Upload { get; } = new("upload", strings: new[] { "id" });

    public static ExpectedAnswer UploadPart { get; } = new("upload part", strings: new[] { "id" });

    public static ExpectedAnswer ChatCompletion { get; } = new("chat completion", arrays: new[] { "choices" });

    /// <summary>Any JSON object.</summary>
    public static ExpectedAnswer AnyObject { get; } = new("JSON object");

    /// <summary>What the answer should be, as a noun: "fine-tuning job".</summary>
    public string What { get; }

    /// <summary>Null when <paramref name="answer"/> is what was expected, else what is wrong with it.</summary>
    internal string? Problem(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object)
        {
            return $"it is {Describe(answer.ValueKind)}, not an object";
        }
        foreach (string name in _strings)
        {
            if (!answer.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
            {
                return $"it has no '{name}'";
            }
        }
        foreach (string name in _arrays)
        {
            if (!answer.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Array)
            {
                return $"it has no '{name}' array";
            }
        }
        foreach (string name in _booleans)
        {
            if (!answer.TryGetProperty(name, out JsonElement value) || value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return $"it has no '{name}' true or false";
            }
        }
        return null;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "true or false",
    };
}
