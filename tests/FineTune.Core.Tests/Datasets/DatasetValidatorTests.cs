using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FineTune.Datasets;
using FineTune.Tests;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

public class DatasetValidatorTests
{
    private const string System1 = "{\"role\":\"system\",\"content\":\"You are helpful.\"}";
    private const string User1 = "{\"role\":\"user\",\"content\":\"Hi\"}";
    private const string Assistant1 = "{\"role\":\"assistant\",\"content\":\"Hello!\"}";

    private static string Chat(params string[] messages) => "{\"messages\":[" + string.Join(",", messages) + "]}";

    /// <summary>Issues of one example checked alone (file-level count issues left out).</summary>
    private static List<DatasetIssue> Check(string line)
    {
        var validator = new DatasetValidator("x.jsonl");
        return validator.CheckLine(Encoding.UTF8.GetBytes(line), 1).ToList();
    }

    private static void AssertClean(string line)
    {
        List<DatasetIssue> issues = Check(line);
        Assert.True(issues.Count == 0, string.Join("\n", issues));
    }

    private static void AssertOnly(string line, string code, string jsonPath)
    {
        List<DatasetIssue> issues = Check(line);
        Assert.True(issues.Count == 1, string.Join("\n", issues));
        Assert.Equal(code, issues[0].Code);
        Assert.Equal(jsonPath, issues[0].JsonPath);
        Assert.Equal(1, issues[0].Line);
        Assert.Equal("x.jsonl", issues[0].Path);
    }

    [Fact]
    public void Cookbook_toy_file_gives_the_notebooks_findings()
    {
        string path = TestPaths.CookbookToyDataset;
        Assert.True(File.Exists(path), path);
        List<DatasetIssue> issues = DatasetValidator.ValidateFile(path).ToList();
        Assert.Equal(
            new[]
            {
                ((long?)3, DatasetIssueSeverity.Warning, DatasetIssueCodes.MissingSystemMessage),
                ((long?)4, DatasetIssueSeverity.Warning, DatasetIssueCodes.MissingUserMessage),
                ((long?)null, DatasetIssueSeverity.Error, DatasetIssueCodes.TooFewExamples),
            },
            issues.Select(i => (i.Line, i.Severity, i.Code)));
        Assert.All(issues, i => Assert.Equal(path, i.Path));
        Assert.Equal("$.messages", issues[0].JsonPath);
        Assert.Contains("5 examples", issues[2].Message);
    }

