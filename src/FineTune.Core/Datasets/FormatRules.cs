using System;
using System.Text.Json;
using static FineTune.Datasets.JsonChecks;

namespace FineTune.Datasets;

/// <summary>
/// The example-level rules of each file format (chat, reinforcement, legacy prompt-completion,
/// preference), and how a line's format is recognized.
/// </summary>
internal static class FormatRules
{
    private static readonly KeySet ChatKeys = new("messages", "tools", "functions", "parallel_tool_calls");
    private static readonly KeySet PromptCompletionKeys = new("prompt", "completion");
    private static readonly KeySet PreferenceKeys = new("input", "preferred_output", "non_preferred_output");
    private static readonly KeySet PreferenceInputKeys = new("messages", "tools", "parallel_tool_calls");

    public static DatasetFormat? DetectFormat(JsonElement root)
    {
        if (root.TryGetProperty("messages"u8, out JsonElement messages))
        {
            return LooksLikeReinforcement(root, messages) ? DatasetFormat.Reinforcement : DatasetFormat.Chat;
        }
        if (root.TryGetProperty("input"u8, out _) && (root.TryGetProperty("preferred_output"u8, out _) || root.TryGetProperty("non_preferred_output"u8, out _)))
        {
            return DatasetFormat.Preference;
        }
        if (root.TryGetProperty("prompt"u8, out _) || root.TryGetProperty("completion"u8, out _))
        {
            return DatasetFormat.PromptCompletion;
        }
        return null;
    }

