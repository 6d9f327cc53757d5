using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Identity;
using FineTune.Tests.Service.Fakes;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace FineTune.Tests.Service.Identity;

public sealed class CredentialTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task AppServiceManagedIdentitySendsItsHeaderApiVersionResourceAndClientId()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions
        {
            Provider = ServiceProvider.AzureOpenAI, ApiVersion = null, Identity = new FakeIdentityEndpoint { ClientId = "11111111-2222-3333-4444-555555555555" },
        });
        ManagedIdentityCredential credential = server.Options.Identity!.Credential(server.Root, "11111111-2222-3333-4444-555555555555");

        AccessToken token = await credential.RequestTokenAsync(TokenScopes.CognitiveServices, Http, CancellationToken.None);

        Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(50));
        string query = Assert.Single(server.Options.Identity.Requests);
        Assert.Equal("?api-version=2019-08-01&resource=https%3A%2F%2Fcognitiveservices.azure.com&client_id=11111111-2222-3333-4444-555555555555", query);
        Assert.DoesNotContain(token.Reveal(), token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VirtualMachineIdentityAsksTheInstanceMetadataEndpoint()
    {
        await using LoopbackEndpoint imds = await LoopbackEndpoint.StartAsync(_ => Task.FromResult(Results.Text(
            "{\"access_token\":\"vm-token-value\",\"expires_in\":\"3599\",\"expires_on\":\"4102444800\",\"resource\":\"https://management.azure.com/\",\"token_type\":\"Bearer\"}",
            "application/json")));
        var credential = new ManagedIdentityCredential(null, _ => null, new Uri(imds.Root, "metadata/identity/oauth2/token"), null);

        AccessToken token = await credential.RequestTokenAsync(TokenScopes.ResourceManager(TokenScopes.PublicResourceManager), Http, CancellationToken.None);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(4102444800), token.ExpiresOn);
        var request = Assert.Single(imds.Requests);
        Assert.Equal("/metadata/identity/oauth2/token", request.Path);
        Assert.Equal("?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com", request.Query);
        Assert.Equal("true", request.Headers["Metadata"].ToString());
    }

    [Fact]
    public async Task AServicePrincipalUsesTheClientCredentialsGrant()
    {
        await using LoopbackEndpoint entra = await LoopbackEndpoint.StartAsync(_ => Task.FromResult(Results.Text(
            "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\"sp-token-value\"}", "application/json")));
        var credential = new ClientSecretCredential("contoso.onmicrosoft.com", "app-id-1", "s3cr3t+/=", entra.Root);

        AccessToken token = await credential.RequestTokenAsync(TokenScopes.CognitiveServices, Http, CancellationToken.None);

        Assert.InRange(token.ExpiresOn, DateTimeOffset.UtcNow.AddSeconds(3500), DateTimeOffset.UtcNow.AddSeconds(3600));
        var request = Assert.Single(entra.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/contoso.onmicrosoft.com/oauth2/v2.0/token", request.Path);
        Assert.Equal("grant_type=client_credentials&client_id=app-id-1&client_secret=s3cr3t%2B%2F%3D&scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default", request.Body);
    }

    [Fact]
    public async Task ARefusalExplainsItselfWithoutEchoingSecretsOrTokens()
    {
        await using LoopbackEndpoint entra = await LoopbackEndpoint.StartAsync(_ => Task.FromResult(Results.Text(
            "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided. Last token eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.c2lnbmF0dXJl\"}",
            "application/json", statusCode: 401)));
        var credential = new ClientSecretCredential("tenant-1", "app-id-1", "the-secret", entra.Root);

        FineTuneException error = await Assert.ThrowsAsync<FineTuneException>(() => credential.RequestTokenAsync(TokenScopes.CognitiveServices, Http, CancellationToken.None));

        Assert.Equal(IdentityErrorIds.TokenFailed, error.ErrorId);
        Assert.Contains("AADSTS7000215", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJhbGciOiJub25lIn0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("the-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGivenTokenThatExpiredOrIsForAnotherAudienceSaysWhatToDo()
    {
        string expired = Jwt("https://cognitiveservices.azure.com", DateTimeOffset.UtcNow.AddMinutes(-1));
        string forArm = Jwt("https://management.azure.com/", DateTimeOffset.UtcNow.AddHours(1));

        FineTuneException old = await Assert.ThrowsAsync<FineTuneException>(() => new GivenTokenCredential(expired).RequestTokenAsync(TokenScopes.CognitiveServices, Http, CancellationToken.None));
        FineTuneException wrong = await Assert.ThrowsAsync<FineTuneException>(() => new GivenTokenCredential(forArm).RequestTokenAsync(TokenScopes.CognitiveServices, Http, CancellationToken.None));
        AccessToken right = await new GivenTokenCredential("Bearer " + forArm).RequestTokenAsync(TokenScopes.ResourceManager(TokenScopes.PublicResourceManager), Http, CancellationToken.None);

        Assert.Equal(IdentityErrorIds.TokenUnusable, old.ErrorId);
        Assert.Contains("expired", old.Message, StringComparison.Ordinal);
        Assert.Equal(IdentityErrorIds.TokenUnusable, wrong.ErrorId);
        Assert.Contains("https://cognitiveservices.azure.com", wrong.Message, StringComparison.Ordinal);
        Assert.Equal(forArm, right.Reveal());
    }

    [Fact]
    public async Task TheDefaultChainSkipsWhatIsNotThereAndSaysWhyNothingWorked()
    {
        await using LoopbackEndpoint closed = await LoopbackEndpoint.StartAsync(_ => Task.FromResult(Results.StatusCode(400)));
        Uri imds = new(closed.Root, "metadata/identity/oauth2/token");
        await closed.DisposeAsync();
        var chain = new DefaultCredentialChain(new TokenCredential[] { new ManagedIdentityCredential(null, _ => null, imds, TimeSpan.FromSeconds(2)) });

        FineTuneException error = await Assert.ThrowsAsync<FineTuneException>(() => chain.RequestTokenAsync(TokenScopes.CognitiveServices, Http, CancellationToken.None));

        Assert.Equal(IdentityErrorIds.NoCredential, error.ErrorId);
        Assert.Contains("managed identity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheChainTakesAServicePrincipalFromTheEnvironmentFirst()
    {
        var credentials = DefaultCredentialChain.Build(name => name switch
        {
            "AZURE_TENANT_ID" => "t", "AZURE_CLIENT_ID" => "c", "AZURE_CLIENT_SECRET" => "s", _ => null,
        }, null);

        Assert.Equal(new[] { typeof(ClientSecretCredential), typeof(ManagedIdentityCredential), typeof(AzureCliCredential), typeof(AzurePowerShellCredential) },
            credentials.Select(c => c.GetType()));
        Assert.Null(((ManagedIdentityCredential)credentials[1]).ClientId);
    }

    [Fact]
    public void TheAzureCliOutputIsReadInEitherShape()
    {
        var cli = new AzureCliCredential();

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1893456000),
            cli.Parse("{\"accessToken\":\"abc\",\"expiresOn\":\"2030-01-01 00:00:00.000000\",\"expires_on\":1893456000,\"tokenType\":\"Bearer\"}").ExpiresOn);
        Assert.Equal(new DateTimeOffset(new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Local)),
            cli.Parse("{\"accessToken\":\"abc\",\"expiresOn\":\"2030-01-01 00:00:00.000000\",\"tokenType\":\"Bearer\"}").ExpiresOn);
    }

    internal static string Jwt(string audience, DateTimeOffset expires)
    {
        static string Part(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return Part("{\"alg\":\"none\"}") + "." + Part($"{{\"aud\":\"{audience}\",\"exp\":{expires.ToUnixTimeSeconds()}}}") + ".c2lnbmF0dXJlMTIz";
    }
}
