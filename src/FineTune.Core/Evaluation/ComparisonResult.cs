using System;
using System.Collections.Generic;
using System.Globalization;

namespace FineTune;

/// <summary>
/// One example of a comparison: the question, the reference and every model's answer. The
/// per-model values are reached through <see cref="GetAnswers"/>, or flat through
/// <see cref="GetColumns"/> (<c>Model1</c>, <c>Answer1</c>, <c>F1Score1</c>, ... <c>Judge2</c>),
/// which is how Compare-FineTuneModel shows them, so that each value is one CSV cell.
/// </summary>
public sealed class ComparisonResult
{
    private readonly IReadOnlyList<ModelAnswer> _answers;
    private readonly IReadOnlyList<FineTuneException> _failures;

    internal ComparisonResult(long line, string location, string userMessage, string reference, string? judgeModel, IReadOnlyList<ModelAnswer> answers, IReadOnlyList<FineTuneException> failures)
    {
        JudgeModel = judgeModel;
        Line = line;
        Location = location;
        UserMessage = userMessage;
        Reference = reference;
        _answers = answers;
        _failures = failures;
    }

    /// <summary>The example's line in the test file (or its position in the pipeline).</summary>
    public long Line { get; }

    /// <summary>The text of the example's last user message.</summary>
    public string UserMessage { get; }

    /// <summary>The expected answer: the example's last assistant message.</summary>
    public string Reference { get; }

    /// <summary>The model that judged the answers; null without -JudgeModel.</summary>
    public string? JudgeModel { get; }

    internal string Location { get; }

    /// <summary>Each model's answer, in the order the models were given.</summary>
    public IReadOnlyList<ModelAnswer> GetAnswers() => _answers;

    /// <summary>The failed calls of this example (one per failed model or judge ask).</summary>
    public IReadOnlyList<FineTuneException> GetFailures() => _failures;

    /// <summary>The per-model values as flat, numbered columns, model 1 first.</summary>
    public IEnumerable<KeyValuePair<string, object?>> GetColumns()
    {
        for (int i = 0; i < _answers.Count; i++)
        {
            ModelAnswer answer = _answers[i];
            string n = (i + 1).ToString(CultureInfo.InvariantCulture);
            yield return Column("Model" + n, answer.Model);
            yield return Column("Answer" + n, answer.Answer);
            yield return Column("ExactMatch" + n, answer.ExactMatch);
            yield return Column("F1Score" + n, answer.F1Score);
            yield return Column("LatencyMs" + n, answer.LatencyMs);
            yield return Column("PromptTokens" + n, answer.PromptTokens);
            yield return Column("CompletionTokens" + n, answer.CompletionTokens);
            yield return Column("FinishReason" + n, answer.FinishReason);
            yield return Column("Error" + n, answer.Error);
            if (i > 0)
            {
                yield return Column("Judge" + n, answer.Judge);
                yield return Column("JudgeReason" + n, answer.JudgeReason);
            }
        }
    }

    public override string ToString() => "Line " + Line.ToString(CultureInfo.InvariantCulture);

    private static KeyValuePair<string, object?> Column(string name, object? value) => new(name, value);
}