    [Fact]
    public void A_good_example_has_no_issues()
    {
        AssertClean((Chat(System1, User1, Assistant1)));
        AssertClean((Chat(System1, User1,
            "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]}",
            "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"18C\"}",
            "{\"role\":\"assistant\",\"content\":\"It is 18C.\",\"weight\":1}").TrimEnd('}') + (",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"d\",\"parameters\":{\"type\":\"object\"}}}],\"parallel_tool_calls\":true}")));
        AssertClean((Chat(System1,
            "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\",\"detail\":\"low\"}}]}",
            Assistant1)));
        AssertClean((Chat(System1, User1, "{\"role\":\"assistant\",\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}}",
            "{\"role\":\"function\",\"name\":\"f\",\"content\":\"r\"}", Assistant1).Replace("]}", "],\"functions\":[{\"name\":\"f\"}]}")));
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"u\"}]}", "MissingAssistant", "$.messages")]
    [InlineData("{\"messages\":[]}", "EmptyMessages", "$.messages")]
    [InlineData("{\"messages\":\"hi\"}", "WrongType", "$.messages")]
    [InlineData("{\"messages\":null}", "MissingField", "$.messages")]
    [InlineData("{\"mesages\":[]}", "UnknownFormat", "$.messages")]
    public void Example_level_rules(string line, string code, string path) => AssertOnly(line, code, path);

    [Theory]
    [InlineData("{\"content\":\"u\"}", "MissingRole", "$.messages[1].role")]
    [InlineData("{\"role\":\"User\",\"content\":\"u\"}", "InvalidRole", "$.messages[1].role")]
    [InlineData("{\"role\":7,\"content\":\"u\"}", "WrongType", "$.messages[1].role")]
    [InlineData("{\"role\":\"user\"}", "MissingContent", "$.messages[1].content")]
    [InlineData("{\"role\":\"user\",\"content\":\"\"}", "MissingContent", "$.messages[1].content")]
    [InlineData("{\"role\":\"user\",\"content\":42}", "WrongType", "$.messages[1].content")]
    [InlineData("{\"role\":\"user\",\"content\":[{\"type\":\"audio\"}]}", "InvalidContentPart", "$.messages[1].content[0].type")]
    [InlineData("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":5}]}", "InvalidContentPart", "$.messages[1].content[0].text")]
    [InlineData("{\"role\":\"user\",\"content\":[\"plain\"]}", "InvalidContentPart", "$.messages[1].content[0]")]
    [InlineData("{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"x\"}]}", "InvalidContentPart", "$.messages[1].content[0].image_url")]
    [InlineData("{\"role\":\"user\",\"content\":\"u\",\"name\":\"a b\"}", "InvalidName", "$.messages[1].name")]
    [InlineData("{\"role\":\"user\",\"content\":\"u\",\"name\":1}", "WrongType", "$.messages[1].name")]
    [InlineData("{\"role\":\"user\",\"content\":\"u\",\"weight\":1}", "FieldNotAllowed", "$.messages[1].weight")]
    [InlineData("{\"role\":\"user\",\"content\":\"u\",\"tool_call_id\":\"c\"}", "FieldNotAllowed", "$.messages[1].tool_call_id")]
    [InlineData("{\"role\":\"user\",\"content\":\"u\",\"colour\":\"red\"}", "UnknownKey", "$.messages[1].colour")]
    [InlineData("{\"role\":\"user\",\"content\":\"u\",\"content\":\"v\"}", "DuplicateKey", "$.messages[1].content")]
    [InlineData("{\"role\":\"user\",\"content\":\"say <|endoftext|> now\"}", "SpecialToken", "$.messages[1].content")]
    [InlineData("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"<|im_start|>\"}]}", "SpecialToken", "$.messages[1].content[0].text")]
    [InlineData("{\"role\":\"tool\",\"content\":\"r\"}", "MissingToolCallId", "$.messages[1].tool_call_id")]
    [InlineData("{\"role\":\"tool\",\"content\":\"r\",\"tool_call_id\":\"nope\"}", "UnknownToolCallId", "$.messages[1].tool_call_id")]
    [InlineData("42", "WrongType", "$.messages[1]")]
    [InlineData("{\"role\":\"function\",\"content\":\"r\"}", "MissingField", "$.messages[1].name")]
    public void Message_rules_name_the_field(string message, string code, string path) =>
        AssertOnly(Chat(System1, message, User1, Assistant1), code, path);

    [Theory]
    [InlineData("{\"role\":\"user\",\"content\":\"u\",\"colour\":\"red\"}",
        "The message has the unknown key \"colour\"; the service rejects it. Remove it or fix its spelling (allowed: role, content, name, weight, tool_calls, tool_call_id, function_call).")]
    [InlineData("{\"role\":\"user\",\"content\":\"u\",\"content\":\"v\"}", "The key \"content\" appears twice in the message; keep only one.")]
    [InlineData("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"t\",\"lang\":\"en\"}]}",
        "The content part has the unknown key \"lang\"; the service rejects it. Remove it or fix its spelling (allowed: type, text, image_url).")]
    [InlineData("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"t\",\"text\":\"u\"}]}", "The key \"text\" appears twice in the content part; keep only one.")]
    public void Unknown_and_repeated_keys_name_the_object_and_the_allowed_keys(string message, string expected) =>
        Assert.Equal(expected, Assert.Single(Check(Chat(System1, message, User1, Assistant1))).Message);

    [Theory]
    [InlineData("{\"role\":\"assistant\",\"content\":\"a\",\"weight\":2}", "InvalidWeight", "$.messages[2].weight")]
    [InlineData("{\"role\":\"assistant\",\"content\":\"a\",\"weight\":\"1\"}", "InvalidWeight", "$.messages[2].weight")]
    [InlineData("{\"role\":\"assistant\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x\"}}]}", "InvalidContentPart", "$.messages[2].content[0]")]
    [InlineData("{\"role\":\"assistant\",\"tool_calls\":[]}", "InvalidToolCall", "$.messages[2].tool_calls")]
    [InlineData("{\"role\":\"assistant\",\"tool_calls\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}", "InvalidToolCall", "$.messages[2].tool_calls[0].id")]
    [InlineData("{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":{}}}]}", "InvalidToolCall", "$.messages[2].tool_calls[0].function.arguments")]
    [InlineData("{\"role\":\"assistant\",\"function_call\":{\"arguments\":\"{}\"}}", "InvalidFunctionCall", "$.messages[2].function_call.name")]
    [InlineData("{\"role\":\"assistant\"}", "MissingContent", "$.messages[2].content")]
    public void Assistant_rules_name_the_field(string assistant, string code, string path) =>
        AssertOnly(Chat(System1, User1, assistant, User1, Assistant1), code, path);

    [Fact]
    public void All_assistant_weights_zero_trains_nothing()
    {
        AssertOnly(Chat(System1, User1, "{\"role\":\"assistant\",\"content\":\"a\",\"weight\":0}"), "NoTrainedAssistant", "$.messages");
    }

    [Theory]
    [InlineData(",\"tools\":{}", "WrongType", "$.tools")]
    [InlineData(",\"tools\":[{\"type\":\"function\"}]", "InvalidTool", "$.tools[0].function")]
    [InlineData(",\"tools\":[{\"type\":\"retrieval\",\"function\":{\"name\":\"f\"}}]", "InvalidTool", "$.tools[0].type")]
    [InlineData(",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":\"x\"}}]", "InvalidTool", "$.tools[0].function.parameters")]
    [InlineData(",\"functions\":[{\"description\":\"d\"}]", "InvalidFunction", "$.functions[0].name")]
    [InlineData(",\"parallel_tool_calls\":\"yes\"", "WrongType", "$.parallel_tool_calls")]
    [InlineData(",\"metadata\":{}", "UnknownKey", "$.metadata")]
    public void Tool_definitions_and_top_level_keys(string extra, string code, string path) =>
        AssertOnly(Chat(System1, User1, Assistant1).Replace("]}", "]" + extra + "}"), code, path);

    [Fact]
    public void Prompt_completion_files_are_checked_by_their_rules()
    {
        AssertClean(("{\"prompt\":\"p\",\"completion\":\"c\"}"));
        AssertOnly("{\"prompt\":\"p\"}", "MissingField", "$.completion");
        AssertOnly("{\"prompt\":1,\"completion\":\"c\"}", "WrongType", "$.prompt");
        AssertOnly("{\"prompt\":\"p\",\"completion\":\"\"}", "MissingField", "$.completion");
        AssertOnly("{\"prompt\":\"p\",\"completion\":\"c\",\"x\":1}", "UnknownKey", "$.x");
    }

    [Fact]
    public void Preference_files_are_checked_by_their_rules()
    {
        const string good = "{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]},\"preferred_output\":[{\"role\":\"assistant\",\"content\":\"Hello!\"}],\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"What\"}]}";
        AssertClean((good));
        AssertOnly(good.Replace("\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"What\"}]", "\"non_preferred_output\":[]"), "InvalidPreferenceOutput", "$.non_preferred_output");
        AssertOnly(good.Replace(",\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"What\"}]", string.Empty), "MissingField", "$.non_preferred_output");
        AssertOnly(good.Replace("{\"role\":\"assistant\",\"content\":\"Hello!\"}", "{\"role\":\"user\",\"content\":\"Hello!\"}"), "InvalidPreferenceOutput", "$.preferred_output");
        AssertOnly(good.Replace("\"input\":{\"messages\"", "\"input\":{\"extra\":1,\"messages\""), "UnknownKey", "$.input.extra");
    }

    [Fact]
    public void Reinforcement_files_are_detected_and_checked_by_their_rules()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 10).Select(i => "{\"messages\":[{\"role\":\"user\",\"content\":\"What is " + i + "+1?\"}],\"reference_answer\":\"" + (i + 1) + "\"}").ToList();
        lines.Add("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}],\"reference_answer\":\"a\"}");
        string path = dir.Write("rft.jsonl", string.Join("\n", lines) + "\n");
        var issues = DatasetValidator.ValidateFile(path).ToList();
        Assert.Equal(new[] { (11L, "ReinforcementEndsWithAssistant") }, issues.Where(i => i.Severity == DatasetIssueSeverity.Error).Select(i => (i.Line!.Value, i.Code)));
    }

    [Fact]
    public void A_chat_line_in_a_reinforcement_file_is_mixed_but_a_broken_chat_line_in_a_chat_file_gets_chat_rules()
    {
        const string rft = "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],\"reference_answer\":\"a\"}";
        string chat = Chat(System1, User1, Assistant1);
        var rftFirst = new DatasetValidator("x.jsonl");
        rftFirst.CheckLine(Encoding.UTF8.GetBytes(rft), 1);
        DatasetIssue mixed = Assert.Single(rftFirst.CheckLine(Encoding.UTF8.GetBytes(chat), 2));
        Assert.Equal(DatasetIssueCodes.MixedFormats, mixed.Code);
        Assert.Contains("reinforcement example", mixed.Message);

        var chatFirst = new DatasetValidator("x.jsonl");
        chatFirst.CheckLine(Encoding.UTF8.GetBytes(chat), 1);
        var codes = chatFirst.CheckLine(Encoding.UTF8.GetBytes(rft), 2).Select(i => i.Code).ToList();
        Assert.Contains(DatasetIssueCodes.UnknownKey, codes);
        Assert.Contains(DatasetIssueCodes.MissingAssistant, codes);
    }

    [Fact]
    public void A_file_that_mixes_formats_is_an_error_at_the_odd_line()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Repeat(Chat(System1, User1, Assistant1), 9).Select((l, i) => l.Replace("Hi", "Hi " + i)).ToList();
        lines.Insert(4, "{\"prompt\":\"p\",\"completion\":\"c\"}");
        string path = dir.Write("mixed.jsonl", string.Join("\n", lines));
        var issues = DatasetValidator.ValidateFile(path).ToList();
        DatasetIssue issue = Assert.Single(issues, i => i.Severity == DatasetIssueSeverity.Error);
        Assert.Equal(("MixedFormats", 5L), (issue.Code, issue.Line!.Value));
        Assert.Contains("line 1", issue.Message);
    }

    [Fact]
    public void Duplicates_are_found_with_the_first_line_named()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 60).Select(i => Chat(System1, "{\"role\":\"user\",\"content\":\"q" + i + "\"}", Assistant1)).ToList();
        lines.Add(lines[3]);
        lines.Add(lines[3]);
        lines.Add(lines[10] + "\r");
        string path = dir.Write("dup.jsonl", string.Join("\n", lines));
        var duplicates = DatasetValidator.ValidateFile(path).Where(i => i.Code == DatasetIssueCodes.DuplicateExample).ToList();
        Assert.Equal(new[] { 61L, 62L, 63L }, duplicates.Select(d => d.Line!.Value));
        Assert.Contains("line 4", duplicates[0].Message);
        Assert.Contains("line 4", duplicates[1].Message);
        Assert.Contains("line 11", duplicates[2].Message);
        Assert.All(duplicates, d => Assert.Equal(DatasetIssueSeverity.Warning, d.Severity));
    }

    [Fact]
    public void Duplicates_among_pipeline_examples_are_reported_when_the_input_ends()
    {
        using var validator = new DatasetValidator(null);
        byte[] line = Encoding.UTF8.GetBytes(Chat(System1, User1, Assistant1));
        Assert.Empty(validator.CheckLine(line, 1));
        Assert.Empty(validator.CheckLine(line, 2));
        DatasetIssue duplicate = Assert.Single(validator.Complete(), i => i.Code == DatasetIssueCodes.DuplicateExample);
        Assert.Equal(2L, duplicate.Line!.Value);
        Assert.Contains("line 1", duplicate.Message);
    }

    [Theory]
    [InlineData(0, DatasetIssueCodes.EmptyFile, DatasetIssueSeverity.Error)]
    [InlineData(9, DatasetIssueCodes.TooFewExamples, DatasetIssueSeverity.Error)]
    [InlineData(10, DatasetIssueCodes.FewExamples, DatasetIssueSeverity.Warning)]
    [InlineData(49, DatasetIssueCodes.FewExamples, DatasetIssueSeverity.Warning)]
    [InlineData(50, null, DatasetIssueSeverity.Warning)]
    public void File_size_rules(int examples, string? code, DatasetIssueSeverity severity)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("n.jsonl", string.Concat(Enumerable.Range(0, examples).Select(i => Chat(System1, "{\"role\":\"user\",\"content\":\"q" + i + "\"}", Assistant1) + "\n")) + "\n\n");
        var issues = DatasetValidator.ValidateFile(path).ToList();
        if (code is null)
        {
            Assert.Empty(issues);
            return;
        }
        DatasetIssue issue = Assert.Single(issues);
        Assert.Equal((code, severity, (long?)null), (issue.Code, issue.Severity, issue.Line));
    }

    [Fact]
    public void Extra_rules_see_every_parsed_example()
    {
        var options = new DatasetValidationOptions();
        var rule = new LongAnswerRule();
        options.Rules.Add(rule);
        var validator = new DatasetValidator("x.jsonl", options);
        validator.CheckLine(Encoding.UTF8.GetBytes(Chat(System1, User1, Assistant1)), 1);
        var issues = validator.CheckLine(Encoding.UTF8.GetBytes(Chat(System1, User1, "{\"role\":\"assistant\",\"content\":\"" + new string('a', 100) + "\"}")), 2);
        Assert.Equal(2, rule.Seen);
        DatasetIssue issue = Assert.Single(issues);
        Assert.Equal(("TooLong", 2L, "$.messages[2].content"), (issue.Code, issue.Line!.Value, issue.JsonPath));
    }

    [Fact]
    public void Every_code_is_documented_once()
    {
        var documented = DatasetIssueCodes.All.Select(c => c.Code).ToList();
        Assert.Equal(documented.Count, documented.Distinct().Count());
        var declared = typeof(DatasetIssueCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(declared.OrderBy(c => c), documented.OrderBy(c => c));
    }

    private sealed class LongAnswerRule : IExampleRule
    {
        public int Seen { get; private set; }

        public void Check(ExampleContext example)
        {
            Seen++;
            var chat = Assert.IsType<ChatExample>(example.Example);
            for (int i = 0; i < chat.Messages.Count; i++)
            {
                if (chat.Messages[i].Text is { Length: > 50 })
                {
                    example.Report(DatasetIssueSeverity.Error, "TooLong", "Too long.", $"$.messages[{i}].content");
                }
            }
        }
    }
}
