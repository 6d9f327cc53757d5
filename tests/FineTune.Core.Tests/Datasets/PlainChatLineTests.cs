using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

/// <summary>
/// The one-pass reader of plain chat lines may refuse anything, but whatever it accepts must be
/// valid JSON that the full rules find nothing wrong with beyond what the conversation's facts
/// say: checked on hand-written lines and on 300,000 mutations of them.
/// </summary>
public class PlainChatLineTests
{
    private static readonly string[] Seeds =
    {
        """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}""",
        """{"messages":[{"role":"user","content":"Line\none \"quoted\" \\ \/ \b\f\r\t \u00e9 \ud83d\ude00"},{"role":"assistant","content":"ok","weight":1}]}""",
        """{ "messages" : [ { "content" : "x" , "role" : "user" } , { "weight" : 0 , "role" : "assistant" , "content" : "y" } ] } """,
        """{"messages":[{"role":"user","name":"alice_01-b","content":"Q"},{"role":"assistant","content":"A","name":"bot"}]}""",
        """{"messages":[{"role":"assistant","content":"no user, no system"}]}""",
        """{"messages":[{"role":"user","content":"only a user"}]}""",
        """{"messages":[{"role":"user","content":"é ü 漢字 😀"},{"role":"assistant","content":"\u0000"}]}""",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"tab\\tand\\rreturn\"},\r{\"role\":\"assistant\",\"content\":\"a\"}]}",
    };

    [Theory]
    [InlineData("""{"messages":[{"role":"system","content":"S"},{"role":"user","content":"U"},{"role":"assistant","content":"A"}]}""", 3, true, true, true, true)]
    [InlineData("""{"messages":[{"role":"user","content":"U"},{"role":"assistant","content":"A","weight":0}]}""", 2, false, true, true, false)]
    [InlineData("""{"messages":[{"role":"user","content":"U"},{"role":"assistant","content":"A","weight":0},{"role":"assistant","content":"B","weight":1}]}""", 3, false, true, true, true)]
    [InlineData("""{"messages":[{"role":"user","content":"U"}]}""", 1, false, true, false, false)]
    public void Reads_the_facts_of_a_plain_conversation(string line, int count, bool system, bool user, bool assistant, bool trained)
    {
        Assert.True(PlainChatLine.TryRead(Encoding.UTF8.GetBytes(line), out ConversationFacts facts));
        Assert.Equal((count, system, user, assistant, trained), (facts.Count, facts.HasSystem, facts.HasUser, facts.HasAssistant, facts.HasTrainedAssistant));
    }

    [Theory]
    [InlineData("""{"messages":[]}""")]
    [InlineData("""{"messages":[{"role":"tool","content":"x","tool_call_id":"a"}]}""")]
    [InlineData("""{"messages":[{"role":"function","name":"f","content":"x"}]}""")]
    [InlineData("""{"messages":[{"role":"User","content":"x"}]}""")]
    [InlineData("""{"messages":[{"role":"\u0075ser","content":"x"}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":""}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":null}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}""")]
    [InlineData("""{"messages":[{"role":"user","role":"user","content":"x"}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x","content":"y"}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x","weight":1}]}""")]
    [InlineData("""{"messages":[{"role":"assistant","content":"x","weight":10}]}""")]
    [InlineData("""{"messages":[{"role":"assistant","content":"x","weight":1.0}]}""")]
    [InlineData("""{"messages":[{"role":"assistant","content":"x","weight":1e0}]}""")]
    [InlineData("""{"messages":[{"role":"assistant","content":"x","weight":"1"}]}""")]
    [InlineData("""{"messages":[{"role":"assistant","content":"x","weight":1,"weight":1}]}""")]
    [InlineData("""{"messages":[{"role":"user","name":"has space","content":"x"}]}""")]
    [InlineData("""{"messages":[{"role":"user","name":"","content":"x"}]}""")]
    [InlineData("""{"messages":[{"role":"user","name":"a\u0062","content":"x"}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x","tool_calls":[]}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]} x""")]
    [InlineData("""{"messages":[{"role":"user","content":"x"},]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x",}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x\q"}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x\u12"}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]""")]
    [InlineData("""["messages"]""")]
    public void Refuses_every_other_line(string line)
    {
        Assert.False(PlainChatLine.TryRead(Encoding.UTF8.GetBytes(line), out _));
    }

    [Fact]
    public void Refuses_a_raw_control_character_inside_a_string()
    {
        Assert.False(PlainChatLine.TryRead(Encoding.UTF8.GetBytes("{\"messages\":[{\"role\":\"user\",\"content\":\"a\tb\"}]}"), out _));
    }

    [Fact]
    public void Every_seed_is_read()
    {
        Assert.All(Seeds, seed => Assert.True(PlainChatLine.TryRead(Encoding.UTF8.GetBytes(seed), out _), seed));
    }

    [Fact]
    public void Whatever_it_reads_the_full_rules_agree_with_on_300_000_mutations()
    {
        var random = new Random(20261128);
        byte[] alphabet = Encoding.UTF8.GetBytes("{}[]\":,  \t\r\\/ubnrtfq0123456789aAdDeE.-+_xé\u0001\u001f").Concat(new byte[] { 0x00, 0x7f }).ToArray();
        string[] fragments = { "\"role\"", "\"content\"", "\"weight\"", "\"name\"", "\"user\"", "\"assistant\"", "\"system\"", "\"tool\"", "null", "true", "0", "1", "\\u", "\\ud800", "\"\"", "{}", "[]", "," };
        int accepted = 0;
        for (int n = 0; n < 300_000; n++)
        {
            var line = new List<byte>(Encoding.UTF8.GetBytes(Seeds[random.Next(Seeds.Length)]));
            int edits = 1 + random.Next(3);
            for (int e = 0; e < edits && line.Count > 0; e++)
            {
                int at = random.Next(line.Count);
                switch (random.Next(4))
                {
                    case 0:
                        line[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    case 1:
                        line.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 2:
                        line.RemoveAt(at);
                        break;
                    default:
                        line.InsertRange(at, Encoding.UTF8.GetBytes(fragments[random.Next(fragments.Length)]));
                        break;
                }
            }
            byte[] bytes = line.ToArray();
            if (Utf8Validation.IndexOfInvalid(bytes) >= 0 || PlainChatLine.TryRead(bytes, out ConversationFacts facts) is false)
            {
                continue;
            }
            accepted++;
            AssertFullRulesAgree(bytes, facts);
        }
        Assert.True(accepted > 10_000, $"only {accepted} mutations were read; the test no longer covers the reader");
    }

    private static void AssertFullRulesAgree(byte[] line, ConversationFacts facts)
    {
        string text = Encoding.UTF8.GetString(line);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = JsonValueParser.DefaultMaxDepth });
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"read a line that is not JSON ({ex.Message}): {text}");
        }
        using (document)
        {
            Assert.True(FormatRules.DetectFormat(document.RootElement) == DatasetFormat.Chat, text);
            var full = new IssueSink("x.jsonl", 1);
            FormatRules.CheckChat(document.RootElement, full, scanSpecialTokens: false);
            var fromFacts = new IssueSink("x.jsonl", 1);
            FormatRules.CheckConversation(facts, fromFacts);
            Assert.True(Describe(full.Issues) == Describe(fromFacts.Issues), $"{text}\nfull rules: {Describe(full.Issues)}\nfrom facts: {Describe(fromFacts.Issues)}");
        }
    }

    private static string Describe(IEnumerable<DatasetIssue> issues) =>
        string.Join("; ", issues.Select(i => $"{i.Severity} {i.Code} {i.JsonPath} {i.Message}"));
}
