using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FineTune.Tests.Service.Fakes;

/// <summary>
/// Deterministic stand-ins for chat models, answering a <c>/chat/completions</c> body by the
/// model's name alone (shared by the Kestrel fake of the tests and the benchmark's server):
/// <list type="bullet">
/// <item>a fine-tuned name (<c>ft:...</c> or <c>....ft-...</c>) answers from <see cref="Memory"/>
/// (question to answer, as if it had learnt its training set), three in four exactly and the
/// fourth with only its first sentence, and echoes questions it does not know;</item>
/// <item>any model asked as a judge (the user message is the judge's JSON, with answer_a and
/// answer_b) picks the answer that contains the reference, TIE when both or neither do; a
/// model whose name contains <c>biased</c> always picks A;</item>
/// <item>any other name is a base model that answers generically: <c>Please contact the IT
/// help desk about: {question}</c>.</item>
/// </list>
/// Token usage counts words, so it is the same on every run.
/// </summary>
public static class FakeChatModels
{
    public static JsonObject Complete(JsonObject body, string? deployment, IReadOnlyDictionary<string, string>? memory)
    {
        string model = deployment ?? (string?)body["model"] ?? string.Empty;
        JsonArray messages = body["messages"]!.AsArray();
        string question = messages.LastOrDefault(m => (string?)m!["role"] == "user")?["content"]?.GetValue<string>() ?? string.Empty;
        string answer = Answer(model, question, messages, memory);
        int promptTokens = messages.Sum(m => Words((string?)m!["content"])) + 3 * messages.Count + 3;
        int completionTokens = Words(answer);
        return new JsonObject
        {
            ["id"] = "chatcmpl-" + (uint)StableHash(model + "\n" + question),
            ["object"] = "chat.completion",
            ["created"] = 1_741_570_283,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens },
        };
    }

    /// <summary>The memory of a fine-tuned fake: each chat example's last user message to its last assistant message.</summary>
    public static Dictionary<string, string> MemoryFrom(IEnumerable<string> jsonLines)
    {
        var memory = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in jsonLines.Where(l => l.Trim().Length > 0))
        {
            JsonArray messages = JsonNode.Parse(line)!["messages"]!.AsArray();
            string? question = messages.LastOrDefault(m => (string?)m!["role"] == "user")?["content"]?.GetValue<string>();
            string? answer = messages.LastOrDefault(m => (string?)m!["role"] == "assistant")?["content"]?.GetValue<string>();
            if (question is not null && answer is not null)
            {
                memory[question] = answer;
            }
        }
        return memory;
    }

    private static string Answer(string model, string question, JsonArray messages, IReadOnlyDictionary<string, string>? memory)
    {
        if (JudgeRequest(question) is { } asked)
        {
            return model.Contains("biased", StringComparison.OrdinalIgnoreCase) ? "A: it comes first." : Judge(asked);
        }
        if (model.StartsWith("ft:", StringComparison.OrdinalIgnoreCase) || model.Contains(".ft-", StringComparison.OrdinalIgnoreCase))
        {
            if (memory is not null && memory.TryGetValue(question, out string? learnt))
            {
                if ((StableHash(question) >> 16) % 4 != 0) // the high bits: FNV's low bits hardly mix
                {
                    return learnt;
                }
                int end = learnt.IndexOf(". ", StringComparison.Ordinal);
                return end > 0 ? learnt.Substring(0, end + 1) : "I think: " + learnt;
            }
            return "Echo: " + question;
        }
        return "Please contact the IT help desk about: " + question;
    }

    private static JsonObject? JudgeRequest(string message)
    {
        if (!message.TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(message) is JsonObject asked && asked.ContainsKey("answer_a") && asked.ContainsKey("answer_b") ? asked : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Judge(JsonObject asked)
    {
        string reference = ((string?)asked["reference"] ?? string.Empty).Trim();
        bool a = ((string?)asked["answer_a"] ?? string.Empty).Contains(reference, StringComparison.OrdinalIgnoreCase);
        bool b = ((string?)asked["answer_b"] ?? string.Empty).Contains(reference, StringComparison.OrdinalIgnoreCase);
        return a == b
            ? (a ? "TIE: both give the reference answer." : "TIE: neither gives the reference answer.")
            : (a ? "A: it gives the reference answer." : "B: it gives the reference answer.");
    }

    private static int Words(string? text) => text is null ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>FNV-1a over UTF-16 code units: the same on every run and platform (string.GetHashCode is not).</summary>
    private static int StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }
        return (int)(hash & 0x7fffffff);
    }
}
