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
        ServiceResponse response;
        try
        {
            response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceException ex) when (_client.Connection.Provider == ServiceProvider.AzureOpenAI && ex.StatusCode is 400 or 409)
        {
            throw await DeployedModelErrorAsync(model, ex, cancellationToken).ConfigureAwait(false) ?? ex;
        }
        using (response)
        {
            return await ReadAsync(response, model, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Azure refuses to delete a fine-tuned model while a deployment uses it: the error then names
    /// the deployments to remove first. Null when none uses it or they cannot be listed.
    /// </summary>
    private async Task<FineTuneException?> DeployedModelErrorAsync(string model, ServiceException refusal, CancellationToken cancellationToken)
    {
        try
        {
            var deployments = await new Deployments.DeploymentsClient(_client).FindUsingModelAsync(model, cancellationToken).ConfigureAwait(false);
            if (deployments.Count == 0)
            {
                return null;
            }
            string names = string.Join(", ", System.Linq.Enumerable.Select(deployments, d => d.Name));
            return new FineTuneException("FineTune.Model.Deployed", FailureKind.InvalidOperation,
                $"{model} cannot be deleted while deployed: the deployment(s) {names} use it. ({refusal.Message})", model,
                $"Remove the deployment(s) first: Remove-FineTuneDeployment -Name {names}; then delete the model again.", refusal);
        }
        catch (FineTuneException lookup)
        {
            _client.Log($"Could not list the deployments to see whether one uses {model}: {lookup.Message}");
            return null;
        }
    }

    private static async Task<ModelDeletion> ReadAsync(ServiceResponse response, string model, CancellationToken cancellationToken)
    {
        if (response.StatusCode == 204 || response.ContentLength == 0)
        {
            return new ModelDeletion { Id = model, Deleted = true };
        }
        JsonElement json = await response.ReadJsonAsync(cancellationToken).ConfigureAwait(false);
        return ModelJson.ReadDeletion(json, model);
    }
}
