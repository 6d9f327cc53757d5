using System.Text.Json;
using FineTune.Service.Jobs;

namespace FineTune.Service.Chat;

/// <summary>Reads a chat completion: the first choice's text and reason, and the token usage.</summary>
internal static class ChatJson
{
    public static ChatReply ReadReply(JsonElement json)
    {
        var reply = new ChatReply
        {
            Id = json.GetStringOrNull("id"),
            Model = json.GetStringOrNull("model"),
            CreatedAt = JsonValues.UnixTime(json, "created"),
        };
        if (json.Property("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0)
        {
            JsonElement first = choices[0];
            reply.FinishReason = first.GetStringOrNull("finish_reason");
            if (first.Property("message") is { } message)
            {
                reply.Content = message.Property("content") is { ValueKind: JsonValueKind.String } content ? content.GetString() : null;
                reply.Refusal = message.Property("refusal") is { ValueKind: JsonValueKind.String } refusal ? refusal.GetString() : null;
            }
        }
        if (json.Property("usage") is { } usage)
        {
            reply.PromptTokens = JsonValues.Int(usage, "prompt_tokens");
            reply.CompletionTokens = JsonValues.Int(usage, "completion_tokens");
            reply.TotalTokens = JsonValues.Int(usage, "total_tokens");
        }
        return reply;
    }
}
