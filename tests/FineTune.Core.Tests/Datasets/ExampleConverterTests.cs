using System.Collections;
using System.Collections.Generic;
using System.Linq;
using FineTune.Datasets;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

public class ExampleConverterTests
{
    private static List<KeyValuePair<string, object?>> Row(params (string Name, object? Value)[] columns) =>
        columns.Select(c => new KeyValuePair<string, object?>(c.Name, c.Value)).ToList();

    [Theory]
    [InlineData("prompt", "completion")]
    [InlineData("Question", "ANSWER")]
    [InlineData("input", "output")]
    [InlineData("user", "assistant")]
    public void Recognizes_usual_column_names_case_insensitively(string user, string assistant)
    {
        var converter = new ExampleConverter(new ExampleConversionOptions { SystemMessage = "Be brief." });
        FineTuneExample example = converter.ConvertRow(Row(("id", "7"), (user, "Q?"), (assistant, "A.")), 1, out ColumnMapping? mapping);
        Assert.Equal("{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Q?\"},{\"role\":\"assistant\",\"content\":\"A.\"}]}", example.ToJson());
        Assert.Equal((user, assistant), (mapping!.User, mapping.Assistant));
        Assert.Contains(user, mapping.ToString());

        converter.ConvertRow(Row((user, "Q2"), (assistant, "A2")), 2, out ColumnMapping? again);
        Assert.Null(again); // said once, not for every row
    }

    [Fact]
    public void Explicit_properties_and_a_system_column()
    {
        var converter = new ExampleConverter(new ExampleConversionOptions { UserProperty = "Ticket", AssistantProperty = "Reply", SystemProperty = "Persona", SystemMessage = "Default." });
        var example = (ChatExample)converter.ConvertRow(Row(("Ticket", "VPN drops"), ("Reply", "Update the client."), ("Persona", "You are IT.")), 1, out _);
        Assert.Equal(new[] { "system:You are IT.", "user:VPN drops", "assistant:Update the client." }, example.Messages.Select(m => m.Role + ":" + m.Content));
        var fallback = (ChatExample)converter.ConvertRow(Row(("Ticket", "t"), ("Reply", "r"), ("Persona", "")), 2, out _);
        Assert.Equal("Default.", fallback.Messages[0].Content);
    }

    [Fact]
    public void Missing_or_empty_values_name_the_row_and_column()
    {
        var converter = new ExampleConverter(new ExampleConversionOptions());
        var empty = Assert.Throws<FineTuneException>(() => converter.ConvertRow(Row(("question", "Q"), ("answer", "  ")), 3, out _));
        Assert.Equal("FineTune.Dataset.RowNotConvertible", empty.ErrorId);
        Assert.Contains("Row 3", empty.Message);
        Assert.Contains("'answer'", empty.Message);
        var missing = Assert.Throws<FineTuneException>(() => converter.ConvertRow(Row(("question", "Q"), ("answer", null)), 4, out _));
        Assert.Contains("Row 4: the column 'answer' is empty", missing.Message);
        var unknown = Assert.Throws<FineTuneException>(() => converter.ConvertRow(Row(("q", "Q"), ("a", "A")), 5, out _));
        Assert.Contains("Row 5 has no column recognized as the user text", unknown.Message);
        Assert.Contains("columns: q, a", unknown.Message);
        var named = new ExampleConverter(new ExampleConversionOptions { AssistantProperty = "Reply" });
        Assert.Contains("Row 6 has no column 'Reply'", Assert.Throws<FineTuneException>(() => named.ConvertRow(Row(("prompt", "p")), 6, out _)).Message);
    }

    [Fact]
    public void Numbers_become_invariant_text_and_objects_are_refused()
    {
        var converter = new ExampleConverter(new ExampleConversionOptions());
        var example = (ChatExample)converter.ConvertRow(Row(("prompt", 1.5), ("completion", 42L)), 1, out _);
        Assert.Equal(new object?[] { "1.5", "42" }, example.Messages.Select(m => m.Content));
        Assert.Contains("holds a", Assert.Throws<FineTuneException>(() => converter.ConvertRow(Row(("prompt", new object()), ("completion", "c")), 2, out _)).Message);
    }

