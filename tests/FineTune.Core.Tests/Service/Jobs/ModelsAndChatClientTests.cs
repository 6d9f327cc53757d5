using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Chat;
using FineTune.Service.Models;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

public sealed class ModelsAndChatClientTests
{
    [Fact]
    public async Task DeletesAFineTunedModel()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();

        ModelDeletion deletion = await new ModelsClient(f.Client).DeleteAsync("ft:gpt-4o-mini:org:helpdesk:abc", CancellationToken.None);

        Assert.True(deletion.Deleted);
        Assert.Equal("ft:gpt-4o-mini:org:helpdesk:abc", deletion.Id);
        Assert.Equal(new[] { "ft:gpt-4o-mini:org:helpdesk:abc" }, f.Jobs.DeletedModels);
        Assert.Equal("DELETE /v1/models/ft:gpt-4o-mini:org:helpdesk:abc", f.Server.Requests.Single().ToString()); // the path as the server decoded it
    }

    [Fact]
    public async Task ANoContentAnswerIsAConfirmedDeletion()
    {
        await using JobsFixture f = await JobsFixture.StartAsync(ServiceProvider.AzureOpenAI);
        f.Jobs.DeleteAnswersNoContent = true;

        ModelDeletion deletion = await new ModelsClient(f.Client).DeleteAsync("gpt-4o-mini-2024-07-18.ft-abc", CancellationToken.None);

        Assert.True(deletion.Deleted);
        Assert.Equal("gpt-4o-mini-2024-07-18.ft-abc", deletion.Id);
        Assert.Equal($"DELETE /openai/models/gpt-4o-mini-2024-07-18.ft-abc?api-version={ServiceConnectionSettings.DatedAzureApiVersion}", f.Server.Requests.Single().ToString());
    }

    [Fact]
    public async Task ChatsWithAModel()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();

        ChatReply reply = await new ChatClient(f.Client).CompleteAsync("ft:gpt-4o-mini:org::abc",
            new List<ChatTurn> { new("system", "You answer IT questions."), new("user", "My VPN drops.") }, null, null, CancellationToken.None);

        Assert.Equal("Echo: My VPN drops.", reply.Content);
        Assert.Equal("stop", reply.FinishReason);
        Assert.Equal(16, reply.TotalTokens);
        Assert.Equal("POST /v1/chat/completions", f.Server.Requests.Single().ToString());
        Assert.Equal("system", (string)f.Jobs.ChatBodies.Single()["messages"]![0]!["role"]!);
    }

    [Fact]
    public async Task OnAzureTheModelIsTheDeploymentInThePath()
    {
        await using JobsFixture f = await JobsFixture.StartAsync(ServiceProvider.AzureOpenAI);

        ChatReply reply = await new ChatClient(f.Client).CompleteAsync("helpdesk-ft", new List<ChatTurn> { new("user", "Hi") }, 0.0, 20, CancellationToken.None);

        Assert.Equal("helpdesk-ft", reply.Model);
        Assert.Equal($"POST /openai/deployments/helpdesk-ft/chat/completions?api-version={ServiceConnectionSettings.DatedAzureApiVersion}", f.Server.Requests.Single().ToString());
        Assert.Equal(FineTune.Tests.Service.Fakes.FakeOpenAiServer.DefaultApiKey, f.Server.Requests.Single().Header("api-key"));
    }
}
