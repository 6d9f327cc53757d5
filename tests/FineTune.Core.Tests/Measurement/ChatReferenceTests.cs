using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FineTune.Measurement;
using FineTune.Tests;
using FineTune.Tests.Tokens.Support;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Measurement;

/// <summary>
/// Per-example totals, trained and untrained assistant tokens and message counts equal an
/// independent implementation of the cookbook formula over OpenAI's tiktoken
/// (tools/tiktoken-reference/count-chat.js) on a dataset from the shared chat generator,
/// counted in parallel with results in line order.
/// </summary>
public sealed class ChatReferenceTests
{
    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    public void EveryExample_MatchesTheReference(string encodingName)
    {
        string directory = Path.Combine(Path.GetTempPath(), "finetune-chat-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string chat = Path.Combine(directory, "chat.jsonl");
            string counts = Path.Combine(directory, "counts.txt");
            NodeTools.Generate("gen-chat.js", "--seed", "5", "--examples", "3000", "--out", chat);
            string reference = NodeTools.ReferenceDirectory;
            NodeTools.Run(reference, "node", Path.Combine(reference, "count-chat.js"), "--encoding", encodingName, "--input", chat, "--out", counts);
            long[][] expected = File.ReadAllLines(counts).Select(l => l.Split(' ').Select(long.Parse).ToArray()).ToArray();

            var seen = new List<ExampleTokenCount>();
            var measurer = new DatasetMeasurer(TokenEncoding.Get(encodingName), tokenLimit: 2000) { MaxDegreeOfParallelism = 2 };
            DatasetMeasurement measurement = measurer.Measure(chat, line => seen.Add(line.Example!));

            Assert.Equal(expected.Length, seen.Count);
            for (int i = 0; i < expected.Length; i++)
            {
                ExampleTokenCount example = seen[i];
                Assert.Equal(expected[i], new[] { example.Line, example.Tokens, example.AssistantTokens, example.UntrainedAssistantTokens, example.Messages });
                Assert.Equal(example.Tokens > 2000, example.OverLimit);
                Assert.Equal(0, example.EstimatedTokens);
            }
            Assert.Equal(expected.Sum(e => e[1]), measurement.TotalTokens);
            Assert.Equal(expected.Sum(e => Math.Min(2000, e[1])), measurement.BillableTokens);
            Assert.Equal(expected.Count(e => e[1] > 2000), measurement.OverLimitCount);
            Assert.True(measurement.UntrainedAssistantTokens > 0, "the generator writes weight-0 messages; none were seen");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
