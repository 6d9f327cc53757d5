using System;
using System.Collections.Generic;
using System.Text.Json;
using FineTune.Tokens;
using static FineTune.Datasets.JsonChecks;

namespace FineTune.Datasets;

/// <summary>What <see cref="MessageRules.CheckMessages"/> learned about a conversation.</summary>
internal sealed class ConversationFacts
{
    public bool HasSystem { get; set; }
    public bool HasUser { get; set; }
    public bool HasAssistant { get; set; }
    public bool HasTrainedAssistant { get; set; }
    public int AssistantCount { get; set; }
    public string? LastRole { get; set; }
    public int Count { get; set; }
}

/// <summary>The service's rules for messages, tool calls and tool definitions.</summary>
internal static class MessageRules
{
    private static readonly KeySet MessageKeys = new("role", "content", "name", "weight", "tool_calls", "tool_call_id", "function_call");
    private const int RoleKey = 0, ContentKey = 1, NameKey = 2, WeightKey = 3, ToolCallsKey = 4, ToolCallIdKey = 5, FunctionCallKey = 6;

    private static readonly string[] Roles = { "system", "user", "assistant", "tool", "function" };
    private static readonly byte[][] RolesUtf8 = Array.ConvertAll(Roles, r => System.Text.Encoding.UTF8.GetBytes(r));
    private static readonly KeySet ContentPartKeys = new("type", "text", "image_url");
    private static readonly KeySet ToolCallKeys = new("id", "type", "function");
    private static readonly KeySet FunctionCallKeys = new("name", "arguments");
    private static readonly KeySet ToolKeys = new("type", "function");
    private static readonly KeySet FunctionKeys = new("name", "description", "parameters", "strict");

    // One per thread: files are checked on several threads, and CheckMessages never nests.
    [ThreadStatic]
    private static JsonElement[]? t_fields;

