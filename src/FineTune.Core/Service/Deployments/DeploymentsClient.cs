using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service.Identity;

namespace FineTune.Service.Deployments;

/// <summary>
/// Deployments of models in an Azure OpenAI resource, through Azure Resource Manager
/// (<c>Microsoft.CognitiveServices/accounts/{account}/deployments/{name}</c>, api-version
/// 2025-06-01): create or update (PUT), get, list, delete. Signed with a Resource Manager token
/// from the connection's own sign-in. The account is given, or found by listing the accounts
/// the identity can see and matching the connection's endpoint.
/// </summary>
public sealed class DeploymentsClient
{
    /// <summary>The stable Microsoft.CognitiveServices version whose specification the requests follow.</summary>
    public const string ApiVersion = "2025-06-01";

    /// <summary>Microsoft.Resources, for listing subscriptions when none is named.</summary>
    internal const string SubscriptionsApiVersion = "2022-12-01";

    private readonly ServiceClient _client;
    private AzureAccount? _account;

    public DeploymentsClient(ServiceClient client, AzureAccount? account = null, Uri? resourceManagerUri = null, string? subscriptionId = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        if (resourceManagerUri is { } arm && arm.Scheme != Uri.UriSchemeHttps && !ServiceConnection.IsLoopback(arm))
        {
            throw new FineTuneException("FineTune.Deployment.InvalidAccount", FailureKind.InvalidArgument,
                $"The Resource Manager address '{arm}' is not https.", arm.ToString(), "Pass the cloud's https:// Resource Manager address.");
        }
        if (client.Connection.Provider != ServiceProvider.AzureOpenAI)
        {
            throw new FineTuneException("FineTune.Deployment.NotAzure", FailureKind.InvalidOperation,
                $"Deployments are an Azure OpenAI feature; this connection is to {client.Connection.Provider}.", client.Connection.Provider,
                "Connect with -Provider AzureOpenAI. On OpenAI a fine-tuned model answers without being deployed.");
        }
        _account = account;
        ResourceManagerUri = resourceManagerUri ?? client.Connection.ResourceManagerUri;
        SubscriptionId = subscriptionId;
    }

