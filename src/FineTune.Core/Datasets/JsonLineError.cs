namespace FineTune.Datasets;

/// <summary>Why a JSONL line could not be read: a stable code, the 1-based column and the parser's reason.</summary>
public sealed class JsonLineError
{
    public JsonLineError(string code, long column, string reason)
    {
        Code = code;
        Column = column;
        Reason = reason;
    }

    /// <summary><c>InvalidJson</c>, <c>NotAnObject</c>, <c>NestingTooDeep</c>, <c>DuplicateKey</c>, <c>InvalidUtf8</c> or <c>LineTooLong</c>.</summary>
    public string Code { get; }

    /// <summary>1-based character column where the problem starts.</summary>
    public long Column { get; }

    public string Reason { get; }

    public override string ToString() => $"column {Column}: {Reason}";
}
