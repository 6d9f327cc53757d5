namespace FineTune;

/// <summary>Token statistics of one training file, counted exactly with the model's encoding.</summary>
public sealed class DatasetMeasurement
{
    internal DatasetMeasurement(string? path, string? model, string encoding, int? tokenLimit, long exampleCount, long skippedLineCount,
        long missingSystemCount, long missingUserCount, long overLimitCount, long totalTokens, long billableTokens,
        long assistantTokens, long untrainedAssistantTokens, long estimatedTokens,
        TokenDistribution messagesPerExample, TokenDistribution tokensPerExample, TokenDistribution assistantTokensPerExample)
    {
        Path = path;
        Model = model;
        Encoding = encoding;
        TokenLimit = tokenLimit;
        ExampleCount = exampleCount;
        SkippedLineCount = skippedLineCount;
        MissingSystemCount = missingSystemCount;
        MissingUserCount = missingUserCount;
        OverLimitCount = overLimitCount;
        TotalTokens = totalTokens;
        BillableTokens = billableTokens;
        AssistantTokens = assistantTokens;
        UntrainedAssistantTokens = untrainedAssistantTokens;
        EstimatedTokens = estimatedTokens;
        MessagesPerExample = messagesPerExample;
        TokensPerExample = tokensPerExample;
        AssistantTokensPerExample = assistantTokensPerExample;
    }

    /// <summary>The file measured; null for examples measured from the pipeline.</summary>
    public string? Path { get; }

    /// <summary>The catalog model whose encoding and limit were used, or null when given directly.</summary>
    public string? Model { get; }

    public string Encoding { get; }

    /// <summary>Most tokens per example before the service truncates, or null when unknown.</summary>
    public int? TokenLimit { get; }

    public long ExampleCount { get; }

    /// <summary>Lines that could not be read as an example (each reported as an error).</summary>
    public long SkippedLineCount { get; }

    /// <summary>Chat examples without a system message.</summary>
    public long MissingSystemCount { get; }

    /// <summary>Chat examples without a user message.</summary>
    public long MissingUserCount { get; }

    /// <summary>Examples longer than the token limit; the service truncates them.</summary>
    public long OverLimitCount { get; }

    public long TotalTokens { get; }

    /// <summary>Sum over examples of min(tokens, limit): the tokens one epoch is billed for.</summary>
    public long BillableTokens { get; }

    /// <summary>Tokens of trained assistant messages (weight 1).</summary>
    public long AssistantTokens { get; }

    /// <summary>Tokens of assistant messages with weight 0.</summary>
    public long UntrainedAssistantTokens { get; }

    /// <summary>The part of the totals that is an estimate (tool definitions and tool calls).</summary>
    public long EstimatedTokens { get; }

    public TokenDistribution MessagesPerExample { get; }

    public TokenDistribution TokensPerExample { get; }

    /// <summary>Trained assistant tokens per example.</summary>
    public TokenDistribution AssistantTokensPerExample { get; }
}
