using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Text;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

public class JsonGraphWriterTests
{
    private static string Json(object? value, IJsonPropertyReader? reader = null) => new JsonGraphWriter(reader).ToJson(value);

    [Fact]
    public void Writes_primitives_exactly()
    {
        var value = new Dictionary<string, object?>
        {
            ["s"] = "a\"b\\c\n\t\u0001",
            ["i"] = 42,
            ["l"] = 12345678901234L,
            ["d"] = 0.1,
            ["f"] = 1.5f,
            ["m"] = 1.10m,
            ["big"] = BigInteger.Parse("123456789012345678901234567890"),
            ["t"] = true,
            ["n"] = null,
            ["u"] = ulong.MaxValue,
            ["b"] = (byte)7,
            ["c"] = 'x',
        };
        Assert.Equal("{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\",\"i\":42,\"l\":12345678901234,\"d\":0.1,\"f\":1.5,\"m\":1.10,\"big\":123456789012345678901234567890,\"t\":true,\"n\":null,\"u\":18446744073709551615,\"b\":7,\"c\":\"x\"}", Json(value));
    }

    [Fact]
    public void Writes_dates_guids_enums_and_timespans_as_strings()
    {
        var value = new object[]
        {
            new DateTime(2026, 11, 21, 6, 41, 17, DateTimeKind.Utc),
            new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.FromHours(2)),
            Guid.Parse("5d0f3b9e-6c1a-4f7e-9a43-2b8f0c6e1d27"),
            DayOfWeek.Friday,
            TimeSpan.FromMinutes(90),
        };
        Assert.Equal("[\"2026-11-21T06:41:17Z\",\"2026-11-21T08:00:00+02:00\",\"5d0f3b9e-6c1a-4f7e-9a43-2b8f0c6e1d27\",\"Friday\",\"01:30:00\"]", Json(value));
    }

    [Fact]
    public void Writes_non_ascii_as_utf8_not_escapes()
    {
        string json = Json(new Dictionary<string, string> { ["t"] = "é 日本 😀 <b>&'" });
        Assert.Equal("{\"t\":\"é 日本 😀 <b>&'\"}", json);
    }

    [Fact]
    public void Writes_any_depth_without_truncation()
    {
        object? value = "leaf";
        for (int i = 0; i < 5000; i++)
        {
            value = new List<object?> { value };
        }
        string json = Json(value);
        Assert.Equal(new string('[', 5000) + "\"leaf\"" + new string(']', 5000), json);
    }

    [Fact]
    public void A_cycle_is_an_error_naming_where()
    {
        var root = new Dictionary<string, object?>();
        var messages = new List<object?> { root };
        root["messages"] = messages;
        var error = Assert.Throws<FineTuneException>(() => Json(root));
        Assert.Equal("FineTune.Dataset.Cycle", error.ErrorId);
        Assert.Contains("$.messages[0]", error.Message);
    }

    [Fact]
    public void The_same_object_twice_but_not_nested_is_not_a_cycle()
    {
        var shared = new Dictionary<string, object?> { ["x"] = 1 };
        Assert.Equal("[{\"x\":1},{\"x\":1}]", Json(new[] { shared, shared }));
    }

    [Fact]
    public void An_endless_graph_is_an_error_not_a_hang()
    {
        var error = Assert.Throws<FineTuneException>(() => new JsonGraphWriter(maxValues: 1000).ToJson(new Endless()));
        Assert.Equal("FineTune.Dataset.GraphTooLarge", error.ErrorId);
    }

    [Theory]
    [InlineData("a", 0xD800, "b")]
    [InlineData("", 0xDC00, "")]
    [InlineData("end", 0xD83D, "")]
    public void An_unpaired_surrogate_is_an_error_not_a_silent_replacement(string before, int surrogate, string after)
    {
        string text = before + (char)surrogate + after; // built here: test-case serialization would replace it
        var error = Assert.Throws<FineTuneException>(() => Json(new Dictionary<string, object> { ["k"] = new[] { text } }));
        Assert.Equal("FineTune.Dataset.InvalidUnicode", error.ErrorId);
        Assert.Contains("$.k[0]", error.Message);
        Assert.Equal("FineTune.Dataset.InvalidUnicode", Assert.Throws<FineTuneException>(() => Json(new Dictionary<string, object> { [text] = 1 })).ErrorId);
    }

    [Fact]
    public void NaN_is_an_error()
    {
        Assert.Equal("FineTune.Dataset.NonFiniteNumber", Assert.Throws<FineTuneException>(() => Json(new[] { double.NaN })).ErrorId);
    }

    [Fact]
    public void Plain_objects_are_written_by_their_public_properties()
    {
        Assert.Equal("{\"Name\":\"a\",\"Count\":2}", Json(new Plain { Name = "a", Count = 2 }));
    }

    [Fact]
    public void A_property_reader_adapts_host_objects()
    {
        var bag = new Bag(("b", 1L), ("a", new Bag(("x", "y"))));
        Assert.Equal("{\"b\":1,\"a\":{\"x\":\"y\"}}", Json(new Wrapper(bag), new BagReader()));
    }

    [Fact]
    public void Typed_examples_use_the_wire_shape_and_omit_nulls()
    {
        var example = new ChatExample
        {
            Messages =
            {
                new ChatMessage("user", "Weather in Paris?"),
                new ChatMessage
                {
                    Role = "assistant",
                    Weight = 1,
                    ToolCalls = new List<ToolCall> { new() { Id = "call_1", Function = new FunctionCall { Name = "get_weather", Arguments = "{\"city\":\"Paris\"}" } } },
                },
                new ChatMessage { Role = "tool", ToolCallId = "call_1", Content = new List<ContentPart> { new() { Text = "18C" } } },
            },
            Tools = new List<ChatTool> { new() { Function = new FunctionDefinition { Name = "get_weather", Parameters = new Dictionary<string, object> { ["type"] = "object" } } } },
            ParallelToolCalls = false,
        };
        Assert.Equal(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},{\"role\":\"assistant\",\"weight\":1,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},{\"role\":\"tool\",\"content\":[{\"type\":\"text\",\"text\":\"18C\"}],\"tool_call_id\":\"call_1\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],\"parallel_tool_calls\":false}",
            example.ToJson());
        Assert.Equal("{\"prompt\":\"p\",\"completion\":\"c\"}", new PromptCompletionExample("p", "c").ToJson());
        var preference = new PreferenceExample
        {
            Input = new PreferenceInput { Messages = { new ChatMessage("user", "Hi") } },
            PreferredOutput = { new ChatMessage("assistant", "Hello!") },
            NonPreferredOutput = { new ChatMessage("assistant", "What?") },
        };
        Assert.Equal("{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]},\"preferred_output\":[{\"role\":\"assistant\",\"content\":\"Hello!\"}],\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"What?\"}]}", preference.ToJson());
    }

    [Fact]
    public void Parse_then_write_is_lossless()
    {
        string[] lines =
        {
            "{\"messages\":[{\"role\":\"user\",\"content\":\"é\\n\\\"q\\\"\"}],\"n\":12345678901234,\"f\":0.30000000000000004,\"d\":2.50,\"x\":[null,true,{\"y\":[]}],\"big\":-123456789012345678901234567890}",
            "{\"emoji\":\"😀\",\"ctrl\":\"\\u001f\",\"e\":1e-7}",
        };
        foreach (string line in lines)
        {
            Assert.True(JsonValueParser.TryParseObject(Encoding.UTF8.GetBytes(line), out JsonObjectValue? value, out _));
            string written = Json(value);
            Assert.True(JsonValueParser.TryParseObject(Encoding.UTF8.GetBytes(written), out JsonObjectValue? again, out _));
            Assert.Equal(written, Json(again));
        }
        Assert.Equal(lines[0], Json(Parse(lines[0])));
    }

    private static JsonObjectValue Parse(string line)
    {
        Assert.True(JsonValueParser.TryParseObject(Encoding.UTF8.GetBytes(line), out JsonObjectValue? value, out _));
        return value!;
    }

    private sealed class Plain
    {
        public string Name { get; set; } = string.Empty;
        public int Count { get; set; }
        public int this[int i] => i;
    }

    private sealed class Endless
    {
        public Endless Left => new();
        public Endless Right => new();
    }

    private sealed class Bag
    {
        public Bag(params (string, object?)[] properties) => Properties = properties.Select(p => new KeyValuePair<string, object?>(p.Item1, p.Item2)).ToList();
        public List<KeyValuePair<string, object?>> Properties { get; }
    }

    private sealed class Wrapper
    {
        public Wrapper(object inner) => Inner = inner;
        public object Inner { get; }
    }

    private sealed class BagReader : IJsonPropertyReader
    {
        public object? Unwrap(object value) => value is Wrapper w ? w.Inner : value;

        public bool TryGetProperties(object value, out IEnumerable<KeyValuePair<string, object?>> properties)
        {
            properties = (value as Bag)?.Properties!;
            return value is Bag;
        }
    }
}
