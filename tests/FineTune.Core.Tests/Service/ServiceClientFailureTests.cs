using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Tests.Service.Fakes;
using Xunit;

namespace FineTune.Tests.Service;

public sealed class ServiceClientFailureTests
{
    [Fact]
    public async Task ASlowAnswerTimesOutAndIsRetriedThenReported()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Hang().Repeat(5)).For("GET");
        using ServiceConnection connection = server.Connect(maxRetries: 1, configure: s => s.Timeout = TimeSpan.FromMilliseconds(300));

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None));

        Assert.Equal(ServiceErrorIds.Timeout, error.ErrorId);
        Assert.Equal(FailureKind.OperationTimeout, error.Kind);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task CancellationStopsAWaitingRequestAtOnce()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Hang()).For("GET");
        using ServiceConnection connection = server.Connect();
        using var stop = new CancellationTokenSource();
        Task sending = new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), stop.Token);

        // Cancel only once the server holds the request, so it is the request in flight that is stopped.
        var arrival = Stopwatch.StartNew();
        while (server.Requests.Count == 0 && arrival.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }
        Assert.Single(server.Requests);
        var watch = Stopwatch.StartNew();
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        // Well under the connection's 10-minute timeout: the token reached the request itself.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"cancellation took {watch.Elapsed}");
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task CancellationAlsoEndsTheWaitBetweenRetries()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Status(429).Repeat(5)).For("GET");
        using var stop = new CancellationTokenSource();
        using ServiceConnection connection = server.Connect(configure: s => s.RetryTiming.Delay = (delay, token) =>
        {
            stop.Cancel();
            return Task.Delay(delay, token);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), stop.Token));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ACreateWhoseOutcomeIsUnknownIsNotRepeatedWithoutACheck()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Status(502)).For("POST");
        using ServiceConnection connection = server.Connect();
        ServiceRequest create = ServiceRequest.PostJson("uploads", new JsonObject { ["filename"] = "a", ["purpose"] = "fine-tune", ["bytes"] = 1, ["mime_type"] = "text/jsonl" });
        create.NotIdempotent = true;

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new ServiceClient(connection).SendJsonAsync(create, CancellationToken.None));

        Assert.Equal(ServiceErrorIds.OutcomeUnknown, error.ErrorId);
        Assert.Equal(502, error.StatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ACreateAnsweredWithRateLimitIsLookedUpBeforeItIsRepeated()
    {
        // A 429 may come from a proxy after the service acted: the create is repeated only once nothing was found.
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Status(429)).For("POST");
        using ServiceConnection connection = server.Connect();
        ServiceRequest create = ServiceRequest.PostJson("uploads", new JsonObject { ["filename"] = "a", ["purpose"] = "fine-tune", ["bytes"] = 1, ["mime_type"] = "text/jsonl" });
        create.NotIdempotent = true;
        int lookups = 0;
        create.FindExisting = _ =>
        {
            Assert.Single(server.Requests);
            lookups++;
            return Task.FromResult<JsonElement?>(null);
        };

        JsonElement upload = await new ServiceClient(connection).SendJsonAsync(create, CancellationToken.None);

        Assert.Equal("pending", upload.GetProperty("status").GetString());
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(7, lookups);
    }

    [Fact]
    public async Task ACreateTheServiceRefusesOutrightIsNeitherLookedUpNorRepeated()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Status(400, new Dictionary<string, string> { ["x-should-retry"] = "false" }, "Invalid file")).For("POST");
        using ServiceConnection connection = server.Connect();
        ServiceRequest create = ServiceRequest.PostJson("uploads", new JsonObject { ["filename"] = "a", ["purpose"] = "fine-tune", ["bytes"] = 1, ["mime_type"] = "text/jsonl" });
        create.NotIdempotent = true;
        create.FindExisting = _ => throw new InvalidOperationException("a plain refusal created nothing; nothing to look for");

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new ServiceClient(connection).SendJsonAsync(create, CancellationToken.None));

        Assert.Equal(ServiceErrorIds.BadRequest, error.ErrorId);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ARefusedConnectionIsAConnectionError()
    {
        FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        ServiceConnectionSettings settings = server.Settings(maxRetries: 1);
        await server.DisposeAsync();
        using ServiceConnection connection = ServiceConnection.Create(settings);

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None));

        Assert.Equal(ServiceErrorIds.Connection, error.ErrorId);
        Assert.Null(error.StatusCode);
        Assert.Single(server.RetryDelays);
    }

    [Fact]
    public async Task ANonJsonAnswerIsAProtocolError()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions
        {
            Routes = api => Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(api, "/html", () => Microsoft.AspNetCore.Http.Results.Text("<html>", "text/html")),
        });
        using ServiceConnection connection = server.Connect();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("html"), CancellationToken.None));

        Assert.Equal(ServiceErrorIds.InvalidResponse, error.ErrorId);
    }

    [Fact]
    public async Task AWrongKeyIsUnauthorizedWithTheServicesCode()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        using ServiceConnection connection = server.Connect(configure: s => s.ApiKey = new ApiKey("sk-wrong-key-00000000"));

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None));

        Assert.Equal(ServiceErrorIds.Unauthorized, error.ErrorId);
        Assert.Equal("invalid_api_key", error.ServiceCode);
        Assert.Equal(401, error.StatusCode);
        Assert.StartsWith("req_", error.RequestId, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task RetriesAreCountedInAHeaderLikeTheSdks()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Status(500)).For("GET");
        using ServiceConnection connection = server.Connect();

        await new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None);

        Assert.Equal(new[] { "0", "1" }, server.Requests.Select(r => r.Header("x-stainless-retry-count")));
    }
}
