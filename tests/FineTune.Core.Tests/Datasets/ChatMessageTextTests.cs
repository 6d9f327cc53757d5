using System.Collections.Generic;
using Xunit;

namespace FineTune.Core.Tests.Datasets;

public sealed class ChatMessageTextTests
{
    [Fact]
    public void A_message_reads_as_role_and_text()
    {
        Assert.Equal("user: How do I reset my password?", new ChatMessage { Role = "user", Content = "How do I reset my password?" }.ToString());
        Assert.Equal("user: ab", new ChatMessage { Role = "user", Content = new List<ContentPart> { new() { Type = "text", Text = "a" }, new() { Type = "text", Text = "b" } } }.ToString());
    }

    [Fact]
    public void A_message_without_text_reads_as_the_calls_it_makes()
    {
        var message = new ChatMessage
        {
            Role = "assistant",
            ToolCalls = new List<ToolCall> { new() { Id = "c1", Function = new FunctionCall { Name = "lookup" } }, new() { Id = "c2", Function = new FunctionCall { Name = "reset" } } },
        };
        Assert.Equal("assistant: calls lookup, reset", message.ToString());
        Assert.Equal("assistant: calls old", new ChatMessage { Role = "assistant", FunctionCall = new FunctionCall { Name = "old" } }.ToString());
    }
}
