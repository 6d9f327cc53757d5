using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

/// <summary>
/// Hostile content inside well-formed lines: terminal escapes in keys and roles, numbers no
/// .NET type holds, lone surrogates, strings past Utf8JsonWriter's limit, duplicates past
/// what fits in memory.
/// </summary>
public class HostileDataTests
{
    private const string Esc = "\u001b";
    private const string Osc = Esc + "]0;owned\u0007"; // sets the terminal's title
    private const string Csi = "\u009b31m";             // C1 control sequence introducer

    private static string Chat(string extra) =>
        "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"u\"}," + extra + "]}";

    public static TheoryData<string> LinesQuotingEscapes => new()
    {
        Chat("{\"role\":\"assistant\",\"content\":\"a\",\"\\u001b]0;owned\\u0007\":1}"),              // unknown key
        Chat("{\"role\":\"\\u001b]0;owned\\u0007\\u009b31m\\n\\r\",\"content\":\"a\"}"),                  // unknown role
        Chat("{\"role\":\"assistant\",\"content\":\"a\",\"name\":\"\\u001b[2J\\u202e\"}"),              // invalid name
        Chat("{\"role\":\"assistant\",\"content\":[{\"type\":\"\\u001b]8;;http://x\\u0007\"}]}"),      // content part type
        Chat("{\"role\":\"assistant\",\"content\":\"a\"}").Replace("]}", "],\"\\u001b]0;owned\\u0007\":1}"),        // unknown top-level key
    };

    [Theory]
    [MemberData(nameof(LinesQuotingEscapes))]
    public void Control_characters_from_the_data_are_escaped_in_every_issue(string line)
    {
        var validator = new DatasetValidator("x.jsonl");
        var issues = validator.CheckLine(Encoding.UTF8.GetBytes(line), 1);
        Assert.NotEmpty(issues);
        Assert.All(issues, issue =>
        {
            AssertNoControl(issue.Message);
            AssertNoControl(issue.JsonPath);
            AssertNoControl(issue.ToString());
        });
        Assert.Contains(issues, i => i.Message.Contains("\\u001B"));
    }

    [Fact]
    public void Control_characters_are_escaped_in_import_errors_and_every_engine_error()
    {
        byte[] line = Encoding.UTF8.GetBytes("{\"\\u001b]0;x\\u0007\\n\":1,\"\\u001b]0;x\\u0007\\n\":2}");
        Assert.False(JsonValueParser.TryParseObject(line, out _, out JsonLineError? error));
        AssertNoControl(error!.Reason);
        Assert.Contains("\\u001B]0;x\\u0007\\u000A", error.Reason);

        var exception = new FineTuneException("FineTune.X", FailureKind.InvalidData, "bad " + Osc + Csi + "\rfake\nsecond line", recommendedAction: "fix " + Esc + "[2J");
        Assert.Equal("bad \\u001B]0;owned\\u0007\\u009B31m\\u000Dfake\nsecond line", exception.Message);
        Assert.Equal("fix \\u001B[2J", exception.RecommendedAction);

        var cyclic = new Dictionary<string, object?>();
        cyclic[Osc] = cyclic;
        FineTuneException cycle = Assert.Throws<FineTuneException>(() => new JsonGraphWriter().ToJson(cyclic));
        AssertNoControl(cycle.Message);

        var mapping = new ColumnMapping("q" + Esc + "[31m", "a\n", null, null);
        AssertNoControl(mapping.ToString());
    }

    [Fact]
    public void A_huge_value_quoted_in_an_issue_is_shortened_and_keeps_the_advice()
    {
        string role = new string('r', 5_000_000);
        var issues = new DatasetValidator("x.jsonl").CheckLine(Encoding.UTF8.GetBytes(Chat("{\"role\":\"" + role + "\",\"content\":\"a\"}")), 1);
        DatasetIssue issue = Assert.Single(issues, i => i.Code == DatasetIssueCodes.InvalidRole);
        Assert.True(issue.Message.Length <= DisplayText.MaxMessageLength);
        Assert.EndsWith("use system, user, assistant, tool or function (lower case).", issue.Message);
    }

