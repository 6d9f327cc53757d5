namespace FineTune.Datasets;

/// <summary>Which columns of a row became which part of an example.</summary>
public sealed class ColumnMapping
{
    public ColumnMapping(string? user, string? assistant, string? system, string? nonPreferred)
    {
        User = user;
        Assistant = assistant;
        System = system;
        NonPreferred = nonPreferred;
    }

    public string? User { get; }
    public string? Assistant { get; }
    public string? System { get; }
    public string? NonPreferred { get; }

    public bool SameAs(ColumnMapping? other) =>
        other is not null && other.User == User && other.Assistant == Assistant && other.System == System && other.NonPreferred == NonPreferred;

    public override string ToString()
    {
        string text = $"user text from '{User}', assistant text from '{Assistant}'";
        if (NonPreferred is not null)
        {
            text += $", non-preferred answer from '{NonPreferred}'";
        }
        if (System is not null)
        {
            text += $", system message from '{System}'";
        }
        return DisplayText.EscapeLine(text);
    }
}