    [Fact]
    public void Prompt_completion_and_preference_formats()
    {
        var legacy = new ExampleConverter(new ExampleConversionOptions { Format = DatasetFormat.PromptCompletion });
        Assert.Equal("{\"prompt\":\"p\",\"completion\":\"c\"}", legacy.ConvertRow(Row(("prompt", "p"), ("completion", "c")), 1, out _).ToJson());
        Assert.Throws<FineTuneException>(() => new ExampleConverter(new ExampleConversionOptions { Format = DatasetFormat.PromptCompletion, SystemMessage = "s" }));

        var dpo = new ExampleConverter(new ExampleConversionOptions { Format = DatasetFormat.Preference, SystemMessage = "s" });
        FineTuneExample example = dpo.ConvertRow(Row(("prompt", "Hi"), ("chosen", "Hello!"), ("rejected", "What")), 1, out ColumnMapping? mapping);
        Assert.Equal("{\"input\":{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"Hi\"}]},\"preferred_output\":[{\"role\":\"assistant\",\"content\":\"Hello!\"}],\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"What\"}]}", example.ToJson());
        Assert.Equal("rejected", mapping!.NonPreferred);
    }

    [Fact]
    public void Rows_that_carry_messages_pass_through_as_typed_examples()
    {
        var messages = new List<object?>
        {
            new Dictionary<string, object?> { ["role"] = "user", ["content"] = "Hi" },
            new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = "Hello", ["weight"] = 1L },
        };
        var converter = new ExampleConverter(new ExampleConversionOptions());
        var example = Assert.IsType<ChatExample>(converter.Convert(new Hashtable { ["messages"] = messages }, 1, out ColumnMapping? mapping));
        Assert.Null(mapping);
        Assert.Equal("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\",\"weight\":1}]}", example.ToJson());

        object deep = "x";
        for (int i = 0; i < 1000; i++)
        {
            deep = new List<object?> { deep };
        }
        var tooDeep = Assert.Throws<FineTuneException>(() => converter.Convert(new Hashtable { ["messages"] = deep }, 8, out _));
        Assert.Contains("Row 8", tooDeep.Message);

        var bad = Assert.Throws<FineTuneException>(() => converter.Convert(new Hashtable { ["messages"] = "nope" }, 9, out _));
        Assert.Contains("Row 9", bad.Message);
        Assert.Contains("$.messages", bad.Message);
    }

    [Fact]
    public void Typed_examples_pass_through_and_plain_values_are_refused()
    {
        var converter = new ExampleConverter(new ExampleConversionOptions());
        var chat = new ChatExample { Messages = { new ChatMessage("user", "u") } };
        Assert.Same(chat, converter.Convert(chat, 1, out _));
        Assert.Contains("use -Format PromptCompletion", Assert.Throws<FineTuneException>(() => converter.Convert(new PromptCompletionExample("p", "c"), 2, out _)).RecommendedAction, System.StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Row 3 is a String", Assert.Throws<FineTuneException>(() => converter.Convert("text", 3, out _)).Message);
    }

    [Theory]
    [InlineData("Question;Answer", "'Question;Answer'", "Import-Csv -Delimiter ';'")]
    [InlineData("Question\tAnswer", "'Question\\u0009Answer'", "Import-Csv -Delimiter \"`t\"")]
    [InlineData("Question|Answer", "'Question|Answer'", "Import-Csv -Delimiter '|'")]
    public void A_lone_column_holding_a_delimiter_is_one_error_naming_the_delimiter(string column, string shownAs, string fix)
    {
        var converter = new ExampleConverter(new ExampleConversionOptions());
        FineTuneException error = Assert.Throws<FineTuneException>(() => converter.ConvertRow(Row((column, "q;a")), 1, out _));
        Assert.Equal(ExampleConverter.WrongDelimiterErrorId, error.ErrorId);
        // Control characters are escaped in every message, so a tab shows as \u0009.
        Assert.Contains(shownAs, error.Message);
        Assert.Contains(fix, error.RecommendedAction);
    }
}
