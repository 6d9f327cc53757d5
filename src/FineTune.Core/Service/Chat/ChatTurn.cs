using System;

namespace FineTune.Service.Chat;

/// <summary>One message of a conversation sent to a model: a role and its text.</summary>
public sealed class ChatTurn
{
    public ChatTurn(string role, string content)
    {
        Role = role ?? throw new ArgumentNullException(nameof(role));
        Content = content ?? throw new ArgumentNullException(nameof(content));
    }

    /// <summary><c>system</c>, <c>developer</c>, <c>user</c> or <c>assistant</c>.</summary>
    public string Role { get; }

    public string Content { get; }
}
