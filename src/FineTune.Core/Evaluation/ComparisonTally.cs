using System;
using System.Collections.Generic;
using FineTune.Models;

namespace FineTune.Evaluation;

/// <summary>
/// Adds up comparison results as they pass, in constant memory, into one
/// <see cref="ComparisonSummary"/> per model (and one for the judge). Wins, ties and losses
/// against the first model come from the judge when there was one, else from the F1 scores.
/// </summary>
public sealed class ComparisonTally
{
    private readonly List<ModelTotals> _models = new();
    private readonly ModelTotals _judge = new();
    private string? _judgeModel;

    public long Examples { get; private set; }

    public void Add(ComparisonResult result)
    {
        if (result is null)
        {
            throw new ArgumentNullException(nameof(result));
        }
        Examples++;
        IReadOnlyList<ModelAnswer> answers = result.GetAnswers();
        for (int i = 0; i < answers.Count; i++)
        {
            if (_models.Count <= i)
            {
                _models.Add(new ModelTotals { Model = answers[i].Model });
            }
            _models[i].Add(answers[i], i == 0 ? null : answers[0]);
            if (answers[i].JudgeCalls > 0 || answers[i].JudgeFailures > 0)
            {
                _judge.AddJudged(answers[i]);
            }
        }
    }

    /// <summary>Tells the tally which model judged (its row is shown even when it judged nothing).</summary>
    public void SetJudge(string? judgeModel) => _judgeModel = judgeModel;

    /// <summary>One summary per model in order, then the judge's; costs at the catalog's inference prices where it has them.</summary>
    public IReadOnlyList<ComparisonSummary> Summaries(ModelCatalog? catalog, string? provider)
    {
        bool judged = _judgeModel is not null;
        var summaries = new List<ComparisonSummary>(_models.Count + 1);
        for (int i = 0; i < _models.Count; i++)
        {
            ModelTotals totals = _models[i];
            var summary = new ComparisonSummary
            {
                Role = i == 0 ? "Base" : "Candidate",
                Model = totals.Model,
                Examples = totals.Examples,
                Failed = totals.Failed,
                ExactMatchRate = totals.Answered > 0 ? (double)totals.ExactMatches / totals.Answered : null,
                MeanF1Score = totals.Answered > 0 ? totals.F1Sum / totals.Answered : null,
                MeanLatencyMs = totals.Answered > 0 ? (double)totals.LatencySum / totals.Answered : null,
                PromptTokens = totals.PromptTokens,
                CompletionTokens = totals.CompletionTokens,
            };
            if (i > 0)
            {
                summary.DecidedBy = judged ? "Judge" : "F1Score";
                summary.Wins = judged ? totals.JudgeWins : totals.F1Wins;
                summary.Ties = judged ? totals.JudgeTies : totals.F1Ties;
                summary.Losses = judged ? totals.JudgeLosses : totals.F1Losses;
            }
            Price(summary, catalog, provider);
            summaries.Add(summary);
        }
        if (_judgeModel is { } judge)
        {
            var summary = new ComparisonSummary
            {
                Role = "Judge",
                Model = judge,
                Examples = _judge.Examples,
                Failed = _judge.Failed,
                PromptTokens = _judge.PromptTokens,
                CompletionTokens = _judge.CompletionTokens,
            };
            Price(summary, catalog, provider);
            summaries.Add(summary);
        }
        return summaries;
    }

    private static void Price(ComparisonSummary summary, ModelCatalog? catalog, string? provider)
    {
        if (catalog?.Resolve(summary.Model, provider) is not { } entry)
        {
            return;
        }
        summary.Cost = entry.InferenceCost(summary.PromptTokens, summary.CompletionTokens, ModelCatalog.IsFineTunedName(summary.Model));
        summary.Currency = summary.Cost is null ? null : entry.Currency;
    }

    private sealed class ModelTotals
    {
        public string Model { get; set; } = string.Empty;
        public long Examples { get; private set; }
        public long Answered { get; private set; }
        public long Failed { get; private set; }
        public long ExactMatches { get; private set; }
        public double F1Sum { get; private set; }
        public long LatencySum { get; private set; }
        public long PromptTokens { get; private set; }
        public long CompletionTokens { get; private set; }
        public long JudgeWins { get; private set; }
        public long JudgeTies { get; private set; }
        public long JudgeLosses { get; private set; }
        public long F1Wins { get; private set; }
        public long F1Ties { get; private set; }
        public long F1Losses { get; private set; }

        public void Add(ModelAnswer answer, ModelAnswer? first)
        {
            Examples++;
            if (answer.Answer is null)
            {
                Failed++;
                return;
            }
            Answered++;
            ExactMatches += answer.ExactMatch == true ? 1 : 0;
            F1Sum += answer.F1Score ?? 0;
            LatencySum += answer.LatencyMs ?? 0;
            PromptTokens += answer.PromptTokens ?? 0;
            CompletionTokens += answer.CompletionTokens ?? 0;
            switch (answer.Judge)
            {
                case nameof(JudgeVerdict.Win): JudgeWins++; break;
                case nameof(JudgeVerdict.Tie): JudgeTies++; break;
                case nameof(JudgeVerdict.Loss): JudgeLosses++; break;
            }
            if (first?.F1Score is double baseline && answer.F1Score is double score)
            {
                if (Math.Abs(score - baseline) < 1e-9)
                {
                    F1Ties++;
                }
                else if (score > baseline)
                {
                    F1Wins++;
                }
                else
                {
                    F1Losses++;
                }
            }
        }

        public void AddJudged(ModelAnswer candidate)
        {
            Examples++;
            Failed += candidate.JudgeFailures > 0 ? 1 : 0;
            PromptTokens += candidate.JudgePromptTokens;
            CompletionTokens += candidate.JudgeCompletionTokens;
        }
    }
}