    /// <summary>Checks a <c>messages</c> array; <paramref name="scanSpecialTokens"/> is false when the line has no <c>&lt;|</c> at all.</summary>
    public static ConversationFacts CheckMessages(JsonElement messages, string path, IssueSink sink, bool scanSpecialTokens)
    {
        var facts = new ConversationFacts();
        if (!Expect(messages, JsonValueKind.Array, path, "an array of messages", sink))
        {
            return facts;
        }
        HashSet<string>? toolCallIds = null;
        JsonElement[] fields = t_fields ??= new JsonElement[7];
        int index = 0;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            var at = new ItemPath(path, index++);
            facts.Count++;
            if (message.ValueKind != JsonValueKind.Object)
            {
                Expect(message, JsonValueKind.Object, at.ToString(), "an object with \"role\" and \"content\"", sink);
                continue;
            }
            int present = ReadFields(message, at, fields, sink);
            bool Has(int key) => (present & (1 << key)) != 0;

            string? role = CheckRole(Has(RoleKey), fields[RoleKey], at, sink);
            facts.LastRole = role;
            bool assistant = ReferenceEquals(role, "assistant");
            bool callsInsteadOfContent = assistant && (Has(ToolCallsKey) || Has(FunctionCallKey));
            CheckContent(Has(ContentKey), fields[ContentKey], at, role, callsInsteadOfContent, scanSpecialTokens, sink);

            if (!Has(NameKey) && ReferenceEquals(role, "function"))
            {
                sink.Error(DatasetIssueCodes.MissingField, "A function message needs the \"name\" of the function whose result it carries.", at.Child("name"));
            }
            if (Has(NameKey))
            {
                JsonElement name = fields[NameKey];
                if (Expect(name, JsonValueKind.String, at, "name", "a string", sink) && !IsValidName(name.GetString()!))
                {
                    sink.Error(DatasetIssueCodes.InvalidName,
                        $"The name \"{name.GetString()}\" is not allowed; use 1 to 64 letters, digits, underscores or hyphens.", at.Child("name"));
                }
            }

            bool trained = assistant;
            if (Has(WeightKey))
            {
                JsonElement weight = fields[WeightKey];
                if (!assistant)
                {
                    sink.Error(DatasetIssueCodes.FieldNotAllowed, $"Only assistant messages can have a weight; remove it from this {role ?? "message"} message.", at.Child("weight"));
                }
                if (weight.ValueKind != JsonValueKind.Number || !weight.TryGetDecimal(out decimal w) || (w != 0 && w != 1))
                {
                    sink.Error(DatasetIssueCodes.InvalidWeight, $"The weight is {Describe(weight)}; it must be 0 (do not train on this message) or 1 (train on it).", at.Child("weight"));
                }
                else if (w == 0)
                {
                    trained = false;
                }
            }

            if (Has(ToolCallsKey))
            {
                if (!assistant)
                {
                    sink.Error(DatasetIssueCodes.FieldNotAllowed, $"Only assistant messages can make tool calls; remove tool_calls from this {role ?? "message"} message.", at.Child("tool_calls"));
                }
                CheckToolCalls(fields[ToolCallsKey], at.Child("tool_calls"), sink, toolCallIds ??= new HashSet<string>(StringComparer.Ordinal));
            }
            if (Has(FunctionCallKey))
            {
                if (!assistant)
                {
                    sink.Error(DatasetIssueCodes.FieldNotAllowed, $"Only assistant messages can have a function_call; remove it from this {role ?? "message"} message.", at.Child("function_call"));
                }
                CheckFunctionCall(fields[FunctionCallKey], at.Child("function_call"), sink, DatasetIssueCodes.InvalidFunctionCall);
            }
            CheckToolCallId(Has(ToolCallIdKey), fields[ToolCallIdKey], at, role, toolCallIds, sink);

            facts.HasSystem |= ReferenceEquals(role, "system");
            facts.HasUser |= ReferenceEquals(role, "user");
            if (assistant)
            {
                facts.HasAssistant = true;
                facts.AssistantCount++;
                facts.HasTrainedAssistant |= trained;
            }
        }
        Array.Clear(fields, 0, fields.Length); // keeps no document alive
        return facts;
    }

    /// <summary>One pass over a message's keys: fills <paramref name="fields"/>, reports unknown and repeated keys, returns a bit per non-null key.</summary>
    private static int ReadFields(JsonElement message, ItemPath at, JsonElement[] fields, IssueSink sink)
    {
        int seen = 0;
        int present = 0;
        foreach (JsonProperty property in message.EnumerateObject())
        {
            int key = MessageKeys.IndexOf(property);
            if (key < 0)
            {
                UnknownKey(sink, "message", property.Name, MessageKeys, at.Child(property.Name));
                continue;
            }
            if ((seen & (1 << key)) != 0)
            {
                DuplicateKey(sink, "message", property.Name, at.Child(property.Name));
                continue;
            }
            seen |= 1 << key;
            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                fields[key] = property.Value;
                present |= 1 << key;
            }
        }
        return present;
    }

    public static void CheckTools(JsonElement tools, string path, IssueSink sink)
    {
        if (!Expect(tools, JsonValueKind.Array, path, "an array of tool definitions", sink))
        {
            return;
        }
        int index = 0;
        foreach (JsonElement tool in tools.EnumerateArray())
        {
            string toolPath = Item(path, index++);
            if (tool.ValueKind != JsonValueKind.Object)
            {
                sink.Error(DatasetIssueCodes.InvalidTool, $"A tool must be an object like {{\"type\":\"function\",\"function\":{{\"name\":\"...\"}}}}, not {KindName(tool.ValueKind)}.", toolPath);
                continue;
            }
            CheckKeys(tool, toolPath, ToolKeys, sink, "tool");
            if (!Present(tool, "type"u8, out JsonElement type) || type.ValueKind != JsonValueKind.String || type.GetString() != "function")
            {
                sink.Error(DatasetIssueCodes.InvalidTool, "A tool needs \"type\": \"function\".", Child(toolPath, "type"));
            }
            if (!Present(tool, "function"u8, out JsonElement function))
            {
                sink.Error(DatasetIssueCodes.InvalidTool, "A tool needs a \"function\" object with its name, description and parameters.", Child(toolPath, "function"));
                continue;
            }
            CheckFunctionDefinition(function, Child(toolPath, "function"), sink, DatasetIssueCodes.InvalidTool);
        }
    }

    public static void CheckFunctions(JsonElement functions, string path, IssueSink sink)
    {
        if (!Expect(functions, JsonValueKind.Array, path, "an array of function definitions", sink))
        {
            return;
        }
        int index = 0;
        foreach (JsonElement function in functions.EnumerateArray())
        {
            CheckFunctionDefinition(function, Item(path, index++), sink, DatasetIssueCodes.InvalidFunction);
        }
    }

    private static string? CheckRole(bool present, JsonElement role, ItemPath at, IssueSink sink)
    {
        if (!present)
        {
            sink.Error(DatasetIssueCodes.MissingRole, "The message has no role; add \"role\": \"system\", \"user\", \"assistant\", \"tool\" or \"function\".", at.Child("role"));
            return null;
        }
        if (!Expect(role, JsonValueKind.String, at, "role", "a string such as \"user\"", sink))
        {
            return null;
        }
        for (int i = 0; i < RolesUtf8.Length; i++)
        {
            if (role.ValueEquals(RolesUtf8[i]))
            {
                return Roles[i]; // the interned constant: compared by reference
            }
        }
        sink.Error(DatasetIssueCodes.InvalidRole, $"The role \"{role.GetString()}\" is unknown; use system, user, assistant, tool or function (lower case).", at.Child("role"));
        return null;
    }

    private static void CheckContent(bool present, JsonElement content, ItemPath at, string? role, bool callsInsteadOfContent, bool scanSpecialTokens, IssueSink sink)
    {
        if (!present)
        {
            if (!callsInsteadOfContent)
            {
                sink.Error(DatasetIssueCodes.MissingContent, MissingContent(role, "has no content"), at.Child("content"));
            }
            return;
        }
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                if (content.ValueEquals(ReadOnlySpan<byte>.Empty) && !callsInsteadOfContent)
                {
                    sink.Error(DatasetIssueCodes.MissingContent, MissingContent(role, "has empty content"), at.Child("content"));
                }
                if (scanSpecialTokens)
                {
                    CheckSpecialTokens(content.GetString()!, at.Child("content"), sink);
                }
                return;
            case JsonValueKind.Array:
                string contentPath = at.Child("content");
                if (content.GetArrayLength() == 0 && !callsInsteadOfContent)
                {
                    sink.Error(DatasetIssueCodes.MissingContent, MissingContent(role, "has an empty content array"), contentPath);
                }
                int index = 0;
                foreach (JsonElement part in content.EnumerateArray())
                {
                    CheckContentPart(part, Item(contentPath, index++), role, scanSpecialTokens, sink);
                }
                return;
            default:
                sink.Error(DatasetIssueCodes.WrongType, $"{at.Child("content")} is {KindName(content.ValueKind)}; it must be a string or an array of content parts.", at.Child("content"));
                return;
        }
    }

    private static string MissingContent(string? role, string problem) => role == "assistant"
        ? $"The assistant message {problem}; add the answer as \"content\" (or tool_calls when the assistant calls a tool)."
        : $"The {role ?? "message"} message {problem}; add its text as \"content\".";

    private static void CheckContentPart(JsonElement part, string partPath, string? role, bool scanSpecialTokens, IssueSink sink)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            sink.Error(DatasetIssueCodes.InvalidContentPart, $"A content part must be an object like {{\"type\":\"text\",\"text\":\"...\"}}, not {KindName(part.ValueKind)}.", partPath);
            return;
        }
        CheckKeys(part, partPath, ContentPartKeys, sink, "content part");
        string? type = Present(part, "type"u8, out JsonElement typeValue) && typeValue.ValueKind == JsonValueKind.String ? typeValue.GetString() : null;
        switch (type)
        {
            case "text":
                if (!Present(part, "text"u8, out JsonElement text) || text.ValueKind != JsonValueKind.String)
                {
                    sink.Error(DatasetIssueCodes.InvalidContentPart, "A text part needs \"text\" with a string.", Child(partPath, "text"));
                }
                else if (scanSpecialTokens)
                {
                    CheckSpecialTokens(text.GetString()!, Child(partPath, "text"), sink);
                }
                return;
            case "image_url":
                if (role == "assistant")
                {
                    sink.Error(DatasetIssueCodes.InvalidContentPart, "Assistant messages cannot contain images; move the image to a user message.", partPath);
                }
                if (!Present(part, "image_url"u8, out JsonElement image) || image.ValueKind != JsonValueKind.Object
                    || !Present(image, "url"u8, out JsonElement url) || url.ValueKind != JsonValueKind.String)
                {
                    sink.Error(DatasetIssueCodes.InvalidContentPart, "An image part needs \"image_url\": {\"url\": \"https://... or data:image/...;base64,...\"}.", Child(partPath, "image_url"));
                }
                return;
            default:
                sink.Error(DatasetIssueCodes.InvalidContentPart,
                    type is null ? "A content part needs \"type\": \"text\" or \"image_url\"." : $"The content part type \"{type}\" is not supported; use \"text\" or \"image_url\".",
                    Child(partPath, "type"));
                return;
        }
    }

    public static void CheckSpecialTokens(string text, string path, IssueSink sink)
    {
        if (SpecialTokenText.FindAny(text) is string token)
        {
            sink.Error(DatasetIssueCodes.SpecialToken,
                $"The text contains the special-token text \"{token}\", which the service rejects; remove it or break it up (for example \"< |{token.Substring(2)}\").", path);
        }
    }

    private static void CheckToolCalls(JsonElement toolCalls, string path, IssueSink sink, HashSet<string> ids)
    {
        if (toolCalls.ValueKind != JsonValueKind.Array || toolCalls.GetArrayLength() == 0)
        {
            sink.Error(DatasetIssueCodes.InvalidToolCall, $"tool_calls must be a non-empty array of calls, not {KindName(toolCalls.ValueKind)}{(toolCalls.ValueKind == JsonValueKind.Array ? " that is empty" : string.Empty)}.", path);
            return;
        }
        int index = 0;
        foreach (JsonElement call in toolCalls.EnumerateArray())
        {
            string callPath = Item(path, index++);
            if (call.ValueKind != JsonValueKind.Object)
            {
                sink.Error(DatasetIssueCodes.InvalidToolCall, $"A tool call must be an object with \"id\", \"type\" and \"function\", not {KindName(call.ValueKind)}.", callPath);
                continue;
            }
            CheckKeys(call, callPath, ToolCallKeys, sink, "tool call");
            if (Present(call, "id"u8, out JsonElement id) && id.ValueKind == JsonValueKind.String && id.GetString()!.Length > 0)
            {
                ids.Add(id.GetString()!);
            }
            else
            {
                sink.Error(DatasetIssueCodes.InvalidToolCall, "A tool call needs a non-empty string \"id\" (the tool message that answers it repeats it as tool_call_id).", Child(callPath, "id"));
            }
            if (!Present(call, "type"u8, out JsonElement type) || type.ValueKind != JsonValueKind.String || type.GetString() != "function")
            {
                sink.Error(DatasetIssueCodes.InvalidToolCall, "A tool call needs \"type\": \"function\".", Child(callPath, "type"));
            }
            if (!Present(call, "function"u8, out JsonElement function))
            {
                sink.Error(DatasetIssueCodes.InvalidToolCall, "A tool call needs \"function\": {\"name\": ..., \"arguments\": \"{...}\"}.", Child(callPath, "function"));
                continue;
            }
            CheckFunctionCall(function, Child(callPath, "function"), sink, DatasetIssueCodes.InvalidToolCall);
        }
    }

    private static void CheckFunctionCall(JsonElement call, string path, IssueSink sink, string code)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            sink.Error(code, $"The function call must be an object with \"name\" and \"arguments\", not {KindName(call.ValueKind)}.", path);
            return;
        }
        CheckKeys(call, path, FunctionCallKeys, sink, "function call");
        if (!Present(call, "name"u8, out JsonElement name) || name.ValueKind != JsonValueKind.String || !IsValidName(name.GetString()!))
        {
            sink.Error(code, "The function call needs a \"name\" of 1 to 64 letters, digits, underscores or hyphens.", Child(path, "name"));
        }
        if (!Present(call, "arguments"u8, out JsonElement arguments) || arguments.ValueKind != JsonValueKind.String)
        {
            sink.Error(code, "The function call needs \"arguments\" as a string holding JSON, such as \"{\\\"city\\\":\\\"Paris\\\"}\".", Child(path, "arguments"));
        }
    }

    private static void CheckFunctionDefinition(JsonElement function, string path, IssueSink sink, string code)
    {
        if (function.ValueKind != JsonValueKind.Object)
        {
            sink.Error(code, $"A function definition must be an object with \"name\", not {KindName(function.ValueKind)}.", path);
            return;
        }
        CheckKeys(function, path, FunctionKeys, sink, "function definition");
        if (!Present(function, "name"u8, out JsonElement name) || name.ValueKind != JsonValueKind.String || !IsValidName(name.GetString()!))
        {
            sink.Error(code, "The function needs a \"name\" of 1 to 64 letters, digits, underscores or hyphens.", Child(path, "name"));
        }
        if (Present(function, "description"u8, out JsonElement description) && description.ValueKind != JsonValueKind.String)
        {
            sink.Error(code, "The function's \"description\" must be a string.", Child(path, "description"));
        }
        if (Present(function, "parameters"u8, out JsonElement parameters) && parameters.ValueKind != JsonValueKind.Object)
        {
            sink.Error(code, "The function's \"parameters\" must be a JSON schema object such as {\"type\":\"object\",\"properties\":{...}}.", Child(path, "parameters"));
        }
    }

    private static void CheckToolCallId(bool present, JsonElement id, ItemPath at, string? role, HashSet<string>? toolCallIds, IssueSink sink)
    {
        if (present && !ReferenceEquals(role, "tool"))
        {
            sink.Error(DatasetIssueCodes.FieldNotAllowed, $"Only tool messages have a tool_call_id; remove it from this {role ?? "message"} message.", at.Child("tool_call_id"));
            return;
        }
        if (!ReferenceEquals(role, "tool"))
        {
            return;
        }
        if (!present)
        {
            sink.Error(DatasetIssueCodes.MissingToolCallId, "The tool message has no tool_call_id; add the id of the assistant's tool call it answers.", at.Child("tool_call_id"));
            return;
        }
        if (!Expect(id, JsonValueKind.String, at, "tool_call_id", "a string", sink))
        {
            return;
        }
        string value = id.GetString()!;
        if (toolCallIds is null || !toolCallIds.Contains(value))
        {
            sink.Error(DatasetIssueCodes.UnknownToolCallId,
                $"The tool message answers the call \"{value}\", but no earlier assistant message made a tool call with that id; fix the id or add the call.", at.Child("tool_call_id"));
        }
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetRawText() : KindName(value.ValueKind);
}
