using System.Collections.Generic;

namespace FineTune.Datasets;

/// <summary>Collects the issues of one line, stamped with its file and line number.</summary>
internal sealed class IssueSink
{
    public IssueSink(string? path, long line)
    {
        Path = path;
        Line = line;
    }

    public string? Path { get; }
    public long Line { get; }
    public List<DatasetIssue> Issues { get; } = new();
    public int ErrorCount { get; private set; }

    public void Error(string code, string message, string? jsonPath = null)
    {
        ErrorCount++;
        Issues.Add(new DatasetIssue(Path, Line, DatasetIssueSeverity.Error, code, message, jsonPath));
    }

    public void Warning(string code, string message, string? jsonPath = null) =>
        Issues.Add(new DatasetIssue(Path, Line, DatasetIssueSeverity.Warning, code, message, jsonPath));
}
