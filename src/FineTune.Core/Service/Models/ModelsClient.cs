using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Models;

/// <summary>
/// Deletes fine-tuned models (<c>DELETE /models/{model}</c>). OpenAI answers with a deletion
/// object; Azure-style hosts answer 204 No Content, which is a confirmed deletion too.
/// </summary>
public sealed class ModelsClient
{
    private readonly ServiceClient _client;

    public ModelsClient(ServiceClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    public async Task<ModelDeletion> DeleteAsync(string model, CancellationToken cancellationToken)
    {
        ServiceRequest request = ServiceRequest.Delete("models/" + ServiceRequest.Segment(model));
        request.Target = model;
        request.Operation = "delete model " + model;
        request.Expects = ExpectedAnswer.Deletion;
        using ServiceResponse response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 204 || response.ContentLength == 0)
        {
            return new ModelDeletion { Id = model, Deleted = true };
        }
        JsonElement json = await response.ReadJsonAsync(cancellationToken).ConfigureAwait(false);
        return ModelJson.ReadDeletion(json, model);
    }
}
