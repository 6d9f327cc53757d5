using System;
using System.Collections.Generic;
using FineTune.Service.Chat;

namespace FineTune.Evaluation;

/// <summary>
/// One example of a test set, ready to send: the messages before its last assistant message
/// (the prompt) and that assistant message's text (the reference answer).
/// </summary>
public sealed class EvaluationExample
{
    private EvaluationExample(long line, string location, IReadOnlyList<ChatTurn> prompt, string reference, string userMessage)
    {
        Line = line;
        Location = location;
        Prompt = prompt;
        Reference = reference;
        UserMessage = userMessage;
    }

    /// <summary>The line in the test file, or the position of a piped example (1-based).</summary>
    public long Line { get; }

    /// <summary>Where the example comes from, for messages: <c>path:line</c> or <c>example N</c>.</summary>
    public string Location { get; }

    public IReadOnlyList<ChatTurn> Prompt { get; }

    public string Reference { get; }

    /// <summary>The text of the prompt's last user message (empty when it has none).</summary>
    public string UserMessage { get; }

    /// <summary>
    /// Splits a chat example at its last assistant message. An example without one, whose
    /// reference is not text, or whose prompt holds tool or function messages is an error
    /// naming <paramref name="location"/>.
    /// </summary>
    public static EvaluationExample FromChat(ChatExample example, long line, string location)
    {
        if (example is null)
        {
            throw new ArgumentNullException(nameof(example));
        }
        int last = example.Messages.FindLastIndex(m => string.Equals(m.Role, "assistant", StringComparison.Ordinal));
        if (last < 0)
        {
            throw Invalid("NoReference", location, "has no assistant message to use as the reference answer",
                "End each test example with the answer you expect, as an assistant message.");
        }
        string? reference = example.Messages[last].Text;
        if (reference is null)
        {
            throw Invalid("NoReference", location, $"$.messages[{last}] (the last assistant message) has no text: it only calls tools",
                "Compare-FineTuneModel compares text answers; leave tool-calling examples out of the test set.");
        }
        if (last == 0)
        {
            throw Invalid("NoPrompt", location, "has nothing before its assistant message to send",
                "Put the question (a user message) before the expected answer.");
        }
        var prompt = new List<ChatTurn>(last);
        string userMessage = string.Empty;
        for (int i = 0; i < last; i++)
        {
            ChatMessage message = example.Messages[i];
            if (message.Role is not ("system" or "developer" or "user" or "assistant"))
            {
                throw Invalid("UnsupportedMessage", location, $"$.messages[{i}] has the role '{message.Role}'",
                    "Only system, developer, user and assistant messages can be sent; leave tool-calling examples out of the test set.");
            }
            if (message.Text is not { } text)
            {
                throw Invalid("UnsupportedMessage", location, $"$.messages[{i}] has no text content",
                    "Give every message before the reference a text content.");
            }
            prompt.Add(new ChatTurn(message.Role, text));
            if (message.Role == "user")
            {
                userMessage = text;
            }
        }
        return new EvaluationExample(line, location, prompt, reference, userMessage);
    }

    private static FineTuneException Invalid(string code, string location, string problem, string fix) =>
        new("FineTune.Evaluation." + code, FailureKind.InvalidData, $"{location}: the example {problem}.", location, fix);
}
