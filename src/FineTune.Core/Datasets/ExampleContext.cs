using System;
using System.Collections.Generic;
using System.Text.Json;

namespace FineTune.Datasets;

/// <summary>One parsed example as an <see cref="IExampleRule"/> sees it.</summary>
public sealed class ExampleContext
{
    private readonly List<DatasetIssue> _issues;
    private FineTuneExample? _example;
    private bool _exampleRead;

    internal ExampleContext(string? path, long line, DatasetFormat format, ReadOnlyMemory<byte> json, JsonElement root, bool hasErrors, List<DatasetIssue> issues)
    {
        Path = path;
        Line = line;
        Format = format;
        Json = json;
        Root = root;
        HasErrors = hasErrors;
        _issues = issues;
    }

    public string? Path { get; }

    public long Line { get; }

    public DatasetFormat Format { get; }

    /// <summary>The example's line as UTF-8 JSON; valid only during <see cref="IExampleRule.Check"/>.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>The example's JSON; valid only during <see cref="IExampleRule.Check"/>.</summary>
    public JsonElement Root { get; }

    /// <summary>Whether the built-in rules already found errors in this example.</summary>
    public bool HasErrors { get; }

    /// <summary>The typed example, or null when its shape cannot be read (the built-in rules report why).</summary>
    public FineTuneExample? Example
    {
        get
        {
            if (!_exampleRead)
            {
                _exampleRead = true;
                try
                {
                    _example = Format switch
                    {
                        DatasetFormat.PromptCompletion => ExampleReader.ReadPromptCompletion(Root),
                        DatasetFormat.Preference => ExampleReader.ReadPreference(Root),
                        _ => ExampleReader.ReadChat(Root),
                    };
                }
                catch (FineTuneException)
                {
                    _example = null;
                }
            }
            return _example;
        }
    }

    public void Report(DatasetIssueSeverity severity, string code, string message, string? jsonPath = null) =>
        _issues.Add(new DatasetIssue(Path, Line, severity, code, message, jsonPath));
}
