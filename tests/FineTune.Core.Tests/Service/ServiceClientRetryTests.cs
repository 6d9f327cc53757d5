using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Tests.Service.Fakes;
using Xunit;

namespace FineTune.Tests.Service;

public sealed class ServiceClientRetryTests
{
    [Fact]
    public async Task RateLimitedCallWaitsWhatRetryAfterSaysThenSucceeds()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.Files.Add("a.jsonl", "fine-tune", new byte[] { 1 });
        server.AddFault(Fault.Status(429, new Dictionary<string, string> { ["retry-after"] = "3" }, "Rate limit reached")).For("GET", "/files");
        using ServiceConnection connection = server.Connect();
        var log = new List<string>();

        JsonElement page = await new ServiceClient(connection, log.Add).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None);

        Assert.Equal(1, page.GetProperty("data").GetArrayLength());
        Assert.Equal(new[] { TimeSpan.FromSeconds(3) }, server.RetryDelays.ToArray());
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains(log, line => line.Contains("-> 429", StringComparison.Ordinal) && line.Contains("request id req_1", StringComparison.Ordinal));
        Assert.Contains(log, line => line.StartsWith("Retrying GET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetryAfterMsWinsOverRetryAfter()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Status(503, new Dictionary<string, string> { ["retry-after-ms"] = "250", ["retry-after"] = "9" })).For("GET");
        using ServiceConnection connection = server.Connect();

        await new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None);

        Assert.Equal(new[] { TimeSpan.FromMilliseconds(250) }, server.RetryDelays.ToArray());
    }

    [Fact]
    public async Task RetryAfterAsHttpDateIsMeasuredAgainstTheClock()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        var now = new DateTimeOffset(2026, 11, 21, 7, 0, 0, TimeSpan.Zero);
        server.AddFault(Fault.Status(429, new Dictionary<string, string> { ["retry-after"] = now.AddSeconds(12).ToString("r") })).For("GET");
        using ServiceConnection connection = server.Connect(configure: s => s.RetryTiming.UtcNow = () => now);

        await new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None);

        Assert.Equal(new[] { TimeSpan.FromSeconds(12) }, server.RetryDelays.ToArray());
    }

    [Fact]
    public async Task ServerErrorThenSuccessUsesExponentialBackoff()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Status(500).Repeat(2)).For("GET");
        using ServiceConnection connection = server.Connect();

        await new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None);

        // 0.5 s and 1 s, each reduced by the jitter (0.5 * 25 %).
        Assert.Equal(new[] { TimeSpan.FromSeconds(0.4375), TimeSpan.FromSeconds(0.875) }, server.RetryDelays.ToArray());
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task GivesUpAfterMaxRetriesWithTheServiceError()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Status(500, message: "The server had an error").Repeat(10)).For("GET");
        using ServiceConnection connection = server.Connect(maxRetries: 3);

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None));

        Assert.Equal(ServiceErrorIds.ServerError, error.ErrorId);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal("req_4", error.RequestId);
        Assert.Equal("The server had an error", error.ServiceMessage);
        Assert.Equal("server_error", error.ServiceType);
        Assert.Equal(4, server.Requests.Count);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("3600")]
    [InlineData("soon")]
    public async Task AnUnusableRetryAfterFallsBackToTheBackoff(string retryAfter)
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Status(429, new Dictionary<string, string> { ["retry-after"] = retryAfter })).For("GET");
        using ServiceConnection connection = server.Connect();

        await new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None);

        Assert.Equal(new[] { TimeSpan.FromSeconds(0.4375) }, server.RetryDelays.ToArray());
    }

    [Fact]
    public async Task XShouldRetryFalseStopsARetryableStatus()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Status(503, new Dictionary<string, string> { ["x-should-retry"] = "false" })).For("GET");
        using ServiceConnection connection = server.Connect();

        await Assert.ThrowsAsync<ServiceException>(() => new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task XShouldRetryTrueRetriesAStatusThatIsNormallyFinal()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Status(400, new Dictionary<string, string> { ["x-should-retry"] = "true" })).For("GET");
        using ServiceConnection connection = server.Connect();

        await new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None);

        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task NotFoundIsNotRetriedAndCarriesTheServiceFields()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        using ServiceConnection connection = server.Connect();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() =>
            new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files/file-missing"), CancellationToken.None));

        Assert.Equal(ServiceErrorIds.NotFound, error.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, error.Kind);
        Assert.Equal("id", error.Param);
        Assert.Equal("No such File object: file-missing", error.ServiceMessage);
        Assert.Contains("HTTP 404 from GET", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ListPagesThroughAfterAndHasMoreAndStopsEarlyWithFirst()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        for (int i = 0; i < 7; i++)
        {
            server.Files.Add($"f{i}.jsonl", "fine-tune", new byte[] { (byte)i });
        }
        using ServiceConnection connection = server.Connect();
        var client = new ServiceClient(connection);

        var all = new List<string>();
        await foreach (JsonElement item in client.ListAsync("files", pageSize: 3))
        {
            all.Add(item.GetProperty("filename").GetString()!);
        }
        Assert.Equal(new[] { "f6.jsonl", "f5.jsonl", "f4.jsonl", "f3.jsonl", "f2.jsonl", "f1.jsonl", "f0.jsonl" }, all);
        Assert.Equal(3, server.Requests.Count);
        Assert.EndsWith("after=" + server.Files.All[1].Id, server.Requests[2].QueryString, StringComparison.Ordinal);

        int before = server.Requests.Count;
        var firstFour = new List<string>();
        await foreach (JsonElement item in client.ListAsync("files", first: 4, pageSize: 3))
        {
            firstFour.Add(item.GetProperty("filename").GetString()!);
        }
        Assert.Equal(4, firstFour.Count);
        Assert.Equal(2, server.Requests.Count - before);
    }
}
