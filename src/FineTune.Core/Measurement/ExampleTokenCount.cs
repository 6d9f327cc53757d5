using FineTune.Measurement;

namespace FineTune;

/// <summary>The token counts of one training example (one JSONL line).</summary>
public sealed class ExampleTokenCount
{
    internal ExampleTokenCount(string? path, long line, ExampleFormat format, int tokens, int assistantTokens, int untrainedAssistantTokens,
        int estimatedTokens, int messages, bool hasSystem, bool hasUser, bool overLimit)
    {
        Path = path;
        Line = line;
        Format = format;
        Tokens = tokens;
        AssistantTokens = assistantTokens;
        UntrainedAssistantTokens = untrainedAssistantTokens;
        EstimatedTokens = estimatedTokens;
        Messages = messages;
        HasSystem = hasSystem;
        HasUser = hasUser;
        OverLimit = overLimit;
    }

    /// <summary>The file the example is in; null for an example from the pipeline.</summary>
    public string? Path { get; }

    /// <summary>1-based line number in the file, or the example's position in the pipeline.</summary>
    public long Line { get; }

    public ExampleFormat Format { get; }

    /// <summary>All tokens of the example, counted as the OpenAI cookbook does.</summary>
    public int Tokens { get; }

    /// <summary>Tokens of assistant messages that are trained on (weight 1, the default).</summary>
    public int AssistantTokens { get; }

    /// <summary>Tokens of assistant messages with weight 0 (part of the context, not trained on).</summary>
    public int UntrainedAssistantTokens { get; }

    /// <summary>The part of <c>Tokens</c> that is an estimate (tool definitions and tool calls).</summary>
    public int EstimatedTokens { get; }

    /// <summary>Number of messages (prompt and completion count as two).</summary>
    public int Messages { get; }

    public bool HasSystem { get; }

    public bool HasUser { get; }

    /// <summary>True when <c>Tokens</c> exceeds the token limit: the service truncates the example.</summary>
    public bool OverLimit { get; }
}
