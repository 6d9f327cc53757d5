using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using FineTune.Service.Chat;
using FineTune.Service.Models;
using Xunit;

namespace FineTune.Tests.Service.Chat;

public class ChatJsonTests
{
    [Fact]
    public void WritesTheConversation()
    {
        byte[] body = ChatRequest.Write("ft:gpt-4o-mini:org::abc", new List<ChatTurn> { new("system", "Be brief."), new("user", "Hi \"there\"") }, 0.2, 50);
        Assert.Equal(
            """{"model":"ft:gpt-4o-mini:org::abc","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi \u0022there\u0022"}],"temperature":0.2,"max_completion_tokens":50}""",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void RefusesAnUnknownRoleAndAnEmptyConversation()
    {
        Assert.Equal("FineTune.Chat.InvalidMessages",
            Assert.Throws<FineTuneException>(() => ChatRequest.Write("m", new List<ChatTurn> { new("robot", "x") }, null, null)).ErrorId);
        Assert.Equal("FineTune.Chat.InvalidMessage",
            Assert.Throws<FineTuneException>(() => ChatRequest.Write("m", new List<ChatTurn>(), null, null)).ErrorId);
    }

    [Fact]
    public void ReadsTheFirstChoiceAndTheUsage()
    {
        using JsonDocument json = JsonDocument.Parse("""
            {"id":"chatcmpl-1","object":"chat.completion","created":1741570283,"model":"ft:gpt-4o-mini:org::abc",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Restart the VPN client.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":19,"completion_tokens":6,"total_tokens":25,"completion_tokens_details":{"reasoning_tokens":0}},"service_tier":"default"}
            """);
        ChatReply reply = ChatJson.ReadReply(json.RootElement);
        Assert.Equal("chatcmpl-1", reply.Id);
        Assert.Equal("ft:gpt-4o-mini:org::abc", reply.Model);
        Assert.Equal("Restart the VPN client.", reply.Content);
        Assert.Null(reply.Refusal);
        Assert.Equal("stop", reply.FinishReason);
        Assert.Equal(19, reply.PromptTokens);
        Assert.Equal(6, reply.CompletionTokens);
        Assert.Equal(25, reply.TotalTokens);
        Assert.Equal("Restart the VPN client.", reply.ToString());
    }

    [Fact]
    public void ReadsAModelDeletion()
    {
        using JsonDocument json = JsonDocument.Parse("""{"id":"ft:gpt-4o-mini:acemeco:suffix:abc123","object":"model","deleted":true}""");
        ModelDeletion deletion = ModelJson.ReadDeletion(json.RootElement, "x");
        Assert.Equal("ft:gpt-4o-mini:acemeco:suffix:abc123", deletion.Id);
        Assert.True(deletion.Deleted);
    }
}
