namespace FineTune;

/// <summary>One model's answer to one example of a comparison, its scores and what it cost.</summary>
public sealed class ModelAnswer
{
    internal ModelAnswer(string model)
    {
        Model = model;
    }

    public string Model { get; }

    /// <summary>The answer's text (or the model's refusal); null when the call failed.</summary>
    public string? Answer { get; internal set; }

    /// <summary>Whether the answer equals the reference once white space and case are normalised.</summary>
    public bool? ExactMatch { get; internal set; }

    /// <summary>Token-level F1 against the reference, from 0 to 1.</summary>
    public double? F1Score { get; internal set; }

    /// <summary>Milliseconds from sending the request to reading the answer, retries included.</summary>
    public long? LatencyMs { get; internal set; }

    public int? PromptTokens { get; internal set; }

    public int? CompletionTokens { get; internal set; }

    /// <summary><c>stop</c>, <c>length</c> (cut at -MaxCompletionTokens), <c>content_filter</c>...</summary>
    public string? FinishReason { get; internal set; }

    /// <summary>Why the call failed; null when it succeeded.</summary>
    public string? Error { get; internal set; }

    /// <summary>Against the first model, as the judge saw it: Win, Tie or Loss; null for the first model or without a judge.</summary>
    public string? Judge { get; internal set; }

    /// <summary>The judge's one-line reason.</summary>
    public string? JudgeReason { get; internal set; }

    /// <summary>Tokens the judge spent on this answer (both asks).</summary>
    internal long JudgePromptTokens { get; set; }

    internal long JudgeCompletionTokens { get; set; }

    internal int JudgeCalls { get; set; }

    internal int JudgeFailures { get; set; }

    public override string ToString() => Answer ?? Error ?? string.Empty;
}
