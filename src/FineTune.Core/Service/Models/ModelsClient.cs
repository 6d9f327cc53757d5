using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Models;

/// <summary>Deletes fine-tuned models (<c>DELETE /models/{model}</c>).</summary>
public sealed class ModelsClient
{
    private readonly ServiceClient _client;

    public ModelsClient(ServiceClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    public async Task<ModelDeletion> DeleteAsync(string model, CancellationToken cancellationToken)
    {
        ServiceRequest request = ServiceRequest.Delete("models/" + ServiceRequest.Segment(model));
        request.Target = model;
        JsonElement json = await _client.SendJsonAsync(request, cancellationToken).ConfigureAwait(false);
        return ModelJson.ReadDeletion(json, model);
    }
}