    /// <summary>
    /// The client for an account given in parts, as the deployment cmdlets take them: the
    /// subscription (else AZURE_SUBSCRIPTION_ID) alone narrows the search for the account of the
    /// connected endpoint; with the resource group and account name it names the account.
    /// </summary>
    public static DeploymentsClient ForAccount(ServiceClient client, string? subscriptionId, string? resourceGroupName, string? accountName, Uri? resourceManagerUri)
    {
        string? subscription = subscriptionId ?? (Environment.GetEnvironmentVariable("AZURE_SUBSCRIPTION_ID") is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
        AzureAccount? account = null;
        if (resourceGroupName is not null || accountName is not null)
        {
            if (subscription is null || resourceGroupName is null || accountName is null)
            {
                throw new FineTuneException("FineTune.Deployment.InvalidAccount", FailureKind.InvalidArgument,
                    "-ResourceGroupName and -AccountName name the account together with -SubscriptionId (or AZURE_SUBSCRIPTION_ID).", "AccountName",
                    "Pass all three, or none to find the account from the connected endpoint.");
            }
            account = new AzureAccount(subscription, resourceGroupName, accountName);
        }
        return new DeploymentsClient(client, account, resourceManagerUri, subscription);
    }

    public Uri ResourceManagerUri { get; }

    /// <summary>Narrows the search for the account to this subscription.</summary>
    public string? SubscriptionId { get; }

    /// <summary>The account deployments are made in: the given one, or the one whose endpoint is the connection's.</summary>
    public async Task<AzureAccount> ResolveAccountAsync(CancellationToken cancellationToken)
    {
        if (_account is not null)
        {
            return _account;
        }
        string host = _client.Connection.BaseUri.Host;
        var subscriptions = new List<string>();
        if (SubscriptionId is { Length: > 0 } given)
        {
            subscriptions.Add(given);
        }
        else
        {
            await foreach (JsonElement subscription in ListAsync("subscriptions", SubscriptionsApiVersion, cancellationToken).ConfigureAwait(false))
            {
                if (subscription.GetStringOrNull("subscriptionId") is { } id)
                {
                    subscriptions.Add(id);
                }
            }
        }
        foreach (string subscription in subscriptions)
        {
            string path = "subscriptions/" + ServiceRequest.Segment(subscription) + "/providers/Microsoft.CognitiveServices/accounts";
            await foreach (JsonElement account in ListAsync(path, ApiVersion, cancellationToken).ConfigureAwait(false))
            {
                if (ServesHost(account, host) && AzureAccount.FromResourceId(account.GetStringOrNull("id")) is { } found)
                {
                    _client.Log($"The endpoint {host} belongs to the account {found}.");
                    return _account = found;
                }
            }
        }
        throw new FineTuneException("FineTune.Deployment.AccountNotFound", FailureKind.ObjectNotFound,
            $"No Azure OpenAI account with the endpoint {host} is visible to {_client.Connection.SignIn} in {(subscriptions.Count == 0 ? "any subscription" : string.Join(", ", subscriptions))}.", host,
            "Pass -SubscriptionId, -ResourceGroupName and -AccountName, and check that the identity has a role on the account (for example Cognitive Services OpenAI Contributor).");
    }

    /// <summary>Creates (or updates) a deployment; returns Azure's first answer, usually still <c>Creating</c>.</summary>
    public async Task<Deployment> CreateAsync(string name, string model, DeploymentSku sku, int capacity, CancellationToken cancellationToken)
    {
        AzureAccount account = await ResolveAccountAsync(cancellationToken).ConfigureAwait(false);
        byte[] body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["sku"] = new JsonObject { ["name"] = sku.ToString(), ["capacity"] = capacity },
            ["properties"] = new JsonObject
            {
                ["model"] = new JsonObject { ["format"] = "OpenAI", ["name"] = model, ["version"] = "1" },
            },
        }.ToJsonString());
        // A PUT of the same deployment is idempotent, so a lost answer can simply be repeated.
        ServiceRequest request = Arm(new ServiceRequest(HttpMethod.Put, DeploymentPath(account, name)), name);
        request.Content = () => ServiceRequest.JsonContent(body);
        return Read(await _client.SendJsonAsync(request, cancellationToken).ConfigureAwait(false), account);
    }

    public async Task<Deployment> GetAsync(string name, CancellationToken cancellationToken)
    {
        AzureAccount account = await ResolveAccountAsync(cancellationToken).ConfigureAwait(false);
        return Read(await _client.SendJsonAsync(Arm(ServiceRequest.Get(DeploymentPath(account, name)), name), cancellationToken).ConfigureAwait(false), account);
    }

    public async IAsyncEnumerable<Deployment> ListDeploymentsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AzureAccount account = await ResolveAccountAsync(cancellationToken).ConfigureAwait(false);
        await foreach (JsonElement item in ListAsync(account.Path + "/deployments", ApiVersion, cancellationToken).ConfigureAwait(false))
        {
            yield return Read(item, account);
        }
    }

    /// <summary>Polls until the deployment has succeeded; a failed or cancelled one is a FineTune.Deployment.Failed error.</summary>
    public async Task<Deployment> WaitAsync(string name, TimeSpan pollInterval, TimeSpan timeout, Action<Deployment>? onProgress, CancellationToken cancellationToken)
    {
        DateTimeOffset deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            Deployment deployment = await GetAsync(name, cancellationToken).ConfigureAwait(false);
            onProgress?.Invoke(deployment);
            switch (deployment.ProvisioningState)
            {
                case "Succeeded":
                    return deployment;
                case "Failed":
                case "Canceled":
                case "Disabled":
                    throw new FineTuneException("FineTune.Deployment.Failed", FailureKind.InvalidOperation,
                        $"The deployment '{name}' of {deployment.Model} ended '{deployment.ProvisioningState}'.", name,
                        "Check the model id, the SKU's quota in the account's region (Azure portal, Quotas), and try again.");
            }
            if (DateTimeOffset.UtcNow + pollInterval > deadline)
            {
                throw new FineTuneException("FineTune.Deployment.WaitTimeout", FailureKind.OperationTimeout,
                    $"The deployment '{name}' is still '{deployment.ProvisioningState}' after {timeout.TotalMinutes:0.#} min.", name,
                    "Azure keeps provisioning it: check again with Get-FineTuneDeployment, or wait with a longer -Timeout.");
            }
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes a deployment; true when it existed. Azure may finish the deletion after answering.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        AzureAccount account = await ResolveAccountAsync(cancellationToken).ConfigureAwait(false);
        using ServiceResponse response = await _client.SendAsync(Arm(ServiceRequest.Delete(DeploymentPath(account, name)), name), cancellationToken).ConfigureAwait(false);
        return response.StatusCode != 204;
    }

    /// <summary>Polls until the deployment no longer exists.</summary>
    public async Task WaitUntilGoneAsync(string name, TimeSpan pollInterval, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTimeOffset deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            try
            {
                await GetAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceException ex) when (ex.StatusCode == 404)
            {
                return;
            }
            if (DateTimeOffset.UtcNow + pollInterval > deadline)
            {
                throw new FineTuneException("FineTune.Deployment.WaitTimeout", FailureKind.OperationTimeout,
                    $"The deployment '{name}' still exists {timeout.TotalMinutes:0.#} min after it was deleted.", name, "Check again later with Get-FineTuneDeployment.");
            }
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The deployments that serve <paramref name="model"/>.</summary>
    public async Task<IReadOnlyList<Deployment>> FindUsingModelAsync(string model, CancellationToken cancellationToken)
    {
        var found = new List<Deployment>();
        await foreach (Deployment deployment in ListDeploymentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(deployment.Model, model, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(deployment);
            }
        }
        return found;
    }

    private ServiceRequest Arm(ServiceRequest request, object? target)
    {
        request.BaseAddress = ResourceManagerUri;
        request.TokenScope = TokenScopes.ResourceManager(ResourceManagerUri);
        request.Target = target;
        return request.WithQuery("api-version", ApiVersion);
    }

    /// <summary>The items of a Resource Manager list (<c>value</c>), following <c>nextLink</c> on the same host.</summary>
    private async IAsyncEnumerable<JsonElement> ListAsync(string path, string apiVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ServiceRequest? request = Arm(ServiceRequest.Get(path), path);
        request.Query.Clear();
        request.WithQuery("api-version", apiVersion);
        for (int page = 0; request is not null && page < 1000; page++)
        {
            JsonElement answer = await _client.SendJsonAsync(request, cancellationToken).ConfigureAwait(false);
            if (answer.Property("value") is { ValueKind: JsonValueKind.Array } items)
            {
                foreach (JsonElement item in items.EnumerateArray())
                {
                    yield return item;
                }
            }
            request = NextPage(answer.GetStringOrNull("nextLink"));
        }
    }

    private ServiceRequest? NextPage(string? nextLink)
    {
        if (nextLink is null || !Uri.TryCreate(nextLink, UriKind.Absolute, out Uri? next)
            || !string.Equals(next.GetLeftPart(UriPartial.Authority), ResourceManagerUri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            return null; // never send a token to a host other than Resource Manager
        }
        ServiceRequest request = Arm(ServiceRequest.Get(next.AbsolutePath.TrimStart('/')), next.AbsolutePath);
        request.Query.Clear();
        foreach (string pair in next.Query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=');
            request.WithQuery(Uri.UnescapeDataString(equals < 0 ? pair : pair.Substring(0, equals)), equals < 0 ? "" : Uri.UnescapeDataString(pair.Substring(equals + 1)));
        }
        return request;
    }

    private static bool ServesHost(JsonElement account, string host)
    {
        JsonElement properties = account.Property("properties") ?? default;
        if (SameHost(properties.GetStringOrNull("endpoint"), host))
        {
            return true;
        }
        if (properties.Property("endpoints") is { ValueKind: JsonValueKind.Object } endpoints)
        {
            foreach (JsonProperty endpoint in endpoints.EnumerateObject())
            {
                if (endpoint.Value.ValueKind == JsonValueKind.String && SameHost(endpoint.Value.GetString(), host))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static bool SameHost(string? url, string host) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && string.Equals(uri.Host, host, StringComparison.OrdinalIgnoreCase);

    private static string DeploymentPath(AzureAccount account, string name) => account.Path + "/deployments/" + ServiceRequest.Segment(name);

    private static Deployment Read(JsonElement json, AzureAccount account)
    {
        JsonElement properties = json.Property("properties") ?? default;
        JsonElement model = properties.Property("model") ?? default;
        JsonElement sku = json.Property("sku") ?? default;
        JsonElement system = json.Property("systemData") ?? default;
        return new Deployment
        {
            Name = json.GetStringOrNull("name") ?? string.Empty,
            Id = json.GetStringOrNull("id"),
            Model = model.GetStringOrNull("name"),
            ModelVersion = model.GetStringOrNull("version"),
            Sku = sku.GetStringOrNull("name"),
            Capacity = sku.GetInt64OrNull("capacity") is long capacity ? (int)Math.Min(capacity, int.MaxValue) : null,
            ProvisioningState = properties.GetStringOrNull("provisioningState"),
            CreatedAt = system.GetStringOrNull("createdAt") is { } created && DateTimeOffset.TryParse(created, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at : null,
            AccountName = account.AccountName,
        };
    }
}
