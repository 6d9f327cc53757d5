using System.Text;
using FineTune.Measurement;
using FineTune.Tokens;
using Xunit;

namespace FineTune.Tests.Measurement;

public sealed class ExampleTokenCounterTests
{
    private static readonly TokenEncoding s_cl100k = TokenEncoding.Get("cl100k_base");

    private static LineMeasurement Count(string json, int? limit = null) =>
        new ExampleTokenCounter(s_cl100k, limit).Count("data.jsonl", 7, Encoding.UTF8.GetBytes(json));

    private static int T(string text) => s_cl100k.CountTokens(text);

    [Fact]
    public void Chat_FollowsTheCookbookFormula()
    {
        ExampleTokenCount example = Count("""{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi","name":"bob"},{"role":"assistant","content":"Hello!"}]}""").Example!;
        int expected = 3 + T("system") + T("Be brief.") + 3 + T("user") + T("Hi") + T("bob") + 1 + 3 + T("assistant") + T("Hello!") + 3;
        Assert.Equal(expected, example.Tokens);
        Assert.Equal(T("Hello!"), example.AssistantTokens);
        Assert.Equal(3, example.Messages);
        Assert.True(example.HasSystem && example.HasUser);
        Assert.Equal(ExampleFormat.Chat, example.Format);
        Assert.Equal(7, example.Line);
    }

    [Fact]
    public void WeightZeroAssistantTokens_AreUntrained()
    {
        ExampleTokenCount example = Count("""{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"first answer","weight":0},{"role":"user","content":"b"},{"role":"assistant","content":"second","weight":1}]}""").Example!;
        Assert.Equal(T("second"), example.AssistantTokens);
        Assert.Equal(T("first answer"), example.UntrainedAssistantTokens);
    }

    [Fact]
    public void ContentParts_CountTheirText()
    {
        ExampleTokenCount example = Count("""{"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},{"role":"assistant","content":"A cat."}]}""").Example!;
        Assert.Equal(3 + T("user") + T("What is this?") + 3 + T("assistant") + T("A cat.") + 3, example.Tokens);
    }

    [Fact]
    public void ToolsAndToolCalls_AreCountedAsEstimates()
    {
        const string json = """{"messages":[{"role":"user","content":"Weather in Paris?"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"18C"},{"role":"assistant","content":"18 degrees."}],"tools":[{"type":"function","function":{"name":"get_weather","description":"Gets the weather.","parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name."},"unit":{"type":"string","enum":["c","f"]}}}}}]}""";
        ExampleTokenCount example = Count(json).Example!;
        int calls = T("get_weather") + T("{\"city\":\"Paris\"}");
        int tools = 10 + T("get_weather:Gets the weather") + 3 + 3 + T("city:string:City name") + 3 - 3 + 3 + T("c") + 3 + T("f") + T("unit:string:") + 12;
        Assert.Equal(calls + tools, example.EstimatedTokens);
        Assert.Equal(T("18 degrees.") + calls, example.AssistantTokens);
        int messages = 4 * 3 + T("user") + T("Weather in Paris?") + T("assistant") + calls + T("tool") + T("18C") + T("assistant") + T("18 degrees.");
        Assert.Equal(messages + 3 + tools, example.Tokens);
    }

    [Fact]
    public void PromptCompletion_CountsBothTexts()
    {
        ExampleTokenCount example = Count("""{"prompt":"Translate: cat ->","completion":" chat"}""").Example!;
        Assert.Equal(ExampleFormat.PromptCompletion, example.Format);
        Assert.Equal(T("Translate: cat ->") + T(" chat"), example.Tokens);
        Assert.Equal(T(" chat"), example.AssistantTokens);
    }

    [Fact]
    public void Preference_CountsInputAndBothOutputs()
    {
        ExampleTokenCount example = Count("""{"input":{"messages":[{"role":"user","content":"Hi"}]},"preferred_output":[{"role":"assistant","content":"Hello!"}],"non_preferred_output":[{"role":"assistant","content":"Go away."}]}""").Example!;
        Assert.Equal(ExampleFormat.Preference, example.Format);
        Assert.Equal(3 + T("user") + T("Hi") + 3 + 3 + T("assistant") + T("Hello!") + 3 + T("assistant") + T("Go away."), example.Tokens);
        Assert.Equal(T("Hello!") + T("Go away."), example.AssistantTokens);
        Assert.False(example.HasSystem);
    }

    [Fact]
    public void EscapedLoneSurrogate_IsAnUnreadableLine_AsForImportAndTest()
    {
        LineMeasurement result = Count("""{"messages":[{"role":"user","content":"a\ud800b"}]}""");
        Assert.Null(result.Example);
        Assert.Equal("FineTune.Measure.UnreadableLine", result.Error!.ErrorId);
        Assert.Contains("column 41: \\uD800 is half of a surrogate pair", result.Error.Message);
    }

    [Fact]
    public void OverLimit_IsFlagged()
    {
        Assert.True(Count("""{"messages":[{"role":"user","content":"x"}]}""", limit: 5).Example!.OverLimit);
        Assert.False(Count("""{"messages":[{"role":"user","content":"x"}]}""", limit: 500).Example!.OverLimit);
    }

    [Theory]
    [InlineData("{\"messages\": [", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"text\":\"hello\"}", "neither a chat example")]
    public void UnreadableLines_AreErrorsNamingFileAndLine(string json, string problem)
    {
        LineMeasurement result = Count(json);
        Assert.Null(result.Example);
        Assert.Equal("FineTune.Measure.UnreadableLine", result.Error!.ErrorId);
        Assert.Contains("data.jsonl:7", result.Error.Message);
        Assert.Contains(problem, result.Error.Message);
    }
}
