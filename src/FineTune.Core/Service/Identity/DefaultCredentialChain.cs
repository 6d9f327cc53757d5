using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Identity;

/// <summary>
/// The usual order for signing in without being told how: a service principal from
/// <c>AZURE_TENANT_ID</c>, <c>AZURE_CLIENT_ID</c> and <c>AZURE_CLIENT_SECRET</c>; the managed identity
/// (a user-assigned one when <c>AZURE_CLIENT_ID</c> is set alone); the Azure CLI; Az.Accounts. A
/// way that does not exist here is skipped; the first that gives a token is used from then on.
/// A way that exists but is refused (a wrong secret) ends the search: trying others would hide the problem.
/// </summary>
public sealed class DefaultCredentialChain : TokenCredential
{
    /// <summary>How long the instance metadata endpoint may take to answer before the chain moves on.</summary>
    internal static readonly TimeSpan ImdsProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<TokenCredential> _credentials;
    private TokenCredential? _chosen;

    public DefaultCredentialChain()
        : this(Build(Environment.GetEnvironmentVariable, null))
    {
    }

    internal DefaultCredentialChain(IReadOnlyList<TokenCredential> credentials) => _credentials = credentials;

    public override string Description => Volatile.Read(ref _chosen) is { } chosen
        ? "the default chain, signed in as " + chosen.Description
        : "the default chain (environment, managed identity, Azure CLI, Az.Accounts)";

    internal override string? Secret => Volatile.Read(ref _chosen)?.Secret;

    /// <summary>The credentials the chain tries, in order, for these environment variables.</summary>
    internal static IReadOnlyList<TokenCredential> Build(Func<string, string?> environment, Uri? imdsEndpoint)
    {
        string? Env(string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;
        var credentials = new List<TokenCredential>();
        string? tenant = Env("AZURE_TENANT_ID");
        string? client = Env("AZURE_CLIENT_ID");
        string? secret = Env("AZURE_CLIENT_SECRET");
        if (tenant is not null && client is not null && secret is not null)
        {
            credentials.Add(new ClientSecretCredential(tenant, client, secret, ClientSecretCredential.AuthorityHostFromEnvironment(environment)));
        }
        credentials.Add(new ManagedIdentityCredential(secret is null ? client : null, environment, imdsEndpoint, ImdsProbeTimeout));
        credentials.Add(new AzureCliCredential());
        credentials.Add(new AzurePowerShellCredential());
        return credentials;
    }

    internal override async Task<AccessToken> RequestTokenAsync(string scope, HttpClient http, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _chosen) is { } chosen)
        {
            return await chosen.RequestTokenAsync(scope, http, cancellationToken).ConfigureAwait(false);
        }
        var reasons = new List<string>();
        foreach (TokenCredential credential in _credentials)
        {
            try
            {
                AccessToken token = await credential.RequestTokenAsync(scope, http, cancellationToken).ConfigureAwait(false);
                Interlocked.CompareExchange(ref _chosen, credential, null);
                return token;
            }
            catch (FineTuneException ex) when (ex.ErrorId == IdentityErrorIds.Unavailable)
            {
                reasons.Add(ex.Message);
            }
        }
        throw new FineTuneException(IdentityErrorIds.NoCredential, FailureKind.AuthenticationError,
            "No way of signing in to Azure worked. " + string.Join(" ", reasons), "Credential",
            "Connect with -ApiKey, -Identity, -TenantId with -ClientSecretCredential, or -AccessToken; or sign in with az login or Connect-AzAccount.");
    }
}
