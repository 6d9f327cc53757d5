using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Tests.Service.Fakes;
using Xunit;

namespace FineTune.Tests.Service;

public sealed class ServiceConnectionTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = new Dictionary<string, string>();
        foreach ((string name, string value) in variables)
        {
            map[name] = value;
        }
        return name => map.TryGetValue(name, out string? value) ? value : null;
    }

    [Fact]
    public void OpenAIDefaultsComeFromTheEnvironment()
    {
        ServiceConnectionSettings settings = new ServiceConnectionSettings().WithEnvironmentDefaults(Env(
            ("OPENAI_API_KEY", "sk-env"), ("OPENAI_ORG_ID", "org-1"), ("OPENAI_PROJECT_ID", "proj_1")));
        using ServiceConnection connection = ServiceConnection.Create(settings);

        Assert.Equal(ServiceProvider.OpenAI, connection.Provider);
        Assert.Equal(new Uri("https://api.openai.com/v1"), connection.BaseUri);
        Assert.Equal("org-1", connection.Organization);
        Assert.Equal("proj_1", connection.Project);
        Assert.Null(connection.ApiVersion);
        Assert.Equal(2, connection.MaxRetries);
    }

    [Fact]
    public void OpenAIBaseUrlFromTheEnvironmentKeepsItsVersionSegment()
    {
        ServiceConnectionSettings settings = new ServiceConnectionSettings { Provider = ServiceProvider.Compatible }
            .WithEnvironmentDefaults(Env(("OPENAI_API_KEY", "sk-unit-test-key-0000"), ("OPENAI_BASE_URL", "https://llm.example.com/api/v2/")));
        using ServiceConnection connection = ServiceConnection.Create(settings);

        Assert.Equal("https://llm.example.com/api/v2/files?purpose=fine-tune",
            new ServiceClient(connection).BuildUri(ServiceRequest.Get("files").WithQuery("purpose", "fine-tune")).AbsoluteUri);
    }

    [Fact]
    public void AzureIsChosenWhenOnlyAzureVariablesAreSet()
    {
        ServiceConnectionSettings settings = new ServiceConnectionSettings().WithEnvironmentDefaults(Env(
            ("AZURE_OPENAI_API_KEY", "azkey"), ("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com/")));
        using ServiceConnection connection = ServiceConnection.Create(settings);

        Assert.Equal(ServiceProvider.AzureOpenAI, connection.Provider);
        Assert.Null(connection.ApiVersion);
        Assert.True(connection.UsesV1Api);
        Assert.Equal("https://res.openai.azure.com/openai/v1/fine_tuning/jobs?limit=5",
            new ServiceClient(connection).BuildUri(ServiceRequest.Get("fine_tuning/jobs").WithQuery("limit", "5")).AbsoluteUri);
    }

    [Theory]
    [InlineData("https://res.openai.azure.com", null)]
    [InlineData("https://res.openai.azure.com/openai", "v1")]
    [InlineData("https://res.openai.azure.com/openai/v1/", null)]
    [InlineData("https://res.services.ai.azure.com/", "V1")]
    public void AzureSpeaksTheV1ApiUnlessADatedVersionIsGiven(string endpoint, string? apiVersion)
    {
        using ServiceConnection connection = ServiceConnection.Create(new ServiceConnectionSettings
        {
            Provider = ServiceProvider.AzureOpenAI, BaseUri = new Uri(endpoint), ApiKey = new ApiKey("sk-unit-test-key-0000"), ApiVersion = apiVersion,
        });

        string host = new Uri(endpoint).Host;
        Assert.Equal($"https://{host}/openai/v1/files/file-1", new ServiceClient(connection).BuildUri(ServiceRequest.Get("files/file-1")).AbsoluteUri);
        Assert.Contains("v1 API", connection.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ADatedApiVersionSelectsTheDatedSurface()
    {
        using ServiceConnection connection = ServiceConnection.Create(new ServiceConnectionSettings
        {
            Provider = ServiceProvider.AzureOpenAI, BaseUri = new Uri("https://res.openai.azure.com/openai/v1"), ApiKey = new ApiKey("sk-unit-test-key-0000"), ApiVersion = "2024-10-21",
        });

        Assert.False(connection.UsesV1Api);
        Assert.Equal("https://res.openai.azure.com/openai/files?api-version=2024-10-21", new ServiceClient(connection).BuildUri(ServiceRequest.Get("files")).AbsoluteUri);
    }

    [Fact]
    public void AzureWithoutKeyOrCredentialSignsInThroughTheDefaultChain()
    {
        ServiceConnectionSettings settings = new ServiceConnectionSettings { Provider = ServiceProvider.AzureOpenAI }
            .WithEnvironmentDefaults(Env(("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com/")));
        using ServiceConnection connection = ServiceConnection.Create(settings);

        Assert.StartsWith("the default chain", connection.SignIn, StringComparison.Ordinal);
        Assert.True(connection.IsEquivalentTo(ServiceConnection.Create(settings)));
    }

    [Fact]
    public void EntraSignInIsRefusedForOpenAI()
    {
        FineTuneException error = Assert.Throws<FineTuneException>(() => ServiceConnection.Create(new ServiceConnectionSettings
        {
            Provider = ServiceProvider.OpenAI, Credential = new FineTune.Service.Identity.ManagedIdentityCredential(),
        }));

        Assert.Equal(ServiceErrorIds.InvalidConnection, error.ErrorId);
    }

    [Fact]
    public void AzureApiVersionComesFromOpenAIApiVersion()
    {
        ServiceConnectionSettings settings = new ServiceConnectionSettings { Provider = ServiceProvider.AzureOpenAI }.WithEnvironmentDefaults(Env(
            ("AZURE_OPENAI_API_KEY", "azkey"), ("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com/openai"), ("OPENAI_API_VERSION", "2024-10-21")));
        using ServiceConnection connection = ServiceConnection.Create(settings);

        Assert.Equal("https://res.openai.azure.com/openai/files?api-version=2024-10-21",
            new ServiceClient(connection).BuildUri(ServiceRequest.Get("files")).AbsoluteUri);
    }

    [Fact]
    public void AMissingKeyNamesTheVariableToSet()
    {
        FineTuneException error = Assert.Throws<FineTuneException>(() =>
            ServiceConnection.Create(new ServiceConnectionSettings().WithEnvironmentDefaults(Env())));

        Assert.Equal(ServiceErrorIds.NotConnected, error.ErrorId);
        Assert.Contains("OPENAI_API_KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACompatibleConnectionNeedsABaseUri()
    {
        FineTuneException error = Assert.Throws<FineTuneException>(() =>
            ServiceConnection.Create(new ServiceConnectionSettings { Provider = ServiceProvider.Compatible, ApiKey = new ApiKey("sk-unit-test-key-0000") }));

        Assert.Equal(ServiceErrorIds.InvalidConnection, error.ErrorId);
    }

    [Theory]
    [InlineData("http://example.com/v1")]
    [InlineData("http://10.0.0.5:8080/v1")]
    public void PlainHttpToAnotherHostIsRefused(string uri)
    {
        var settings = new ServiceConnectionSettings { Provider = ServiceProvider.Compatible, BaseUri = new Uri(uri), ApiKey = new ApiKey("sk-unit-test-key-0000") };

        FineTuneException error = Assert.Throws<FineTuneException>(() => ServiceConnection.Create(settings));
        Assert.Equal(ServiceErrorIds.InsecureHttp, error.ErrorId);

        settings.AllowInsecureHttp = true;
        using ServiceConnection allowed = ServiceConnection.Create(settings);
        Assert.Equal(new Uri(uri), allowed.BaseUri);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4010")]
    [InlineData("http://localhost:8080/v1")]
    [InlineData("http://[::1]:9000/v1")]
    [InlineData("http://127.8.9.10/v1")]
    public void PlainHttpToLoopbackIsAllowed(string uri)
    {
        using ServiceConnection connection = ServiceConnection.Create(new ServiceConnectionSettings { Provider = ServiceProvider.Compatible, BaseUri = new Uri(uri), ApiKey = new ApiKey("sk-unit-test-key-0000") });

        Assert.Equal(new Uri(uri), connection.BaseUri);
    }

    [Fact]
    public async Task OpenAIRequestsCarryBearerOrganizationAndProjectHeaders()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        using ServiceConnection connection = server.Connect(configure: s => { s.Organization = "org-42"; s.Project = "proj_7"; });

        await new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/v1/files", request.Path);
        Assert.Equal("Bearer " + FakeOpenAiServer.DefaultApiKey, request.Header("Authorization"));
        Assert.Equal("org-42", request.Header("OpenAI-Organization"));
        Assert.Equal("proj_7", request.Header("OpenAI-Project"));
        Assert.Null(request.Header("api-key"));
    }

    [Fact]
    public async Task AzureRequestsCarryTheApiKeyHeaderAndApiVersion()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { Provider = ServiceProvider.AzureOpenAI });
        using ServiceConnection connection = server.Connect();

        await new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files").WithQuery("purpose", "fine-tune"), CancellationToken.None);

        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/openai/files", request.Path);
        Assert.Equal($"?api-version={ServiceConnectionSettings.DatedAzureApiVersion}&purpose=fine-tune", request.QueryString);
        Assert.Equal(FakeOpenAiServer.DefaultApiKey, request.Header("api-key"));
        Assert.Null(request.Header("Authorization"));
        Assert.Null(request.Header("OpenAI-Organization"));
    }

    [Fact]
    public async Task AClosedConnectionSaysSoInsteadOfCrashing()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        ServiceConnection connection = server.Connect();
        connection.Dispose();

        FineTuneException error = await Assert.ThrowsAsync<FineTuneException>(() => new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None));

        Assert.Equal(ServiceErrorIds.NotConnected, error.ErrorId);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void NeitherTheConnectionNorTheKeyShowTheKey()
    {
        using ServiceConnection connection = ServiceConnection.Create(new ServiceConnectionSettings { ApiKey = new ApiKey("sk-secret-value-123456") });

        Assert.DoesNotContain("secret", connection.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", new ApiKey("sk-secret-value-123456").ToString(), StringComparison.Ordinal);
        foreach (var property in typeof(ServiceConnection).GetProperties())
        {
            Assert.DoesNotContain("secret", property.GetValue(connection)?.ToString() ?? string.Empty, StringComparison.Ordinal);
        }
    }
}
