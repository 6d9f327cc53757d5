using System.Collections.Generic;
using FineTune.Datasets;

namespace FineTune;

/// <summary>One message of a conversation, in the service's wire shape.</summary>
public sealed class ChatMessage : IWireObject
{
    public ChatMessage()
    {
    }

    public ChatMessage(string role, string? content)
    {
        Role = role;
        Content = content;
    }

    /// <summary><c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c> or <c>function</c>.</summary>
    public string Role { get; set; } = string.Empty;

    /// <summary>A string, or a list of <see cref="ContentPart"/>; null when an assistant message only calls tools.</summary>
    public object? Content { get; set; }

    public string? Name { get; set; }

    /// <summary>0 or 1 on assistant messages: whether the model is trained on this message.</summary>
    public int? Weight { get; set; }

    public List<ToolCall>? ToolCalls { get; set; }

    public string? ToolCallId { get; set; }

    public FunctionCall? FunctionCall { get; set; }

    /// <summary>The content as text: the string, or the text parts joined.</summary>
    public string? Text => Content switch
    {
        string s => s,
        IEnumerable<ContentPart> parts => string.Concat(System.Linq.Enumerable.Select(parts, p => p.Text ?? string.Empty)),
        _ => null,
    };

    /// <summary><c>role: text</c>, or the calls it makes; how a message reads in a list of messages.</summary>
    public override string ToString()
    {
        string said = Text
            ?? (ToolCalls is { Count: > 0 } calls ? "calls " + string.Join(", ", System.Linq.Enumerable.Select(calls, c => c.Function?.Name)) : null)
            ?? (FunctionCall is { } call ? "calls " + call.Name : string.Empty);
        return $"{Role}: {said}";
    }

    IEnumerable<KeyValuePair<string, object?>> IWireObject.GetWireProperties()
    {
        var properties = new List<KeyValuePair<string, object?>>(4);
        Wire.Add(properties, "role", Role);
        Wire.Add(properties, "content", Content);
        Wire.Add(properties, "name", Name);
        Wire.Add(properties, "weight", Weight);
        Wire.Add(properties, "tool_calls", ToolCalls);
        Wire.Add(properties, "tool_call_id", ToolCallId);
        Wire.Add(properties, "function_call", FunctionCall);
        return properties;
    }
}

/// <summary>One part of a multi-part message content: text or an image.</summary>
public sealed class ContentPart : IWireObject
{
    /// <summary><c>text</c> or <c>image_url</c>.</summary>
    public string Type { get; set; } = "text";

    public string? Text { get; set; }

    public ImageUrl? ImageUrl { get; set; }

    IEnumerable<KeyValuePair<string, object?>> IWireObject.GetWireProperties()
    {
        var properties = new List<KeyValuePair<string, object?>>(2);
        Wire.Add(properties, "type", Type);
        Wire.Add(properties, "text", Text);
        Wire.Add(properties, "image_url", ImageUrl);
        return properties;
    }
}

/// <summary>The image of an <c>image_url</c> content part: an https or data URL, and the detail level.</summary>
public sealed class ImageUrl : IWireObject
{
    public string Url { get; set; } = string.Empty;

    /// <summary><c>auto</c>, <c>low</c> or <c>high</c>, or null.</summary>
    public string? Detail { get; set; }

    IEnumerable<KeyValuePair<string, object?>> IWireObject.GetWireProperties()
    {
        var properties = new List<KeyValuePair<string, object?>>(2);
        Wire.Add(properties, "url", Url);
        Wire.Add(properties, "detail", Detail);
        return properties;
    }
}

/// <summary>A tool call made by an assistant message.</summary>
public sealed class ToolCall : IWireObject
{
    public string Id { get; set; } = string.Empty;

    public string Type { get; set; } = "function";

    public FunctionCall Function { get; set; } = new();

    IEnumerable<KeyValuePair<string, object?>> IWireObject.GetWireProperties()
    {
        var properties = new List<KeyValuePair<string, object?>>(3);
        Wire.Add(properties, "id", Id);
        Wire.Add(properties, "type", Type);
        Wire.Add(properties, "function", Function);
        return properties;
    }
}

/// <summary>A function call: its name and its arguments as a JSON string.</summary>
public sealed class FunctionCall : IWireObject
{
    public string Name { get; set; } = string.Empty;

    /// <summary>The arguments, a JSON object serialized as a string (as the service sends them).</summary>
    public string Arguments { get; set; } = "{}";

    IEnumerable<KeyValuePair<string, object?>> IWireObject.GetWireProperties()
    {
        var properties = new List<KeyValuePair<string, object?>>(2);
        Wire.Add(properties, "name", Name);
        Wire.Add(properties, "arguments", Arguments);
        return properties;
    }
}

/// <summary>A tool the model may call: <c>{"type":"function","function":{...}}</c>.</summary>
public sealed class ChatTool : IWireObject
{
    public string Type { get; set; } = "function";

    public FunctionDefinition Function { get; set; } = new();

    IEnumerable<KeyValuePair<string, object?>> IWireObject.GetWireProperties()
    {
        var properties = new List<KeyValuePair<string, object?>>(2);
        Wire.Add(properties, "type", Type);
        Wire.Add(properties, "function", Function);
        return properties;
    }
}

/// <summary>A function definition: name, description and JSON-schema parameters.</summary>
public sealed class FunctionDefinition : IWireObject
{
    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    /// <summary>The JSON schema of the arguments, as parsed JSON (a <c>JsonObjectValue</c>), or null.</summary>
    public object? Parameters { get; set; }

    IEnumerable<KeyValuePair<string, object?>> IWireObject.GetWireProperties()
    {
        var properties = new List<KeyValuePair<string, object?>>(3);
        Wire.Add(properties, "name", Name);
        Wire.Add(properties, "description", Description);
        Wire.Add(properties, "parameters", Parameters);
        return properties;
    }
}
