using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using FineTune.Datasets;

namespace FineTune.PowerShell;

/// <summary>
/// Tells what one object piped to a dataset cmdlet is: a path (string, with wildcards), a file
/// (FileInfo, or a provider item's PSPath), an example (a typed example, an object with the keys
/// of a training example such as Import-Jsonl writes, or a line of JSON text), a measurement, or
/// something the cmdlets cannot use. The cmdlets then process it or say why not (FineTuneCmdlet).
/// </summary>
internal static class PipelineInputClassifier
{
    /// <summary>The top-level keys of the service's example formats (chat, prompt-completion, preference).</summary>
    private static readonly string[] ExampleKeys = { "messages", "prompt", "completion", "input", "preferred_output", "non_preferred_output" };

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ClassifiedInput Classify(PSObject input)
    {
        object value = PSObjectPropertyReader.Instance.Unwrap(input) ?? input;
        switch (value)
        {
            case string text when text.TrimStart().StartsWith("{", StringComparison.Ordinal):
                return Json(() => StrictUtf8.GetBytes(text.Trim()));
            case string text when text.Trim().Length == 0:
                return new ClassifiedInput(InputShape.Example, json: Array.Empty<byte>());
            case string text:
                return new ClassifiedInput(InputShape.PathPattern, path: text);
            case FileSystemInfo item:
                return new ClassifiedInput(InputShape.LiteralPath, path: item.FullName);
            case FineTuneExample example:
                return Json(() => Encoding.UTF8.GetBytes(example.ToJson()));
            case DatasetMeasurement measurement:
                return new ClassifiedInput(InputShape.Measurement, measurement: measurement, detail: "a " + typeof(DatasetMeasurement).FullName);
        }
        if (Keys(value) is { } keys)
        {
            return keys.Any(key => ExampleKeys.Contains(key, StringComparer.Ordinal))
                ? Json(() => Encoding.UTF8.GetBytes(new JsonGraphWriter(PSObjectPropertyReader.Instance).ToJson(value)))
                : new ClassifiedInput(InputShape.NotAnExample, detail: keys.Count == 0 ? "no properties" : "the properties " + string.Join(", ", keys));
        }
        if (input.Properties["PSPath"]?.Value is string providerPath)
        {
            string provider = (input.Properties["PSProvider"]?.Value as ProviderInfo)?.Name ?? "FileSystem";
            return provider == "FileSystem"
                ? new ClassifiedInput(InputShape.LiteralPath, path: providerPath)
                : new ClassifiedInput(InputShape.Unsupported, detail: $"an item of the {provider} provider");
        }
        return new ClassifiedInput(InputShape.Unsupported, detail: "a " + value.GetType().FullName);
    }

    /// <summary>The names of a property bag (a custom object or a dictionary), or null for other objects.</summary>
    private static List<string>? Keys(object value)
    {
        if (value is IDictionary dictionary)
        {
            return dictionary.Keys.Cast<object?>().Select(key => key?.ToString() ?? string.Empty).ToList();
        }
        return PSObjectPropertyReader.Instance.TryGetProperties(value, out IEnumerable<KeyValuePair<string, object?>> properties)
            ? properties.Select(property => property.Key).ToList()
            : null;
    }

    private static ClassifiedInput Json(Func<byte[]> serialize)
    {
        try
        {
            return new ClassifiedInput(InputShape.Example, json: serialize());
        }
        catch (EncoderFallbackException)
        {
            return new ClassifiedInput(InputShape.Unsupported, detail: "text with invalid Unicode (a lone surrogate)");
        }
        catch (FineTuneException ex)
        {
            return new ClassifiedInput(InputShape.Unwritable, failure: ex);
        }
    }
}

internal enum InputShape
{
    PathPattern,
    LiteralPath,
    Example,
    Measurement,
    NotAnExample,
    Unwritable,
    Unsupported,
}

internal readonly struct ClassifiedInput
{
    public ClassifiedInput(InputShape shape, string? path = null, byte[]? json = null, DatasetMeasurement? measurement = null,
        string? detail = null, FineTuneException? failure = null)
    {
        Shape = shape;
        Path = path;
        Json = json;
        Measurement = measurement;
        Detail = detail;
        Failure = failure;
    }

    public InputShape Shape { get; }

    public string? Path { get; }

    public byte[]? Json { get; }

    public DatasetMeasurement? Measurement { get; }

    /// <summary>For NotAnExample and Unsupported: what the object is, in words.</summary>
    public string? Detail { get; }

    /// <summary>For Unwritable: why the object cannot be written as JSON (a cycle, NaN).</summary>
    public FineTuneException? Failure { get; }
}
