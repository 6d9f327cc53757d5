namespace FineTune.Measurement;

/// <summary>The outcome for one line: its token counts, or why it could not be counted.</summary>
public sealed class LineMeasurement
{
    internal LineMeasurement(long line, ExampleTokenCount? example, FineTuneException? error)
    {
        Line = line;
        Example = example;
        Error = error;
    }

    public long Line { get; }

    /// <summary>The counts, or null when the line is not an example (see <c>Error</c>).</summary>
    public ExampleTokenCount? Example { get; }

    public FineTuneException? Error { get; }
}