    [Theory]
    [InlineData("1e999")]
    [InlineData("-1e999")]
    [InlineData("1e-999")]
    [InlineData("12345678901234567890.1234567890123456789012345")]
    [InlineData("0.1000000000000000055511151231257827021181583404541015625")]
    [InlineData("1E5")]
    [InlineData("1e-5")]
    [InlineData("-0.0")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("1.10")]
    [InlineData("0.1")]
    [InlineData("-0")]
    public void Every_number_is_written_back_as_it_was_read(string number)
    {
        string line = "{\"n\":" + number + ",\"a\":[" + number + "],\"o\":{\"m\":" + number + "}}";
        Assert.True(JsonValueParser.TryParseObject(Encoding.UTF8.GetBytes(line), out JsonObjectValue? value, out JsonLineError? error), error?.ToString());
        Assert.Equal(line, new JsonGraphWriter().ToJson(value));
    }

    [Fact]
    public void A_number_no_dotnet_type_holds_is_a_JsonNumber_that_still_computes()
    {
        Assert.True(JsonValueParser.TryParseObject(Encoding.UTF8.GetBytes("{\"big\":1e999,\"tiny\":1e-999,\"lr\":1e-5}"), out JsonObjectValue? value, out _));
        var big = Assert.IsType<JsonNumber>(value![0].Value);
        Assert.Equal("1e999", big.ToString());
        Assert.Equal(double.PositiveInfinity, big.ToDouble());
        Assert.Equal(0.0, Convert.ToDouble(value[1].Value));
        Assert.Equal(1e-5, Convert.ToDouble(value[2].Value));
        Assert.True(((JsonNumber)value[2].Value!).CompareTo(0.001) < 0);
        Assert.Throws<ArgumentException>(() => new JsonNumber("1e999 ; rm -rf"));
    }

    [Fact]
    public void A_lone_surrogate_is_InvalidJson_for_the_reader_and_the_validator_alike()
    {
        string line = Chat("{\"role\":\"assistant\",\"content\":\"a\\ud800b\"}");
        Assert.False(JsonValueParser.TryParseObject(Encoding.UTF8.GetBytes(line), out _, out JsonLineError? imported));
        DatasetIssue validated = Assert.Single(new DatasetValidator("x.jsonl").CheckLine(Encoding.UTF8.GetBytes(line), 1));
        Assert.Equal((imported!.Code, $"Column {imported.Column}: {imported.Reason}."), (validated.Code, validated.Message));
        Assert.Equal("InvalidJson", validated.Code);
        Assert.Contains("\\uD800 is half of a surrogate pair", validated.Message);

        foreach (string fine in new[] { "a\\ud83d\\ude00b", "\\\\ud800", "\\u00e9" })
        {
            string ok = Chat("{\"role\":\"assistant\",\"content\":\"" + fine + "\"}");
            Assert.True(JsonValueParser.TryParseObject(Encoding.UTF8.GetBytes(ok), out _, out _), fine);
            Assert.Empty(new DatasetValidator("x.jsonl").CheckLine(Encoding.UTF8.GetBytes(ok), 1));
        }
        foreach (string lone in new[] { "\\udc00", "\\ud800\\ud800", "x\\ud800", "\\ud800\\u0041" })
        {
            Assert.NotNull(JsonValueParser.FindUnpairedSurrogate(Encoding.UTF8.GetBytes("\"" + lone + "\"")));
        }
    }

    [Fact]
    public void A_string_past_the_writers_limit_is_converted_and_written()
    {
        string content = "é\"\\\n\u0001" + new string('x', JsonGraphWriter.LargeStringChars + 10) + "😀";
        var example = new ChatExample { Messages = { new ChatMessage("user", "u"), new ChatMessage("assistant", content) } };
        ReadOnlyMemory<byte> json = new JsonGraphWriter().ToUtf8(example);
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal(content, document.RootElement.GetProperty("messages")[1].GetProperty("content").GetString());
        string start = Encoding.UTF8.GetString(json.Slice(0, 100).ToArray());
        Assert.True(start.StartsWith("{\"messages\":[{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"assistant\",\"content\":\"é\\\"\\\\\\n\\u0001xxx", StringComparison.Ordinal), start);

        // The row a 200 MB Import-Jsonl line becomes passes through ConvertTo-FineTuneExample.
        var row = new JsonObjectValue();
        var messages = new List<object?> { Message("user", "u"), Message("assistant", content) };
        row.Add("messages", messages);
        var converted = new ExampleConverter(new ExampleConversionOptions()).Convert(row, 1, out _);
        Assert.Equal(content, ((ChatExample)converted).Messages[1].Text);
    }

