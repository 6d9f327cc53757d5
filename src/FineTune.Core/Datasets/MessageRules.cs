using System;
using System.Collections.Generic;
using System.Text.Json;
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
    private static readonly HashSet<string> MessageKeys = new(StringComparer.Ordinal)
        { "role", "content", "name", "weight", "tool_calls", "tool_call_id", "function_call" };

    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal) { "system", "user", "assistant", "tool", "function" };
    private static readonly HashSet<string> ContentPartKeys = new(StringComparer.Ordinal) { "type", "text", "image_url" };
    private static readonly HashSet<string> ToolCallKeys = new(StringComparer.Ordinal) { "id", "type", "function" };
    private static readonly HashSet<string> FunctionCallKeys = new(StringComparer.Ordinal) { "name", "arguments" };
    private static readonly HashSet<string> ToolKeys = new(StringComparer.Ordinal) { "type", "function" };
    private static readonly HashSet<string> FunctionKeys = new(StringComparer.Ordinal) { "name", "description", "parameters", "strict" };

    /// <summary>Checks a <c>messages</c> array; <paramref name="scanSpecialTokens"/> is false when the line has no <c>&lt;|</c> at all.</summary>
    public static ConversationFacts CheckMessages(JsonElement messages, string path, IssueSink sink, bool scanSpecialTokens)
    {
        var facts = new ConversationFacts();
        if (!Expect(messages, JsonValueKind.Array, path, "an array of messages", sink))
        {
            return facts;
        }
        HashSet<string>? toolCallIds = null;
        int index = 0;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            string messagePath = Item(path, index++);
            facts.Count++;
            if (!Expect(message, JsonValueKind.Object, messagePath, "an object with \"role\" and \"content\"", sink))
            {
                continue;
            }
            CheckKeys(message, messagePath, MessageKeys, sink, "message");
            string? role = CheckRole(message, messagePath, sink);
            facts.LastRole = role;
            bool assistant = role == "assistant";
            bool hasToolCalls = Present(message, "tool_calls", out JsonElement toolCalls);
            bool hasFunctionCall = Present(message, "function_call", out JsonElement functionCall);
            bool callsInsteadOfContent = assistant && (hasToolCalls || hasFunctionCall);
            CheckContent(message, messagePath, role, callsInsteadOfContent, scanSpecialTokens, sink);

            if (Present(message, "name", out JsonElement name)
                && Expect(name, JsonValueKind.String, Child(messagePath, "name"), "a string", sink)
                && !IsValidName(name.GetString()!))
            {
                sink.Error(DatasetIssueCodes.InvalidName,
                    $"The name \"{name.GetString()}\" is not allowed; use 1 to 64 letters, digits, underscores or hyphens.", Child(messagePath, "name"));
            }

            bool trained = assistant;
            if (Present(message, "weight", out JsonElement weight))
            {
                string weightPath = Child(messagePath, "weight");
                if (!assistant)
                {
                    sink.Error(DatasetIssueCodes.FieldNotAllowed, $"Only assistant messages can have a weight; remove it from this {role ?? "message"} message.", weightPath);
                }
                if (weight.ValueKind != JsonValueKind.Number || !weight.TryGetDecimal(out decimal w) || (w != 0 && w != 1))
                {
                    sink.Error(DatasetIssueCodes.InvalidWeight, $"The weight is {Describe(weight)}; it must be 0 (do not train on this message) or 1 (train on it).", weightPath);
                }
                else if (w == 0)
                {
                    trained = false;
                }
            }

            if (hasToolCalls)
            {
                if (!assistant)
                {
                    sink.Error(DatasetIssueCodes.FieldNotAllowed, $"Only assistant messages can make tool calls; remove tool_calls from this {role ?? "message"} message.", Child(messagePath, "tool_calls"));
                }
                CheckToolCalls(toolCalls, Child(messagePath, "tool_calls"), sink, toolCallIds ??= new HashSet<string>(StringComparer.Ordinal));
            }
            if (hasFunctionCall)
            {
                if (!assistant)
                {
                    sink.Error(DatasetIssueCodes.FieldNotAllowed, $"Only assistant messages can have a function_call; remove it from this {role ?? "message"} message.", Child(messagePath, "function_call"));
                }
                CheckFunctionCall(functionCall, Child(messagePath, "function_call"), sink, DatasetIssueCodes.InvalidFunctionCall);
            }
            CheckToolCallId(message, messagePath, role, toolCallIds, sink);

            facts.HasSystem |= role == "system";
            facts.HasUser |= role == "user";
            if (assistant)
            {
                facts.HasAssistant = true;
                facts.AssistantCount++;
                facts.HasTrainedAssistant |= trained;
            }
        }
        return facts;
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
            if (!Present(tool, "type", out JsonElement type) || type.ValueKind != JsonValueKind.String || type.GetString() != "function")
            {
                sink.Error(DatasetIssueCodes.InvalidTool, "A tool needs \"type\": \"function\".", Child(toolPath, "type"));
            }
            if (!Present(tool, "function", out JsonElement function))
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

    private static string? CheckRole(JsonElement message, string messagePath, IssueSink sink)
    {
        string rolePath = Child(messagePath, "role");
        if (!Present(message, "role", out JsonElement roleValue))
        {
            sink.Error(DatasetIssueCodes.MissingRole, "The message has no role; add \"role\": \"system\", \"user\", \"assistant\", \"tool\" or \"function\".", rolePath);
            return null;
        }
        if (!Expect(roleValue, JsonValueKind.String, rolePath, "a string such as \"user\"", sink))
        {
            return null;
        }
        string role = roleValue.GetString()!;
        if (!Roles.Contains(role))
        {
            sink.Error(DatasetIssueCodes.InvalidRole, $"The role \"{role}\" is unknown; use system, user, assistant, tool or function (lower case).", rolePath);
            return null;
        }
        return role;
    }

    private static void CheckContent(JsonElement message, string messagePath, string? role, bool callsInsteadOfContent, bool scanSpecialTokens, IssueSink sink)
    {
        string contentPath = Child(messagePath, "content");
        string missing = role == "assistant"
            ? "The assistant message has no content; add the answer as \"content\" (or tool_calls when the assistant calls a tool)."
            : $"The {role ?? "message"} message has no content; add its text as \"content\".";
        if (!Present(message, "content", out JsonElement content))
        {
            if (!callsInsteadOfContent)
            {
                sink.Error(DatasetIssueCodes.MissingContent, missing, contentPath);
            }
            return;
        }
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                if (content.ValueEquals(string.Empty) && !callsInsteadOfContent)
                {
                    sink.Error(DatasetIssueCodes.MissingContent, missing.Replace("has no content", "has empty content"), contentPath);
                }
                if (scanSpecialTokens)
                {
                    CheckSpecialTokens(content.GetString()!, contentPath, sink);
                }
                return;
            case JsonValueKind.Array:
                if (content.GetArrayLength() == 0 && !callsInsteadOfContent)
                {
                    sink.Error(DatasetIssueCodes.MissingContent, missing.Replace("has no content", "has an empty content array"), contentPath);
                }
                int index = 0;
                foreach (JsonElement part in content.EnumerateArray())
                {
                    CheckContentPart(part, Item(contentPath, index++), role, scanSpecialTokens, sink);
                }
                return;
            default:
                sink.Error(DatasetIssueCodes.WrongType, $"{contentPath} is {KindName(content.ValueKind)}; it must be a string or an array of content parts.", contentPath);
                return;
        }
    }

    private static void CheckContentPart(JsonElement part, string partPath, string? role, bool scanSpecialTokens, IssueSink sink)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            sink.Error(DatasetIssueCodes.InvalidContentPart, $"A content part must be an object like {{\"type\":\"text\",\"text\":\"...\"}}, not {KindName(part.ValueKind)}.", partPath);
            return;
        }
        CheckKeys(part, partPath, ContentPartKeys, sink, "content part");
        string? type = Present(part, "type", out JsonElement typeValue) && typeValue.ValueKind == JsonValueKind.String ? typeValue.GetString() : null;
        switch (type)
        {
            case "text":
                if (!Present(part, "text", out JsonElement text) || text.ValueKind != JsonValueKind.String)
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
                if (!Present(part, "image_url", out JsonElement image) || image.ValueKind != JsonValueKind.Object
                    || !Present(image, "url", out JsonElement url) || url.ValueKind != JsonValueKind.String)
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

    private static void CheckSpecialTokens(string text, string path, IssueSink sink)
    {
        if (FindSpecialToken(text) is string token)
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
            if (Present(call, "id", out JsonElement id) && id.ValueKind == JsonValueKind.String && id.GetString()!.Length > 0)
            {
                ids.Add(id.GetString()!);
            }
            else
            {
                sink.Error(DatasetIssueCodes.InvalidToolCall, "A tool call needs a non-empty string \"id\" (the tool message that answers it repeats it as tool_call_id).", Child(callPath, "id"));
            }
            if (!Present(call, "type", out JsonElement type) || type.ValueKind != JsonValueKind.String || type.GetString() != "function")
            {
                sink.Error(DatasetIssueCodes.InvalidToolCall, "A tool call needs \"type\": \"function\".", Child(callPath, "type"));
            }
            if (!Present(call, "function", out JsonElement function))
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
        if (!Present(call, "name", out JsonElement name) || name.ValueKind != JsonValueKind.String || !IsValidName(name.GetString()!))
        {
            sink.Error(code, "The function call needs a \"name\" of 1 to 64 letters, digits, underscores or hyphens.", Child(path, "name"));
        }
        if (!Present(call, "arguments", out JsonElement arguments) || arguments.ValueKind != JsonValueKind.String)
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
        if (!Present(function, "name", out JsonElement name) || name.ValueKind != JsonValueKind.String || !IsValidName(name.GetString()!))
        {
            sink.Error(code, "The function needs a \"name\" of 1 to 64 letters, digits, underscores or hyphens.", Child(path, "name"));
        }
        if (Present(function, "description", out JsonElement description) && description.ValueKind != JsonValueKind.String)
        {
            sink.Error(code, "The function's \"description\" must be a string.", Child(path, "description"));
        }
        if (Present(function, "parameters", out JsonElement parameters) && parameters.ValueKind != JsonValueKind.Object)
        {
            sink.Error(code, "The function's \"parameters\" must be a JSON schema object such as {\"type\":\"object\",\"properties\":{...}}.", Child(path, "parameters"));
        }
    }

    private static void CheckToolCallId(JsonElement message, string messagePath, string? role, HashSet<string>? toolCallIds, IssueSink sink)
    {
        string idPath = Child(messagePath, "tool_call_id");
        bool present = Present(message, "tool_call_id", out JsonElement id);
        if (present && role != "tool")
        {
            sink.Error(DatasetIssueCodes.FieldNotAllowed, $"Only tool messages have a tool_call_id; remove it from this {role ?? "message"} message.", idPath);
            return;
        }
        if (role != "tool")
        {
            return;
        }
        if (!present)
        {
            sink.Error(DatasetIssueCodes.MissingToolCallId, "The tool message has no tool_call_id; add the id of the assistant's tool call it answers.", idPath);
            return;
        }
        if (!Expect(id, JsonValueKind.String, idPath, "a string", sink))
        {
            return;
        }
        string value = id.GetString()!;
        if (toolCallIds is null || !toolCallIds.Contains(value))
        {
            sink.Error(DatasetIssueCodes.UnknownToolCallId,
                $"The tool message answers the call \"{value}\", but no earlier assistant message made a tool call with that id; fix the id or add the call.", idPath);
        }
    }

    /// <summary>True when <paramref name="name"/> exists and is not null.</summary>
    public static bool Present(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetRawText() : KindName(value.ValueKind);
}