    /// <summary>Grader fields, for instance: keys a chat example does not have.</summary>
    public static bool HasNonChatKeys(JsonElement root)
    {
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (ChatKeys.IndexOf(property) < 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Reinforcement examples carry grader fields beside the messages and leave the answer to the model.</summary>
    private static bool LooksLikeReinforcement(JsonElement root, JsonElement messages)
    {
        if (!HasNonChatKeys(root) || messages.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (JsonElement message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role"u8, out JsonElement role)
                && role.ValueKind == JsonValueKind.String && role.ValueEquals("assistant"u8))
            {
                return false;
            }
        }
        return true;
    }

    public static string Describe(DatasetFormat format) => format switch
    {
        DatasetFormat.PromptCompletion => "legacy prompt-completion example",
        DatasetFormat.Preference => "preference (DPO) example",
        DatasetFormat.Reinforcement => "reinforcement example (messages without an assistant answer, plus grader fields)",
        _ => "chat example (messages with an assistant answer)",
    };

    public static DatasetFormat Family(DatasetFormat format) => format == DatasetFormat.Reinforcement ? DatasetFormat.Chat : format;

    public static void CheckChat(JsonElement root, IssueSink sink, bool scanSpecialTokens)
    {
        CheckKeys(root, "$", ChatKeys, sink, "example");
        ConversationFacts facts = CheckMessagesField(root, "$.messages", sink, scanSpecialTokens);
        CheckToolDefinitions(root, "$", sink);
        if (Present(root, "functions"u8, out JsonElement functions))
        {
            MessageRules.CheckFunctions(functions, "$.functions", sink);
        }
        CheckConversation(facts, sink);
    }

    /// <summary>The rules of a chat example's conversation as a whole (which roles it has, whether anything is trained).</summary>
    public static void CheckConversation(ConversationFacts facts, IssueSink sink)
    {
        if (facts.Count == 0)
        {
            return;
        }
        if (!facts.HasAssistant)
        {
            sink.Error(DatasetIssueCodes.MissingAssistant, "The example has no assistant message; add the answer the model should learn as {\"role\":\"assistant\",\"content\":\"...\"}.", "$.messages");
        }
        else if (!facts.HasTrainedAssistant)
        {
            sink.Error(DatasetIssueCodes.NoTrainedAssistant, "Every assistant message has weight 0, so nothing is trained; set weight 1 (or remove weight) on at least one.", "$.messages");
        }
        if (!facts.HasSystem)
        {
            sink.Warning(DatasetIssueCodes.MissingSystemMessage, "The example has no system message; consider adding the same system message you will use at inference.", "$.messages");
        }
        if (!facts.HasUser)
        {
            sink.Warning(DatasetIssueCodes.MissingUserMessage, "The example has no user message; add the user's turn the assistant answers.", "$.messages");
        }
    }

    public static void CheckReinforcement(JsonElement root, IssueSink sink, bool scanSpecialTokens)
    {
        // Extra top-level keys are the grader's reference data, so they are not unknown keys.
        ConversationFacts facts = CheckMessagesField(root, "$.messages", sink, scanSpecialTokens);
        CheckToolDefinitions(root, "$", sink);
        if (facts.LastRole == "assistant")
        {
            sink.Error(DatasetIssueCodes.ReinforcementEndsWithAssistant,
                "A reinforcement example must end with the user's turn: the model writes the answer and the grader scores it. Remove the final assistant message (put the expected answer in a grader field).",
                "$.messages");
        }
    }

    public static void CheckPromptCompletion(JsonElement root, IssueSink sink, bool scanSpecialTokens)
    {
        CheckKeys(root, "$", PromptCompletionKeys, sink, "example");
        foreach (string key in new[] { "prompt", "completion" })
        {
            string path = Child("$", key);
            if (!Present(root, key, out JsonElement value))
            {
                sink.Error(DatasetIssueCodes.MissingField, $"The example has no \"{key}\"; legacy examples need both \"prompt\" and \"completion\" strings.", path);
            }
            else if (Expect(value, JsonValueKind.String, path, "a string", sink))
            {
                if (key == "completion" && value.ValueEquals(ReadOnlySpan<byte>.Empty))
                {
                    sink.Error(DatasetIssueCodes.MissingField, "The completion is empty; add the text the model should produce.", path);
                }
                if (scanSpecialTokens)
                {
                    MessageRules.CheckSpecialTokens(value.GetString()!, path, sink);
                }
            }
        }
    }

    public static void CheckPreference(JsonElement root, IssueSink sink, bool scanSpecialTokens)
    {
        CheckKeys(root, "$", PreferenceKeys, sink, "example");
        if (!Present(root, "input"u8, out JsonElement input))
        {
            sink.Error(DatasetIssueCodes.MissingField, "The example has no \"input\"; add {\"messages\": [...]} with the conversation before the answer.", "$.input");
        }
        else if (Expect(input, JsonValueKind.Object, "$.input", "an object with \"messages\"", sink))
        {
            CheckKeys(input, "$.input", PreferenceInputKeys, sink, "input");
            ConversationFacts facts = CheckMessagesField(input, "$.input.messages", sink, scanSpecialTokens);
            CheckToolDefinitions(input, "$.input", sink);
            if (facts.Count > 0 && !facts.HasUser)
            {
                sink.Warning(DatasetIssueCodes.MissingUserMessage, "The input has no user message; add the user's turn both answers reply to.", "$.input.messages");
            }
        }
        foreach (string key in new[] { "preferred_output", "non_preferred_output" })
        {
            string path = Child("$", key);
            if (!Present(root, key, out JsonElement output))
            {
                sink.Error(DatasetIssueCodes.MissingField, $"The example has no \"{key}\"; add [{{\"role\":\"assistant\",\"content\":\"...\"}}].", path);
                continue;
            }
            ConversationFacts facts = MessageRules.CheckMessages(output, path, sink, scanSpecialTokens);
            if (output.ValueKind == JsonValueKind.Array && (facts.Count != 1 || facts.AssistantCount != 1))
            {
                sink.Error(DatasetIssueCodes.InvalidPreferenceOutput,
                    $"\"{key}\" has {facts.Count} message{(facts.Count == 1 ? string.Empty : "s")}; it must hold exactly one assistant message.", path);
            }
        }
    }

    private static ConversationFacts CheckMessagesField(JsonElement owner, string path, IssueSink sink, bool scanSpecialTokens)
    {
        if (!Present(owner, "messages"u8, out JsonElement messages))
        {
            sink.Error(DatasetIssueCodes.MissingField, "There is no \"messages\" array; add the conversation as [{\"role\":\"user\",\"content\":\"...\"}, ...].", path);
            return new ConversationFacts();
        }
        if (messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() == 0)
        {
            sink.Error(DatasetIssueCodes.EmptyMessages, "The messages array is empty; add the conversation.", path);
            return new ConversationFacts();
        }
        return MessageRules.CheckMessages(messages, path, sink, scanSpecialTokens);
    }

    private static void CheckToolDefinitions(JsonElement owner, string ownerPath, IssueSink sink)
    {
        if (Present(owner, "tools"u8, out JsonElement tools))
        {
            MessageRules.CheckTools(tools, Child(ownerPath, "tools"), sink);
        }
        if (owner.TryGetProperty("parallel_tool_calls"u8, out JsonElement parallel) && parallel.ValueKind != JsonValueKind.Null)
        {
            Expect(parallel, JsonValueKind.True, Child(ownerPath, "parallel_tool_calls"), "true or false", sink);
        }
    }
}
