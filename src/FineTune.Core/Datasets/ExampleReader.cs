using System;
using System.Collections.Generic;
using System.Text.Json;

namespace FineTune.Datasets;

/// <summary>
/// Maps parsed JSON to the typed example model. Lenient about what it does not need, strict
/// about shape: a value of the wrong type is a <see cref="FineTuneException"/> naming its JSON
/// path. (<see cref="DatasetValidator"/> reports every rule; this only builds objects.)
/// </summary>
public static class ExampleReader
{
    /// <summary>Detects the format of <paramref name="root"/> and reads it.</summary>
    public static FineTuneExample Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("$", "is not a JSON object");
        }
        if (root.TryGetProperty("input", out _) && (root.TryGetProperty("preferred_output", out _) || root.TryGetProperty("non_preferred_output", out _)))
        {
            return ReadPreference(root);
        }
        if (!root.TryGetProperty("messages", out _) && (root.TryGetProperty("prompt", out _) || root.TryGetProperty("completion", out _)))
        {
            return ReadPromptCompletion(root);
        }
        return ReadChat(root);
    }

    public static ChatExample ReadChat(JsonElement root)
    {
        var example = new ChatExample { Messages = ReadMessages(Required(root, "messages", "$"), "$.messages") };
        if (Optional(root, "tools") is JsonElement tools)
        {
            example.Tools = ReadList(tools, "$.tools", ReadTool);
        }
        if (Optional(root, "functions") is JsonElement functions)
        {
            example.Functions = ReadList(functions, "$.functions", ReadFunctionDefinition);
        }
        if (Optional(root, "parallel_tool_calls") is JsonElement parallel)
        {
            example.ParallelToolCalls = ReadBool(parallel, "$.parallel_tool_calls");
        }
        return example;
    }

    public static PromptCompletionExample ReadPromptCompletion(JsonElement root) =>
        new(ReadString(Required(root, "prompt", "$"), "$.prompt"), ReadString(Required(root, "completion", "$"), "$.completion"));

    public static PreferenceExample ReadPreference(JsonElement root)
    {
        JsonElement input = Required(root, "input", "$");
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("$.input", "must be an object with \"messages\"");
        }
        var example = new PreferenceExample
        {
            Input = new PreferenceInput { Messages = ReadMessages(Required(input, "messages", "$.input"), "$.input.messages") },
            PreferredOutput = ReadMessages(Required(root, "preferred_output", "$"), "$.preferred_output"),
            NonPreferredOutput = ReadMessages(Required(root, "non_preferred_output", "$"), "$.non_preferred_output"),
        };
        if (Optional(input, "tools") is JsonElement tools)
        {
            example.Input.Tools = ReadList(tools, "$.input.tools", ReadTool);
        }
        if (Optional(input, "parallel_tool_calls") is JsonElement parallel)
        {
            example.Input.ParallelToolCalls = ReadBool(parallel, "$.input.parallel_tool_calls");
        }
        return example;
    }

    public static List<ChatMessage> ReadMessages(JsonElement messages, string path) => ReadList(messages, path, ReadMessage);

    public static ChatMessage ReadMessage(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object with \"role\" and \"content\"");
        }
        var message = new ChatMessage { Role = ReadString(Required(element, "role", path), path + ".role") };
        if (Optional(element, "content") is JsonElement content)
        {
            message.Content = content.ValueKind switch
            {
                JsonValueKind.String => content.GetString(),
                JsonValueKind.Array => ReadList(content, path + ".content", ReadContentPart),
                _ => throw Invalid(path + ".content", "must be a string or an array of content parts"),
            };
        }
        if (Optional(element, "name") is JsonElement name)
        {
            message.Name = ReadString(name, path + ".name");
        }
        if (Optional(element, "weight") is JsonElement weight)
        {
            if (weight.ValueKind != JsonValueKind.Number || !weight.TryGetInt32(out int w))
            {
                throw Invalid(path + ".weight", "must be 0 or 1");
            }
            message.Weight = w;
        }
        if (Optional(element, "tool_calls") is JsonElement toolCalls)
        {
            message.ToolCalls = ReadList(toolCalls, path + ".tool_calls", ReadToolCall);
        }
        if (Optional(element, "tool_call_id") is JsonElement toolCallId)
        {
            message.ToolCallId = ReadString(toolCallId, path + ".tool_call_id");
        }
        if (Optional(element, "function_call") is JsonElement functionCall)
        {
            message.FunctionCall = ReadFunctionCall(functionCall, path + ".function_call");
        }
        return message;
    }

    /// <summary>A JSON value as the neutral model of <see cref="JsonValueParser"/>.</summary>
    public static object? ToValue(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObjectValue();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    obj.Add(property.Name, ToValue(property.Value));
                }
                return obj;
            case JsonValueKind.Array:
                var list = new List<object?>();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    list.Add(ToValue(item));
                }
                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return JsonValueParser.ConvertNumber(System.Text.Encoding.UTF8.GetBytes(element.GetRawText()));
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private static ContentPart ReadContentPart(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object such as {\"type\":\"text\",\"text\":\"...\"}");
        }
        var part = new ContentPart { Type = ReadString(Required(element, "type", path), path + ".type") };
        if (Optional(element, "text") is JsonElement text)
        {
            part.Text = ReadString(text, path + ".text");
        }
        if (Optional(element, "image_url") is JsonElement image)
        {
            if (image.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path + ".image_url", "must be an object with \"url\"");
            }
            part.ImageUrl = new ImageUrl { Url = ReadString(Required(image, "url", path + ".image_url"), path + ".image_url.url") };
            if (Optional(image, "detail") is JsonElement detail)
            {
                part.ImageUrl.Detail = ReadString(detail, path + ".image_url.detail");
            }
        }
        return part;
    }

    private static ToolCall ReadToolCall(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object with \"id\", \"type\" and \"function\"");
        }
        var call = new ToolCall
        {
            Id = ReadString(Required(element, "id", path), path + ".id"),
            Function = ReadFunctionCall(Required(element, "function", path), path + ".function"),
        };
        if (Optional(element, "type") is JsonElement type)
        {
            call.Type = ReadString(type, path + ".type");
        }
        return call;
    }

    private static FunctionCall ReadFunctionCall(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object with \"name\" and \"arguments\"");
        }
        var call = new FunctionCall { Name = ReadString(Required(element, "name", path), path + ".name") };
        if (Optional(element, "arguments") is JsonElement arguments)
        {
            call.Arguments = ReadString(arguments, path + ".arguments");
        }
        return call;
    }

    private static ChatTool ReadTool(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object such as {\"type\":\"function\",\"function\":{...}}");
        }
        var tool = new ChatTool { Function = ReadFunctionDefinition(Required(element, "function", path), path + ".function") };
        if (Optional(element, "type") is JsonElement type)
        {
            tool.Type = ReadString(type, path + ".type");
        }
        return tool;
    }

    private static FunctionDefinition ReadFunctionDefinition(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object with \"name\"");
        }
        var function = new FunctionDefinition { Name = ReadString(Required(element, "name", path), path + ".name") };
        if (Optional(element, "description") is JsonElement description)
        {
            function.Description = ReadString(description, path + ".description");
        }
        if (Optional(element, "parameters") is JsonElement parameters)
        {
            function.Parameters = ToValue(parameters);
        }
        return function;
    }

    private static List<T> ReadList<T>(JsonElement array, string path, Func<JsonElement, string, T> read)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "must be an array");
        }
        var list = new List<T>(array.GetArrayLength());
        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            list.Add(read(item, JsonChecks.Item(path, index++)));
        }
        return list;
    }

    private static JsonElement Required(JsonElement obj, string name, string path) =>
        JsonChecks.Present(obj, name, out JsonElement value) ? value : throw Invalid(JsonChecks.Child(path, name), "is missing");

    private static JsonElement? Optional(JsonElement obj, string name) => JsonChecks.Present(obj, name, out JsonElement value) ? value : null;

    private static string ReadString(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Invalid(path, "must be a string");

    private static bool ReadBool(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid(path, "must be true or false"),
    };

    private static FineTuneException Invalid(string path, string problem) =>
        new("FineTune.Dataset.InvalidExample", FailureKind.InvalidData, $"{path} {problem}.", path,
            "Fix the value; Test-FineTuneDataset lists every problem of a file.");
}
