using System;
using System.Collections.Generic;
using System.Globalization;
using FineTune.Evaluation;

namespace FineTune;

/// <summary>
/// One example of a comparison: the question, the reference and every model's answer. The
/// per-model values are reached through <see cref="GetAnswers"/>, or flat through
/// <see cref="GetColumns"/> (<c>Model1</c>, <c>Answer1</c>, <c>F1Score1</c>, ... <c>Judge2</c>):
/// Compare-FineTuneModel writes those columns, so that each value is one CSV cell, and
/// <see cref="FromColumns"/> reads them back.
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

    /// <summary>
    /// The result as flat columns, in the order a table or CSV file shows them: Line,
    /// UserMessage, Reference, then for each model k (1 = the first) Modelk, Answerk,
    /// ExactMatchk, F1Scorek, LatencyMsk, PromptTokensk, CompletionTokensk, FinishReasonk,
    /// Errork and, for k of 2 or more, Judgek and JudgeReasonk; JudgeModel last.
    /// </summary>
    public IEnumerable<KeyValuePair<string, object?>> GetColumns()
    {
        yield return Column(nameof(Line), Line);
        yield return Column(nameof(UserMessage), UserMessage);
        yield return Column(nameof(Reference), Reference);
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
        yield return Column(nameof(JudgeModel), JudgeModel);
    }

    /// <summary>True when <paramref name="hasColumn"/> reports the columns that make a result (Line, Reference, Model1).</summary>
    public static bool LooksLikeColumns(Func<string, bool> hasColumn) =>
        hasColumn(nameof(Line)) && hasColumn(nameof(Reference)) && hasColumn("Model1") && hasColumn("Answer1");

    /// <summary>
    /// Rebuilds a result from its columns (<see cref="GetColumns"/>), as Compare-FineTuneModel
    /// wrote them or as Import-Csv reads them back (every value a string).
    /// </summary>
    /// <param name="column">The value of a column, or null when it is absent or empty.</param>
    public static ComparisonResult FromColumns(Func<string, object?> column)
    {
        if (column is null)
        {
            throw new ArgumentNullException(nameof(column));
        }
        long line = ColumnReader.Long(column, nameof(Line)) ?? throw ColumnReader.Invalid(nameof(Line), column(nameof(Line)));
        var answers = new List<ModelAnswer>();
        for (int k = 1; ColumnReader.Text(column, "Model" + k.ToString(CultureInfo.InvariantCulture)) is { } model; k++)
        {
            string n = k.ToString(CultureInfo.InvariantCulture);
            answers.Add(new ModelAnswer(model)
            {
                Answer = ColumnReader.Text(column, "Answer" + n),
                ExactMatch = ColumnReader.Bool(column, "ExactMatch" + n),
                F1Score = ColumnReader.Double(column, "F1Score" + n),
                LatencyMs = ColumnReader.Long(column, "LatencyMs" + n),
                PromptTokens = (int?)ColumnReader.Long(column, "PromptTokens" + n),
                CompletionTokens = (int?)ColumnReader.Long(column, "CompletionTokens" + n),
                FinishReason = ColumnReader.Text(column, "FinishReason" + n),
                Error = ColumnReader.Text(column, "Error" + n),
                Judge = k > 1 ? ColumnReader.Text(column, "Judge" + n) : null,
                JudgeReason = k > 1 ? ColumnReader.Text(column, "JudgeReason" + n) : null,
            });
        }
        string location = "line " + line.ToString(CultureInfo.InvariantCulture);
        return new ComparisonResult(line, location, ColumnReader.Text(column, nameof(UserMessage)) ?? string.Empty,
            ColumnReader.Text(column, nameof(Reference)) ?? string.Empty, ColumnReader.Text(column, nameof(JudgeModel)), answers, Array.Empty<FineTuneException>());
    }

    public override string ToString() => "Line " + Line.ToString(CultureInfo.InvariantCulture);

    private static KeyValuePair<string, object?> Column(string name, object? value) => new(name, value);
}
