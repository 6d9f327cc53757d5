using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace FineTune.Service.Chat;

/// <summary>Writes the <c>POST /chat/completions</c> body for a plain text conversation.</summary>
internal static class ChatRequest
{
    private static readonly string[] Roles = { "system", "developer", "user", "assistant" };

    public static byte[] Write(string model, IReadOnlyList<ChatTurn> messages, double? temperature, int? maxCompletionTokens, long? seed = null)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw Invalid("Model", "The model to chat with is missing.", "Pass -Model, for example the FineTunedModel of a job.");
        }
        if (messages.Count == 0)
        {
            throw Invalid("Message", "There is no message to send.", "Pass -Message, or -Messages with at least one message.");
        }
        for (int i = 0; i < messages.Count; i++)
        {
            if (!Roles.Contains(messages[i].Role, StringComparer.Ordinal))
            {
                throw Invalid("Messages", $"Message {i + 1} has the role '{messages[i].Role}'.", "Use one of: " + string.Join(", ", Roles) + ".");
            }
        }
        if (temperature is { } t && (t < 0 || t > 2))
        {
            throw Invalid("Temperature", $"Temperature {t} is out of range.", "Use a number from 0 to 2.");
        }
        if (maxCompletionTokens is { } max && max < 1)
        {
            throw Invalid("MaxCompletionTokens", $"Max completion tokens {max} must be at least 1.", "Use a positive number, or omit it.");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            writer.WriteStartArray("messages");
            foreach (ChatTurn turn in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", turn.Role);
                writer.WriteString("content", turn.Content);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (temperature is { } temp)
            {
                writer.WriteNumber("temperature", temp);
            }
            if (maxCompletionTokens is { } tokens)
            {
                writer.WriteNumber("max_completion_tokens", tokens);
            }
            if (seed is { } seedValue)
            {
                writer.WriteNumber("seed", seedValue);
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static FineTuneException Invalid(string field, string message, string fix) =>
        new("FineTune.Chat.Invalid" + field, FailureKind.InvalidArgument, message, field, fix);
}
