using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service.Chat;

namespace FineTune.Evaluation;

/// <summary>
/// Sends every example to every model, at most <see cref="ComparisonOptions.ThrottleLimit"/>
/// calls at a time through one <see cref="ChatClient"/> (so the connection's retries and
/// rate-limit waits apply to each call), scores the answers, asks the judge, and hands each
/// example's result on in input order as soon as it and every example before it are done.
/// A bad line or a failed call is that example's failure; the rest goes on. Results waiting
/// for an earlier, slower example are bounded, so memory does not grow with the test set.
/// </summary>
public sealed class ModelComparer
{
    private readonly ChatClient _chat;
    private readonly ComparisonOptions _options;
    private readonly long[] _done;

    public ModelComparer(ChatClient chat, ComparisonOptions options)
    {
        _chat = chat ?? throw new ArgumentNullException(nameof(chat));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _done = new long[options.Models.Count + 1];
    }

    /// <summary>Called in input order with each compared example (failed calls included, see <see cref="ComparisonResult.GetFailures"/>).</summary>
    public Action<ComparisonResult>? Result { get; set; }

    /// <summary>Called in input order for each line that could not be compared at all.</summary>
    public Action<FineTuneException>? InvalidInput { get; set; }

    /// <summary>Called from worker threads after each answer and each judged answer.</summary>
    public Action<ComparisonProgress>? Progress { get; set; }

    /// <summary>How many examples may be started but not yet handed on (in flight or waiting for an earlier one).</summary>
    public int Window => Math.Max(_options.ThrottleLimit * 4, 8);

