using System.IO;
using System.Linq;
using System.Text.Json;
using FineTune.Datasets;
using FineTune.Tests;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

public class ExampleReaderTests
{
    private static void AssertRoundTrip(string line)
    {
        using JsonDocument original = JsonDocument.Parse(line);
        FineTuneExample example = ExampleReader.Read(original.RootElement);
        using JsonDocument written = JsonDocument.Parse(example.ToJson());
        Assert.True(JsonElement.DeepEquals(original.RootElement, written.RootElement), example.ToJson());
    }

    [Fact]
    public void Cookbook_examples_round_trip_through_the_typed_model()
    {
        string[] lines = File.ReadAllLines(TestPaths.CookbookToyDataset);
        Assert.Equal(5, lines.Length);
        foreach (string line in lines)
        {
            AssertRoundTrip(line);
        }
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\",\"detail\":\"high\"}}],\"name\":\"bob\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"look\",\"arguments\":\"{\\\"q\\\":1}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"a cat\"},{\"role\":\"assistant\",\"content\":\"A cat.\",\"weight\":1}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"look\",\"description\":\"d\",\"parameters\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"integer\"}},\"required\":[\"q\"]}}}],\"parallel_tool_calls\":false}")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"assistant\",\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}},{\"role\":\"function\",\"name\":\"f\",\"content\":\"r\"}],\"functions\":[{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}]}")]
    [InlineData("{\"prompt\":\"p\",\"completion\":\"c\"}")]
    [InlineData("{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"t\"}}]},\"preferred_output\":[{\"role\":\"assistant\",\"content\":\"Hello!\"}],\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"What\"}]}")]
    public void Every_format_round_trips(string line)
    {
        // A null content is left out when written; compare against the line without it.
        AssertRoundTrip(line.Replace("\"content\":null,", string.Empty));
    }

    [Fact]
    public void Typed_access_for_rules_and_token_counting()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllLines(TestPaths.CookbookToyDataset)[1]);
        var chat = Assert.IsType<ChatExample>(ExampleReader.Read(document.RootElement));
        Assert.Equal(9, chat.Messages.Count);
        Assert.Equal("system", chat.Messages[0].Role);
        Assert.Equal("I lost my tennis match today.", chat.Messages[1].Text);
    }

    [Theory]
    [InlineData("{\"messages\":[{\"content\":\"x\"}]}", "$.messages[0].role is missing")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":5}]}", "$.messages[0].content must be a string or an array")]
    [InlineData("{\"messages\":[{\"role\":\"assistant\",\"weight\":\"1\"}]}", "$.messages[0].weight must be 0 or 1")]
    [InlineData("{\"input\":[],\"preferred_output\":[]}", "$.input must be an object")]
    public void Wrong_shapes_name_the_json_path(string line, string expected)
    {
        using JsonDocument document = JsonDocument.Parse(line);
        var error = Assert.Throws<FineTuneException>(() => ExampleReader.Read(document.RootElement));
        Assert.StartsWith(expected, error.Message);
        Assert.Equal("FineTune.Dataset.InvalidExample", error.ErrorId);
    }
}
