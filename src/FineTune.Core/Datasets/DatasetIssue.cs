namespace FineTune;

/// <summary>Whether a dataset problem makes the service reject the file (Error) or is advice (Warning).</summary>
public enum DatasetIssueSeverity
{
    Error,
    Warning,
}

/// <summary>
/// One problem found in a training file by <c>Test-FineTuneDataset</c>. The message and JSON
/// path quote the data (keys, roles, names), so their control characters are escaped here.
/// </summary>
public sealed class DatasetIssue
{
    public DatasetIssue(string? path, long? line, DatasetIssueSeverity severity, string code, string message, string? jsonPath)
    {
        Path = path;
        Line = line;
        Severity = severity;
        Code = code;
        Message = DisplayText.EscapeLine(message);
        JsonPath = jsonPath is null ? null : DisplayText.EscapeLine(jsonPath);
    }

    /// <summary>The file checked, or null for objects checked from the pipeline.</summary>
    public string? Path { get; }

    /// <summary>1-based line (or input object number); null only for whole-file issues.</summary>
    public long? Line { get; }

    public DatasetIssueSeverity Severity { get; }

    /// <summary>A stable code such as <c>MissingAssistant</c>; every code is listed in <c>DatasetIssueCodes</c>.</summary>
    public string Code { get; }

    /// <summary>What is wrong and how to fix it.</summary>
    public string Message { get; }

    /// <summary>Where in the line, such as <c>$.messages[2].weight</c>; null for line- or file-level issues.</summary>
    public string? JsonPath { get; }

    public override string ToString() =>
        $"{Path}{(Line is null ? string.Empty : ":" + Line)}: {Severity} {Code}: {Message}{(JsonPath is null ? string.Empty : " (" + JsonPath + ")")}";
}
