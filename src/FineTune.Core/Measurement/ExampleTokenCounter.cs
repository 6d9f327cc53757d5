using System;
using System.Text.Json;
using FineTune.Tokens;

namespace FineTune.Measurement;

/// <summary>
/// Counts the tokens of one training example the way OpenAI's cookbook does for chat data:
/// 3 tokens per message, the tokens of its role, content and name, 1 more per name, and 3 to
/// prime the reply. Text is counted exactly with the encoding; tool definitions and tool calls,
/// whose billing OpenAI does not publish, are estimated (see <see cref="CountTools"/>).
/// </summary>
public sealed class ExampleTokenCounter
{
    internal const int TokensPerMessage = 3;
    internal const int TokensPerName = 1;
    internal const int ReplyPriming = 3;

    private readonly TokenEncoding _encoding;
    private readonly int? _tokenLimit;

    public ExampleTokenCounter(TokenEncoding encoding, int? tokenLimit)
    {
        _encoding = encoding ?? throw new ArgumentNullException(nameof(encoding));
        _tokenLimit = tokenLimit;
    }

    /// <summary>Counts one JSONL line (UTF-8 JSON without the line break); <paramref name="path"/> is null for an example from the pipeline, <paramref name="line"/> then its position.</summary>
    public LineMeasurement Count(string? path, long line, ReadOnlyMemory<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            return Failed(path, line, $"is not valid JSON ({ex.Message})", "Fix the line, or find every problem with Test-FineTuneDataset.");
        }
        using (document)
        {
            if (Datasets.JsonValueParser.FindUnpairedSurrogate(json.Span) is { } surrogate)
            {
                return Failed(path, line, $"is not valid JSON (column {surrogate.Column}: {surrogate.Reason})", "Fix the line, or find every problem with Test-FineTuneDataset.");
            }
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Failed(path, line, "is not a JSON object", "Each line must be one training example object.");
            }
            var tally = new Tally();
            ExampleFormat format;
            if (root.TryGetProperty("messages", out JsonElement messages) && messages.ValueKind == JsonValueKind.Array)
            {
                format = ExampleFormat.Chat;
                CountConversation(root, messages, ref tally);
            }
            else if (root.TryGetProperty("input", out JsonElement input) && input.ValueKind == JsonValueKind.Object
                && input.TryGetProperty("messages", out JsonElement inputMessages) && inputMessages.ValueKind == JsonValueKind.Array)
            {
                format = ExampleFormat.Preference;
                CountConversation(input, inputMessages, ref tally);
                CountOutput(root, "preferred_output", ref tally);
                CountOutput(root, "non_preferred_output", ref tally);
            }
            else if (root.TryGetProperty("prompt", out JsonElement prompt) && prompt.ValueKind == JsonValueKind.String)
            {
                format = ExampleFormat.PromptCompletion;
                tally.Total += Tokens(prompt);
                tally.Messages = 2;
                tally.HasUser = tally.HasSystem = true;
                if (root.TryGetProperty("completion", out JsonElement completion) && completion.ValueKind == JsonValueKind.String)
                {
                    int completionTokens = Tokens(completion);
                    tally.Total += completionTokens;
                    tally.Trained += completionTokens;
                }
            }
            else
            {
                return Failed(path, line, "is neither a chat example (messages), a preference example (input, preferred_output, non_preferred_output) nor a prompt/completion pair",
                    "Check the line's keys, or run Test-FineTuneDataset for details.");
            }
            bool overLimit = _tokenLimit is int limit && tally.Total > limit;
            var example = new ExampleTokenCount(path, line, format, tally.Total, tally.Trained, tally.Untrained, tally.Estimated, tally.Messages,
                tally.HasSystem, tally.HasUser, overLimit);
            return new LineMeasurement(line, example, null);
        }
    }

    private void CountConversation(JsonElement owner, JsonElement messages, ref Tally tally)
    {
        foreach (JsonElement message in messages.EnumerateArray())
        {
            CountMessage(message, ref tally);
        }
        tally.Total += ReplyPriming;
        foreach (string key in new[] { "tools", "functions" })
        {
            if (owner.TryGetProperty(key, out JsonElement tools) && tools.ValueKind == JsonValueKind.Array)
            {
                int estimate = CountTools(tools);
                tally.Total += estimate;
                tally.Estimated += estimate;
            }
        }
    }

    private void CountOutput(JsonElement root, string key, ref Tally tally)
    {
        if (root.TryGetProperty(key, out JsonElement output) && output.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement message in output.EnumerateArray())
            {
                CountMessage(message, ref tally);
            }
        }
    }

    private void CountMessage(JsonElement message, ref Tally tally)
    {
        tally.Messages++;
        tally.Total += TokensPerMessage;
        if (message.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        string role = message.TryGetProperty("role", out JsonElement roleElement) && roleElement.ValueKind == JsonValueKind.String ? JsonText.Of(roleElement) : "";
        tally.Total += _encoding.CountTokens(role);
        tally.HasSystem |= role == "system";
        tally.HasUser |= role == "user";

        int content = message.TryGetProperty("content", out JsonElement contentElement) ? ContentTokens(contentElement) : 0;
        tally.Total += content;
        if (message.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String)
        {
            tally.Total += Tokens(name) + TokensPerName;
        }
        int calls = ToolCallTokens(message);
        tally.Total += calls;
        tally.Estimated += calls;
        if (role == "assistant")
        {
            bool trained = !(message.TryGetProperty("weight", out JsonElement weight) && weight.ValueKind == JsonValueKind.Number && weight.GetDouble() == 0);
            if (trained)
            {
                tally.Trained += content + calls;
            }
            else
            {
                tally.Untrained += content + calls;
            }
        }
    }

    /// <summary>A string content, or the text parts of an array of content parts (images are not counted).</summary>
    private int ContentTokens(JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return Tokens(content);
            case JsonValueKind.Array:
                int tokens = 0;
                foreach (JsonElement part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out JsonElement text) && text.ValueKind == JsonValueKind.String)
                    {
                        tokens += Tokens(text);
                    }
                }
                return tokens;
            default:
                return 0;
        }
    }

    /// <summary>Estimate: the tokens of each call's function name and arguments, no framing.</summary>
    private int ToolCallTokens(JsonElement message)
    {
        int tokens = 0;
        if (message.TryGetProperty("tool_calls", out JsonElement calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement call in calls.EnumerateArray())
            {
                if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function", out JsonElement function))
                {
                    tokens += FunctionCallTokens(function);
                }
            }
        }
        if (message.TryGetProperty("function_call", out JsonElement legacy))
        {
            tokens += FunctionCallTokens(legacy);
        }
        return tokens;
    }

    private int FunctionCallTokens(JsonElement function)
    {
        if (function.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }
        return StringTokens(function, "name") + StringTokens(function, "arguments");
    }

    /// <summary>
    /// Estimate of the tokens tool (function) definitions add, following the method of OpenAI's
    /// cookbook "How to count tokens with tiktoken" for chat completions: per function a fixed
    /// start (7 with o200k_base models, 10 with cl100k_base ones) plus "name:description", per
    /// property 3 plus "key:type:description" (enum: -3 plus 3 and the text per item), 3 when a
    /// function has properties, and 12 at the end. The fine-tuning service's own framing is not
    /// published, so this is an estimate.
    /// </summary>
    internal int CountTools(JsonElement tools)
    {
        int functionStart = _encoding.Name == "o200k_base" ? 7 : 10;
        int tokens = 0;
        int functions = 0;
        foreach (JsonElement tool in tools.EnumerateArray())
        {
            JsonElement function = tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("function", out JsonElement inner) ? inner : tool;
            if (function.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            functions++;
            tokens += functionStart;
            tokens += _encoding.CountTokens(StringOf(function, "name") + ":" + WithoutFinalPeriod(StringOf(function, "description")));
            if (function.TryGetProperty("parameters", out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("properties", out JsonElement properties) && properties.ValueKind == JsonValueKind.Object)
            {
                bool any = false;
                foreach (JsonProperty property in properties.EnumerateObject())
                {
                    any = true;
                    tokens += 3;
                    JsonElement schema = property.Value;
                    if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out JsonElement values) && values.ValueKind == JsonValueKind.Array)
                    {
                        tokens -= 3;
                        foreach (JsonElement value in values.EnumerateArray())
                        {
                            tokens += 3 + _encoding.CountTokens(value.ValueKind == JsonValueKind.String ? JsonText.Of(value) : value.GetRawText());
                        }
                    }
                    string type = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out JsonElement t) ? (t.ValueKind == JsonValueKind.String ? JsonText.Of(t) : t.GetRawText()) : "";
                    tokens += _encoding.CountTokens(property.Name + ":" + type + ":" + WithoutFinalPeriod(StringOf(schema, "description")));
                }
                if (any)
                {
                    tokens += 3;
                }
            }
        }
        return functions > 0 ? tokens + 12 : 0;
    }

    private static string WithoutFinalPeriod(string text) => text.EndsWith(".", StringComparison.Ordinal) ? text.Substring(0, text.Length - 1) : text;

    private static string StringOf(JsonElement owner, string key) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.String ? JsonText.Of(value) : "";

    private int StringTokens(JsonElement owner, string key) => _encoding.CountTokens(StringOf(owner, key));

    private int Tokens(JsonElement text) => _encoding.CountTokens(JsonText.Of(text));

    internal static LineMeasurement Failed(string? path, long line, string problem, string fix)
    {
        string where = path is null ? $"Input object {line}" : $"{path}:{line}";
        return new(line, null, new FineTuneException("FineTune.Measure.UnreadableLine", FailureKind.InvalidData,
            $"{where} {problem}; it is not counted.", where, fix));
    }

    private struct Tally
    {
        public int Total;
        public int Trained;
        public int Untrained;
        public int Estimated;
        public int Messages;
        public bool HasSystem;
        public bool HasUser;
    }
}