    /// <summary>Compares on every input; progress counts start from zero on each run.</summary>
    public async Task RunAsync(IAsyncEnumerable<EvaluationInput> inputs, CancellationToken cancellationToken)
    {
        Array.Clear(_done, 0, _done.Length);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var calls = new SemaphoreSlim(_options.ThrottleLimit);
        using var window = new SemaphoreSlim(Window);
        var output = new InOrder(this, window);
        var running = new List<Task>();
        long position = 0;
        try
        {
            await foreach (EvaluationInput input in inputs.WithCancellation(stopping.Token).ConfigureAwait(false))
            {
                await window.WaitAsync(stopping.Token).ConfigureAwait(false);
                long slot = position++;
                if (input.Example is not { } example)
                {
                    output.Complete(slot, input.Error!);
                    continue;
                }
                running.RemoveAll(t => t.IsCompleted && t.Status == TaskStatus.RanToCompletion);
                running.Add(CompareAsync(example, slot, calls, output, stopping));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && running.Any(t => t.IsFaulted))
        {
            // A comparison failed unexpectedly and cancelled the others; its exception is thrown below.
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task CompareAsync(EvaluationExample example, long slot, SemaphoreSlim calls, InOrder output, CancellationTokenSource stopping)
    {
        try
        {
            CancellationToken token = stopping.Token;
            var failures = new List<FineTuneException>();
            ModelAnswer[] answers = await Task.WhenAll(_options.Models.Select((model, i) => AnswerAsync(model, i, example, calls, failures, token))).ConfigureAwait(false);
            if (_options.JudgeModel is { } judge)
            {
                var judging = new List<Task>();
                for (int i = 1; i < answers.Length; i++)
                {
                    if (answers[0].Answer is not null && answers[i].Answer is not null)
                    {
                        judging.Add(JudgeAsync(judge, example, answers[0], answers[i], calls, failures, token));
                    }
                }
                await Task.WhenAll(judging).ConfigureAwait(false);
            }
            output.Complete(slot, new ComparisonResult(example.Line, example.Location, example.UserMessage, example.Reference, _options.JudgeModel, answers, failures));
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not FineTuneException)
        {
            stopping.Cancel();
            throw;
        }
    }

    private async Task<ModelAnswer> AnswerAsync(string model, int index, EvaluationExample example, SemaphoreSlim calls, List<FineTuneException> failures, CancellationToken token)
    {
        var answer = new ModelAnswer(model);
        try
        {
            (ChatReply reply, long elapsed) = await CallAsync(model, example.Prompt, _options.Temperature, calls, token).ConfigureAwait(false);
            string text = reply.Content ?? reply.Refusal ?? string.Empty;
            answer.Answer = text;
            answer.ExactMatch = AnswerScores.ExactMatch(text, example.Reference);
            answer.F1Score = AnswerScores.TokenF1(text, example.Reference);
            answer.LatencyMs = elapsed;
            answer.PromptTokens = reply.PromptTokens;
            answer.CompletionTokens = reply.CompletionTokens;
            answer.FinishReason = reply.FinishReason;
        }
        catch (FineTuneException ex)
        {
            answer.Error = ex.Message;
            Add(failures, Failed(example, model, ex));
        }
        Report(index, model, isJudge: false);
        return answer;
    }

    private async Task JudgeAsync(string judge, EvaluationExample example, ModelAnswer first, ModelAnswer candidate, SemaphoreSlim calls, List<FineTuneException> failures, CancellationToken token)
    {
        Task<(char, string)> inOrder = AskJudgeAsync(judge, example, first.Answer!, candidate.Answer!, candidate, calls, token);
        Task<(char, string)> swapped = AskJudgeAsync(judge, example, candidate.Answer!, first.Answer!, candidate, calls, token);
        try
        {
            await Task.WhenAll(inOrder, swapped).ConfigureAwait(false);
        }
        catch (FineTuneException)
        {
            // Each ask is looked at below; both failures are recorded.
        }
        token.ThrowIfCancellationRequested();
        var errors = new[] { inOrder, swapped }.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException).OfType<FineTuneException>().ToList();
        if (errors.Count > 0)
        {
            candidate.JudgeFailures = errors.Count;
            candidate.JudgeReason = "The judge could not decide: " + errors[0].Message;
            foreach (FineTuneException error in errors)
            {
                Add(failures, Failed(example, judge + " (judge of " + candidate.Model + ")", error));
            }
        }
        else
        {
            (char firstChoice, string firstReason) = inOrder.Result;
            (char swappedChoice, string swappedReason) = swapped.Result;
            JudgeVerdict verdict = JudgePrompt.Combine(firstChoice, swappedChoice);
            candidate.Judge = verdict.ToString();
            candidate.JudgeReason = JudgePrompt.Reason(verdict, firstChoice, firstReason, swappedChoice, swappedReason);
        }
        Report(_options.Models.Count, judge, isJudge: true);
    }

    private async Task<(char Choice, string Reason)> AskJudgeAsync(string judge, EvaluationExample example, string answerA, string answerB, ModelAnswer candidate, SemaphoreSlim calls, CancellationToken token)
    {
        IReadOnlyList<ChatTurn> messages = JudgePrompt.Messages(example.UserMessage, example.Reference, answerA, answerB);
        (ChatReply reply, _) = await CallAsync(judge, messages, 0.0, calls, token).ConfigureAwait(false);
        lock (candidate)
        {
            candidate.JudgeCalls++;
            candidate.JudgePromptTokens += reply.PromptTokens ?? 0;
            candidate.JudgeCompletionTokens += reply.CompletionTokens ?? 0;
        }
        if (!JudgePrompt.TryParse(reply.Content, out char choice, out string reason))
        {
            string said = System.Text.RegularExpressions.Regex.Replace((reply.Content ?? reply.Refusal ?? string.Empty).Trim(), @"\s+", " ");
            throw new FineTuneException("FineTune.Evaluation.JudgeUnreadable", FailureKind.InvalidData,
                $"The judge's answer does not start with A, B or TIE: '{(said.Length > 80 ? said.Substring(0, 77) + "..." : said)}'.", judge,
                "Use a judge model that follows instructions (a recent general model), not a fine-tuned one.");
        }
        return (choice, reason);
    }

    private async Task<(ChatReply Reply, long ElapsedMs)> CallAsync(string model, IReadOnlyList<ChatTurn> messages, double? temperature, SemaphoreSlim calls, CancellationToken token)
    {
        await calls.WaitAsync(token).ConfigureAwait(false);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            ChatReply reply = await _chat.CompleteAsync(model, messages, temperature, _options.MaxCompletionTokens, _options.Seed, token).ConfigureAwait(false);
            return (reply, stopwatch.ElapsedMilliseconds);
        }
        finally
        {
            calls.Release();
        }
    }

    private void Report(int index, string model, bool isJudge)
    {
        long done = Interlocked.Increment(ref _done[index]);
        Progress?.Invoke(new ComparisonProgress(index, model, isJudge, done));
    }

    private static void Add(List<FineTuneException> failures, FineTuneException failure)
    {
        lock (failures)
        {
            failures.Add(failure);
        }
    }

    private static FineTuneException Failed(EvaluationExample example, string model, FineTuneException cause) =>
        new(cause.ErrorId, cause.Kind, $"{example.Location}: {model}: {cause.Message}", example.Location, cause.RecommendedAction, cause);

    /// <summary>Hands results on in input order and frees their window slot.</summary>
    private sealed class InOrder
    {
        private readonly ModelComparer _owner;
        private readonly SemaphoreSlim _window;
        private readonly Dictionary<long, object> _ready = new();
        private long _next;

        public InOrder(ModelComparer owner, SemaphoreSlim window)
        {
            _owner = owner;
            _window = window;
        }

        /// <summary>Records a finished slot (a result or an input error) and hands on every slot now due.</summary>
        public void Complete(long slot, object item)
        {
            lock (_ready)
            {
                _ready[slot] = item;
                while (_ready.TryGetValue(_next, out object? due))
                {
                    _ready.Remove(_next);
                    _next++;
                    if (due is ComparisonResult result)
                    {
                        _owner.Result?.Invoke(result);
                    }
                    else
                    {
                        _owner.InvalidInput?.Invoke((FineTuneException)due);
                    }
                    _window.Release();
                }
            }
        }
    }
}
