using System;

namespace FineTune;

/// <summary>A model's answer to a chat request: its text, why it stopped, and the tokens used.</summary>
public sealed class ChatReply
{
    public string? Id { get; internal set; }

    /// <summary>The model that answered.</summary>
    public string? Model { get; internal set; }

    public string? Content { get; internal set; }

    /// <summary>The model's refusal text when it declined to answer.</summary>
    public string? Refusal { get; internal set; }

    /// <summary><c>stop</c>, <c>length</c>, <c>content_filter</c>, <c>tool_calls</c> or another reason.</summary>
    public string? FinishReason { get; internal set; }

    public int? PromptTokens { get; internal set; }

    public int? CompletionTokens { get; internal set; }

    public int? TotalTokens { get; internal set; }

    public DateTimeOffset? CreatedAt { get; internal set; }

    public override string ToString() => Content ?? Refusal ?? string.Empty;
}
