using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Evaluation;
using FineTune.Models;
using FineTune.Service;
using FineTune.Tests.Service.Fakes;
using Xunit;
using static FineTune.Tests.Evaluation.EvaluationFixture;

namespace FineTune.Tests.Evaluation;

public sealed class ModelComparerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static ComparisonOptions Options(int throttle = 4, string? judge = null) =>
        new() { Models = new[] { Base, Tuned }, ThrottleLimit = throttle, JudgeModel = judge };

    [Fact]
    public async Task Scores_every_example_of_both_models_in_file_order()
    {
        await using EvaluationFixture f = await StartAsync();
        string path = f.TestSet(24);

        EvaluationFixture.Run run = await f.CompareAsync(path, Options());

        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), run.Results.Select(r => r.Line));
        ComparisonResult first = run.Results[0];
        Assert.Equal("Question 1: my VPN drops every 1 minutes.", first.UserMessage);
        Assert.Equal("Reinstall the VPN client 1. Then restart.", first.Reference);
        ModelAnswer baseAnswer = first.GetAnswers()[0];
        ModelAnswer tuned = first.GetAnswers()[1];
        Assert.Equal(Base, baseAnswer.Model);
        Assert.Equal("Please contact the IT help desk about: Question 1: my VPN drops every 1 minutes.", baseAnswer.Answer);
        Assert.False(baseAnswer.ExactMatch);
        Assert.Equal(AnswerScores.TokenF1(baseAnswer.Answer!, first.Reference), baseAnswer.F1Score);
        Assert.Equal("stop", baseAnswer.FinishReason);
        Assert.True(baseAnswer.PromptTokens > 0 && baseAnswer.CompletionTokens > 0 && baseAnswer.LatencyMs >= 0);
        // The tuned fake gives the learnt answer for three questions in four and the first sentence otherwise.
        Assert.All(run.Results, r => Assert.True(r.GetAnswers()[1].F1Score > r.GetAnswers()[0].F1Score));
        Assert.Contains(run.Results, r => r.GetAnswers()[1].ExactMatch == true);
        Assert.Contains(run.Results, r => r.GetAnswers()[1].ExactMatch == false);
        Assert.Equal(48, f.Chat.Bodies.Count);
        Assert.Empty(run.Errors);
    }

    [Fact]
    public async Task A_slow_first_example_holds_back_the_later_ones_and_nothing_is_reordered()
    {
        await using EvaluationFixture f = await StartAsync();
        string path = f.TestSet(12);
        f.Chat.Hold((model, question) => question.StartsWith("Question 1:", StringComparison.Ordinal));
        ModelComparer comparer = f.Comparer(Options(throttle: 4));
        var order = new List<long>();
        var eleventhStarted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        comparer.Result = r => { lock (order) { order.Add(r.Line); } };
        comparer.Progress = p => { if (p.Index == 1 && p.Done >= 9) { eleventhStarted.TrySetResult(true); } };

        Task running = comparer.RunAsync(Async(TestSetReader.Read(path, CancellationToken.None)), CancellationToken.None);
        await eleventhStarted.Task.WaitAsync(Patience);
        lock (order)
        {
            Assert.Empty(order); // examples 2.. are done, but example 1 is not: nothing may be handed on yet
        }
        f.Chat.Release();
        await running.WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), order);
    }

    [Fact]
    public async Task Never_has_more_calls_in_flight_than_the_throttle_limit()
    {
        await using EvaluationFixture f = await StartAsync();
        string path = f.TestSet(15);
        f.Chat.HoldEach = true;
        Task<EvaluationFixture.Run> running = f.CompareAsync(path, Options(throttle: 3));

        // Each time the comparer has filled its three slots with held calls, let one through.
        const int Calls = 15 * 2;
        for (int released = 0; released < Calls; released++)
        {
            int expected = Math.Min(3, Calls - released);
            while (f.Chat.HeldCount < expected)
            {
                Assert.True(await f.Chat.Arrivals.WaitAsync(Patience), $"the comparer stopped sending after {released} answers");
            }
            Assert.Equal(expected, f.Chat.HeldCount);
            f.Chat.ReleaseOne();
        }
        EvaluationFixture.Run run = await running.WaitAsync(Patience);

        Assert.Equal(3, f.Chat.MaxInFlight);
        Assert.Equal(15, run.Results.Count);
        Assert.Equal(Calls, f.Chat.Bodies.Count);
    }

    [Fact]
    public async Task A_failed_call_is_that_examples_error_and_the_rest_goes_on()
    {
        await using EvaluationFixture f = await StartAsync();
        string path = f.TestSet(6);
        f.Chat.Failures[(Tuned, "Question 3: my VPN drops every 3 minutes.")] = 400;

        EvaluationFixture.Run run = await f.CompareAsync(path, Options());

        Assert.Equal(6, run.Results.Count);
        ComparisonResult third = run.Results[2];
        ModelAnswer failed = third.GetAnswers()[1];
        Assert.Null(failed.Answer);
        Assert.Null(failed.F1Score);
        Assert.Contains("Scripted failure", failed.Error);
        Assert.NotNull(third.GetAnswers()[0].Answer);
        FineTuneException error = Assert.Single(third.GetFailures());
        Assert.Equal("FineTune.Service.BadRequest", error.ErrorId);
        Assert.StartsWith(path + ":3: " + Tuned + ": ", error.Message);
        Assert.Equal(path + ":3", error.Target);
        Assert.All(run.Results.Where(r => r.Line != 3), r => Assert.Empty(r.GetFailures()));
    }

    [Fact]
    public async Task Rate_limited_calls_are_retried_through_the_connection()
    {
        await using EvaluationFixture f = await StartAsync();
        string path = f.TestSet(4);
        f.Server.AddFault(Fault.Status(429, new Dictionary<string, string> { ["retry-after-ms"] = "1500" }, "Rate limit reached", "rate_limit_exceeded")
            .For("POST", "/chat/completions").Repeat(2));

        EvaluationFixture.Run run = await f.CompareAsync(path, Options());

        Assert.All(run.Results, r => Assert.All(r.GetAnswers(), a => Assert.NotNull(a.Answer)));
        Assert.Equal(new[] { TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(1500) }, f.Server.RetryDelays);
        Assert.Empty(run.Errors);
    }

    [Fact]
    public async Task Bad_lines_are_errors_in_their_place_and_the_good_lines_are_compared()
    {
        await using EvaluationFixture f = await StartAsync();
        f.Chat.Memory["q2"] = "a2";
        string path = f.Write("mixed.jsonl", new[]
        {
            "{\"messages\": [",
            Line("q2", "a2"),
            "{\"prompt\": \"p\", \"completion\": \"c\"}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"no answer\"}]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"1\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}]}]}",
            Line("q6", "a6"),
        });

        EvaluationFixture.Run run = await f.CompareAsync(path, Options());

        Assert.Collection(run.Items,
            item => Assert.Equal("FineTune.Evaluation.InvalidJson", Assert.IsType<FineTuneException>(item).ErrorId),
            item => Assert.Equal(2, Assert.IsType<ComparisonResult>(item).Line),
            item => Assert.Equal("FineTune.Evaluation.NotChat", Assert.IsType<FineTuneException>(item).ErrorId),
            item => Assert.Equal("FineTune.Evaluation.NoReference", Assert.IsType<FineTuneException>(item).ErrorId),
            item => Assert.Equal("FineTune.Evaluation.NoReference", Assert.IsType<FineTuneException>(item).ErrorId),
            item => Assert.Equal(6, Assert.IsType<ComparisonResult>(item).Line));
        Assert.StartsWith(path + ":1:", run.Errors[0].Message);
        Assert.StartsWith(path + ":4: ", run.Errors[2].Message);
    }

    [Fact]
    public async Task The_judge_is_asked_twice_with_the_answers_swapped()
    {
        await using EvaluationFixture f = await StartAsync();
        string path = f.TestSet(4);

        EvaluationFixture.Run run = await f.CompareAsync(path, Options(judge: "judge-4.1"));

        Assert.All(run.Results, r => Assert.Equal(r.GetAnswers()[1].ExactMatch == true ? "Win" : "Tie", r.GetAnswers()[1].Judge));
        Assert.All(run.Results, r => Assert.Equal("judge-4.1", r.JudgeModel));
        Assert.Equal("it gives the reference answer.", run.Results.First(r => r.GetAnswers()[1].Judge == "Win").GetAnswers()[1].JudgeReason);
        Assert.Null(run.Results[0].GetAnswers()[0].Judge);
        var asks = f.Chat.Bodies.Where(b => (string?)b["model"] == "judge-4.1")
            .Select(b => JsonNode.Parse((string)b["messages"]![1]!["content"]!)!.AsObject())
            .Where(a => (string?)a["question"] == "Question 1: my VPN drops every 1 minutes.").ToList();
        Assert.Equal(2, asks.Count);
        string baseAnswer = run.Results[0].GetAnswers()[0].Answer!;
        string tunedAnswer = run.Results[0].GetAnswers()[1].Answer!;
        Assert.Contains(asks, a => (string?)a["answer_a"] == baseAnswer && (string?)a["answer_b"] == tunedAnswer);
        Assert.Contains(asks, a => (string?)a["answer_a"] == tunedAnswer && (string?)a["answer_b"] == baseAnswer);
        Assert.All(f.Chat.Bodies.Where(b => (string?)b["model"] == "judge-4.1"), b => Assert.Equal(0.0, (double)b["temperature"]!));
    }

    [Fact]
    public async Task A_judge_that_always_picks_the_first_answer_gives_ties()
    {
        await using EvaluationFixture f = await StartAsync();
        string path = f.TestSet(3);

        EvaluationFixture.Run run = await f.CompareAsync(path, Options(judge: "biased-judge"));

        Assert.All(run.Results, r => Assert.Equal("Tie", r.GetAnswers()[1].Judge));
        Assert.All(run.Results, r => Assert.StartsWith("The judge preferred whichever answer came first", r.GetAnswers()[1].JudgeReason));
    }

    [Fact]
    public async Task Sends_temperature_max_tokens_and_seed_with_every_answer()
    {
        await using EvaluationFixture f = await StartAsync();
        string path = f.TestSet(2);
        ComparisonOptions options = Options();
        options.Temperature = 0.3;
        options.MaxCompletionTokens = 77;
        options.Seed = 42;

        await f.CompareAsync(path, options);

        Assert.All(f.Chat.Bodies, b =>
        {
            Assert.Equal(0.3, (double)b["temperature"]!);
            Assert.Equal(77, (int)b["max_completion_tokens"]!);
            Assert.Equal(42, (long)b["seed"]!);
        });
    }

    [Fact]
    public async Task Cancelling_stops_at_once_while_calls_are_in_flight()
    {
        await using EvaluationFixture f = await StartAsync();
        string path = f.TestSet(10);
        f.Chat.Hold((model, question) => true);
        using var cancel = new CancellationTokenSource();
        Task<EvaluationFixture.Run> running = f.CompareAsync(path, Options(throttle: 4), cancel.Token);
        while (f.Chat.InFlight < 4)
        {
            Assert.True(await f.Chat.Arrivals.WaitAsync(Patience));
        }

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Patience));
        f.Chat.Release();
    }

    [Fact]
    public async Task The_summary_counts_wins_tokens_and_prices_at_the_catalog()
    {
        await using EvaluationFixture f = await StartAsync();
        string path = f.TestSet(8);
        EvaluationFixture.Run run = await f.CompareAsync(path, Options(judge: "judge-4.1"));
        var tally = new ComparisonTally();
        tally.SetJudge("judge-4.1");
        run.Results.ForEach(tally.Add);

        IReadOnlyList<ComparisonSummary> summaries = tally.Summaries(ModelCatalog.Embedded, null);

        Assert.Equal(new[] { "Base", "Candidate", "Judge" }, summaries.Select(s => s.Role));
        ComparisonSummary baseSummary = summaries[0];
        ComparisonSummary tuned = summaries[1];
        Assert.Equal(8, tuned.Examples);
        long exact = run.Results.Count(r => r.GetAnswers()[1].ExactMatch == true); // the fake judge's win: the answer holds the reference
        Assert.InRange(exact, 1, 7);
        Assert.Equal(exact, tuned.Wins);
        Assert.Equal(8 - exact, tuned.Ties);
        Assert.Equal(0, tuned.Losses);
        Assert.Equal("Judge", tuned.DecidedBy);
        Assert.Null(baseSummary.Wins);
        Assert.Equal(0.0, baseSummary.ExactMatchRate);
        Assert.Equal(run.Results.Average(r => r.GetAnswers()[1].F1Score!.Value), tuned.MeanF1Score!.Value, 12);
        long prompt = run.Results.Sum(r => (long)r.GetAnswers()[1].PromptTokens!);
        long completion = run.Results.Sum(r => (long)r.GetAnswers()[1].CompletionTokens!);
        Assert.Equal(prompt, tuned.PromptTokens);
        Assert.Equal((prompt * 0.30m + completion * 1.20m) / 1_000_000m, tuned.Cost); // fine-tuned gpt-4o-mini prices
        long basePrompt = run.Results.Sum(r => (long)r.GetAnswers()[0].PromptTokens!);
        long baseCompletion = run.Results.Sum(r => (long)r.GetAnswers()[0].CompletionTokens!);
        Assert.Equal((basePrompt * 0.15m + baseCompletion * 0.60m) / 1_000_000m, baseSummary.Cost); // base gpt-4o-mini prices
        Assert.Equal("USD", tuned.Currency);
        Assert.Equal(8, summaries[2].Examples);
        Assert.True(summaries[2].TotalTokens > 0);
        Assert.Null(summaries[2].Cost); // judge-4.1 is not in the catalog
    }

    [Fact]
    public async Task Without_a_judge_wins_come_from_the_F1_scores()
    {
        await using EvaluationFixture f = await StartAsync();
        string path = f.TestSet(5);
        EvaluationFixture.Run run = await f.CompareAsync(path, Options());
        var tally = new ComparisonTally();
        run.Results.ForEach(tally.Add);

        ComparisonSummary tuned = tally.Summaries(null, null)[1];

        Assert.Equal("F1Score", tuned.DecidedBy);
        Assert.Equal(5, tuned.Wins);
        Assert.Null(tuned.Cost);
        Assert.Equal(2, tally.Summaries(null, null).Count);
    }

    [Fact]
    public void Options_are_checked_before_anything_is_sent()
    {
        var chat = new FineTune.Service.Chat.ChatClient(new FineTune.Service.ServiceClient(ServiceConnection.Create(new ServiceConnectionSettings
        {
            BaseUri = new Uri("http://127.0.0.1:9/v1"),
            ApiKey = new ApiKey("sk-unit-test-key-0000"),
        })));
        Assert.Equal("FineTune.Evaluation.TooFewModels",
            Assert.Throws<FineTuneException>(() => new ModelComparer(chat, new ComparisonOptions { Models = new[] { Base } })).ErrorId);
        Assert.Equal("FineTune.Evaluation.InvalidThrottleLimit",
            Assert.Throws<FineTuneException>(() => new ModelComparer(chat, new ComparisonOptions { Models = new[] { Base, Tuned }, ThrottleLimit = 0 })).ErrorId);
        Assert.Equal("FineTune.Evaluation.InvalidTemperature",
            Assert.Throws<FineTuneException>(() => new ModelComparer(chat, new ComparisonOptions { Models = new[] { Base, Tuned }, Temperature = 3 })).ErrorId);
    }
}
