using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Chat;

/// <summary>
/// Sends a conversation to a model (<c>POST /chat/completions</c>). On Azure OpenAI the model
/// is a deployment name: the v1 API takes it in the body like OpenAI, the dated API in the path
/// (<c>deployments/{model}/chat/completions</c>).
/// </summary>
public sealed class ChatClient
{
    private readonly ServiceClient _client;

    public ChatClient(ServiceClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    public Task<ChatReply> CompleteAsync(string model, IReadOnlyList<ChatTurn> messages, double? temperature, int? maxCompletionTokens, CancellationToken cancellationToken) =>
        CompleteAsync(model, messages, temperature, maxCompletionTokens, seed: null, cancellationToken);

    /// <summary>As above, with a <c>seed</c> that asks the service for repeatable sampling (best effort on its side).</summary>
    public async Task<ChatReply> CompleteAsync(string model, IReadOnlyList<ChatTurn> messages, double? temperature, int? maxCompletionTokens, long? seed, CancellationToken cancellationToken)
    {
        byte[] body = ChatRequest.Write(model, messages, temperature, maxCompletionTokens, seed);
        string path = _client.Connection.Provider == ServiceProvider.AzureOpenAI && !_client.Connection.UsesV1Api
            ? "deployments/" + ServiceRequest.Segment(model) + "/chat/completions"
            : "chat/completions";
        var request = new ServiceRequest(HttpMethod.Post, path)
        {
            Content = () => ServiceRequest.JsonContent(body),
            Target = model,
            Operation = "chat with " + model,
            Expects = ExpectedAnswer.ChatCompletion,
        };
        JsonElement json = await _client.SendJsonAsync(request, cancellationToken).ConfigureAwait(false);
        return ChatJson.ReadReply(json);
    }
}