    [Fact]
    public void The_large_string_path_escapes_exactly_as_the_writer()
    {
        string text = string.Concat(Enumerable.Range(0, 0x80).Select(c => (char)c)) + "é日本😀\u2028";
        byte[] quoted = MinimalJsonEncoder.QuoteUtf8(text);
        using var buffer = new MemoryStream();
        using (Utf8JsonWriter writer = JsonGraphWriter.CreateUtf8Writer(buffer))
        {
            writer.WriteStringValue(text);
        }
        Assert.Equal(Encoding.UTF8.GetString(buffer.ToArray()), Encoding.UTF8.GetString(quoted));
    }

    [Fact]
    public void Duplicates_past_the_memory_buffer_are_found_exactly_and_in_line_order()
    {
        var random = new Random(11);
        int[] values = Enumerable.Range(0, 20_000).Select(_ => random.Next(8_000)).ToArray();
        var expected = new List<(long, long)>();
        var first = new Dictionary<int, long>();
        for (int i = 0; i < values.Length; i++)
        {
            if (first.TryGetValue(values[i], out long line))
            {
                expected.Add((i + 1, line));
            }
            else
            {
                first[values[i]] = i + 1;
            }
        }
        using var finder = new DuplicateFinder(bufferRecords: 100); // 200 runs: a two-level merge
        for (int i = 0; i < values.Length; i++)
        {
            finder.Observe(i + 1, Encoding.ASCII.GetBytes("{\"v\":" + values[i] + "}"));
        }
        Assert.True(finder.SpilledRuns > 2 * 64, "more runs than one merge takes");
        Assert.Equal(expected, finder.Duplicates().ToList());
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "finetune-*.sort")); // unlinked as soon as it was made
    }

    [Fact]
    public void The_validator_reports_spilled_duplicates_with_the_first_line()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 300).Select(i => Chat("{\"role\":\"assistant\",\"content\":\"a" + (i % 250) + "\"}")).ToList();
        string path = dir.Write("dup.jsonl", string.Join("\n", lines) + "\n");
        var options = new DatasetValidationOptions { DuplicateBufferRecords = 16 };
        var duplicates = DatasetValidator.ValidateFile(path, options).Where(i => i.Code == DatasetIssueCodes.DuplicateExample).ToList();
        Assert.Equal(Enumerable.Range(251, 50).Select(n => (long?)n), duplicates.Select(d => d.Line));
        Assert.Contains("repeats line 1 exactly", duplicates[0].Message);
        Assert.Contains("repeats line 50 exactly", duplicates[^1].Message);
    }

    [Fact]
    public void Histogram_percentiles_equal_those_of_the_sorted_values()
    {
        var random = new Random(3);
        foreach (int count in new[] { 1, 2, 3, 10, 101, 5000 })
        {
            int[] values = Enumerable.Range(0, count).Select(_ => random.Next(0, count < 100 ? 5 : 4000)).ToArray();
            TokenDistribution distribution = TokenDistribution.Of(values);
            int[] sorted = values.OrderBy(v => v).ToArray();
            Assert.Equal((double)sorted[0], distribution.Min);
            Assert.Equal((double)sorted[^1], distribution.Max);
            Assert.Equal(values.Average(), distribution.Mean, 9);
            Assert.Equal(Numpy(sorted, 50), distribution.Median, 9);
            Assert.Equal(Numpy(sorted, 10), distribution.P10, 9);
            Assert.Equal(Numpy(sorted, 90), distribution.P90, 9);
        }
    }

    private static double Numpy(int[] sorted, double percent)
    {
        double rank = (sorted.Length - 1) * percent / 100.0;
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (rank - below));
    }

    private static JsonObjectValue Message(string role, string content)
    {
        var message = new JsonObjectValue();
        message.Add("role", role);
        message.Add("content", content);
        return message;
    }

    private static void AssertNoControl(string? text)
    {
        if (text is null)
        {
            return;
        }
        foreach (char c in text)
        {
            Assert.False(char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'),
                $"U+{(int)c:X4} in: {text.Replace(Esc, "<ESC>")}");
        }
    }
}
