namespace FineTune.Datasets;

/// <summary>How <see cref="ExampleConverter"/> turns rows into examples.</summary>
public sealed class ExampleConversionOptions
{
    public DatasetFormat Format { get; set; } = DatasetFormat.Chat;

    /// <summary>A system message put first in every chat or preference example (unless the row's system column has one).</summary>
    public string? SystemMessage { get; set; }

    /// <summary>The column holding the user's text; recognized from usual names when null.</summary>
    public string? UserProperty { get; set; }

    /// <summary>The column holding the assistant's answer (the preferred one for preference data).</summary>
    public string? AssistantProperty { get; set; }

    /// <summary>The column holding a per-row system message; a column named <c>system</c> is used when null.</summary>
    public string? SystemProperty { get; set; }

    /// <summary>Preference data only: the column holding the answer to avoid.</summary>
    public string? NonPreferredProperty { get; set; }
}
