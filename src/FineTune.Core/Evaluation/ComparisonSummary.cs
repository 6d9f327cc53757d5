namespace FineTune;

/// <summary>
/// One model's totals over a comparison: mean scores, wins, ties and losses against the first
/// model, tokens and cost. The judge has a row too (Role <c>Judge</c>) for its tokens and cost.
/// </summary>
public sealed class ComparisonSummary
{
    /// <summary><c>Base</c> (the first model, which the others are measured against), <c>Candidate</c> or <c>Judge</c>.</summary>
    public string Role { get; internal set; } = string.Empty;

    public string Model { get; internal set; } = string.Empty;

    /// <summary>Examples sent to the model (for the judge: answers judged).</summary>
    public long Examples { get; internal set; }

    /// <summary>Examples whose call failed (for the judge: answers it could not judge).</summary>
    public long Failed { get; internal set; }

    /// <summary>Share of answers that equal the reference once white space and case are normalised (0 to 1).</summary>
    public double? ExactMatchRate { get; internal set; }

    /// <summary>Mean token-level F1 against the reference (0 to 1).</summary>
    public double? MeanF1Score { get; internal set; }

    /// <summary>Examples where this model did better than the first; null for the first model and the judge.</summary>
    public long? Wins { get; internal set; }

    public long? Ties { get; internal set; }

    public long? Losses { get; internal set; }

    /// <summary>What decided wins and losses: <c>Judge</c> (with -JudgeModel) or <c>F1Score</c>.</summary>
    public string? DecidedBy { get; internal set; }

    public double? MeanLatencyMs { get; internal set; }

    public long PromptTokens { get; internal set; }

    public long CompletionTokens { get; internal set; }

    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>The tokens at the catalog's inference prices; null when the catalog has no price for the model.</summary>
    public decimal? Cost { get; internal set; }

    public string? Currency { get; internal set; }

    public override string ToString() => Role + " " + Model;
}
