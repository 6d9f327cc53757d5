using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Files;
using FineTune.Tests.Service.Fakes;
using Xunit;

namespace FineTune.Tests.Service;

/// <summary>
/// The one response reader against answers that stall, never end, or are not what the operation
/// returns: every body is bounded in time and size, and a 2xx must hold the expected object.
/// </summary>
public sealed class ResponseReadingTests : IDisposable
{
    private const long Gigabyte = 1024L * 1024 * 1024;

    /// <summary>
    /// What the server may get onto the wire beyond what the client reads: socket buffers and
    /// the 64 KiB the net8.0 engine drains to reuse a connection before it closes it instead.
    /// The netstandard2.0 engine's HttpClientHandler cannot be told so: it discards an unread
    /// rest for up to its 2 s drain timeout (memory stays flat, but the bytes flow), so there
    /// only the time is bounded.
    /// </summary>
    private static void AssertStoppedReading(FakeOpenAiServer server, long readUpTo, Stopwatch watch)
    {
#if ENGINE_NETSTANDARD
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
#else
        Assert.True(server.BytesToClient < readUpTo + 32 * 1024 * 1024, $"{server.BytesToClient} bytes taken in, {watch.Elapsed}");
#endif
    }

    private static Task<FakeOpenAiServer> StartCountingAsync() => FakeOpenAiServer.StartAsync(new FakeServerOptions { CountBytesToClient = true });
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AJsonAnswerThatStallsAfterItsHeadersTimesOutLikeAnyAttempt()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.StallBody(200, 20).Repeat(5)).For("GET", "/files");
        using ServiceConnection connection = server.Connect(maxRetries: 1, configure: s => s.Timeout = TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new FilesApi(new ServiceClient(connection)).GetAsync("file-1", CancellationToken.None));

        Assert.Equal(ServiceErrorIds.Timeout, error.ErrorId);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task AnErrorAnswerThatStallsIsReportedWithWhatArrivedInTime()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.StallBody(503, 26)).For("GET", "/files");
        using ServiceConnection connection = server.Connect(maxRetries: 0, configure: s => s.Timeout = TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new FilesApi(new ServiceClient(connection)).GetAsync("file-1", CancellationToken.None));

        Assert.Equal(ServiceErrorIds.ServerError, error.ErrorId);
        Assert.Contains("{\"object\":\"list\",\"data\":[", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task ADownloadThatStallsFailsAfterTheTimeoutOnEachAttemptAndLeavesNothing()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string id = server.Files.Add("results.csv", "fine-tune-results", new byte[5000]).Id;
        server.AddFault(Fault.StallBody(200, 100).Repeat(3)).For("GET", "/content");
        using ServiceConnection connection = server.Connect(maxRetries: 2, configure: s => s.Timeout = TimeSpan.FromSeconds(1));
        string target = _temp.File("results.csv");
        var watch = Stopwatch.StartNew();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() =>
            new FilesApi(new ServiceClient(connection)).DownloadAsync(id, target, null, CancellationToken.None));

        Assert.Equal(ServiceErrorIds.Timeout, error.ErrorId);
        Assert.Contains("no data arrived for 1 s after 100 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count(r => r.Path.EndsWith("/content", StringComparison.Ordinal)));
        // Three attempts of about a second each, not the 45 s a stalled body used to hold each one.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task ADownloadThatStallsOnceIsStartedAgainAndCompletes()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        byte[] content = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        string id = server.Files.Add("results.csv", "fine-tune-results", content).Id;
        server.AddFault(Fault.StallBody(200, 100)).For("GET", "/content");
        using ServiceConnection connection = server.Connect(configure: s => s.Timeout = TimeSpan.FromSeconds(1));
        string target = _temp.File("results.csv");

        long written = await new FilesApi(new ServiceClient(connection)).DownloadAsync(id, target, null, CancellationToken.None);

        Assert.Equal(5000, written);
        Assert.Equal(content, File.ReadAllBytes(target));
    }

    [Fact]
    public async Task AJsonAnswerPastTheCapIsRefusedWithoutReadingOn()
    {
        await using FakeOpenAiServer server = await StartCountingAsync();
        server.AddFault(Fault.HugeBody(200, 3 * Gigabyte)).For("GET", "/files");
        using ServiceConnection connection = server.Connect(maxRetries: 0);
        var watch = Stopwatch.StartNew();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None));

        Assert.Equal(ServiceErrorIds.ResponseTooLarge, error.ErrorId);
        Assert.Equal(FailureKind.LimitsExceeded, error.Kind);
        Assert.Contains("larger than 16 MiB", error.Message, StringComparison.Ordinal);
        AssertStoppedReading(server, ServiceResponse.MaxJsonBytes, watch);
    }

    [Fact]
    public async Task ADownloadWithACapStopsReadingOnceItIsPassedAndWritesNothing()
    {
        await using FakeOpenAiServer server = await StartCountingAsync();
        server.AddFault(Fault.HugeBody(200, 3 * Gigabyte)).For("GET", "/content");
        using ServiceConnection connection = server.Connect(maxRetries: 0);
        string target = _temp.File("result.csv");
        var watch = Stopwatch.StartNew();

        FineTuneException error = await Assert.ThrowsAnyAsync<FineTuneException>(() =>
            new FilesApi(new ServiceClient(connection)).DownloadAsync("file-huge", target, null, CancellationToken.None, maxBytes: 1024 * 1024));

        Assert.Equal(ServiceErrorIds.ResponseTooLarge, error.ErrorId);
        Assert.Equal(FailureKind.LimitsExceeded, error.Kind);
        AssertStoppedReading(server, 1024 * 1024, watch);
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task AnAnnouncedLengthPastTheCapIsRefusedBeforeReading()
    {
        await using FakeOpenAiServer server = await StartCountingAsync();
        server.AddFault(Fault.HugeBody(200, 2 * Gigabyte, announceLength: true)).For("GET", "/files");
        using ServiceConnection connection = server.Connect(maxRetries: 0);
        var watch = Stopwatch.StartNew();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None));

        Assert.Equal(ServiceErrorIds.ResponseTooLarge, error.ErrorId);
        AssertStoppedReading(server, 0, watch);
    }

    [Fact]
    public async Task OfAHugeErrorAnswerOnlyWhatIsShownIsRead()
    {
        await using FakeOpenAiServer server = await StartCountingAsync();
        server.AddFault(Fault.HugeBody(500, Gigabyte)).For("GET", "/files");
        using ServiceConnection connection = server.Connect(maxRetries: 0);
        var watch = Stopwatch.StartNew();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new ServiceClient(connection).SendJsonAsync(ServiceRequest.Get("files"), CancellationToken.None));

        Assert.Equal(ServiceErrorIds.ServerError, error.ErrorId);
        Assert.True(error.Message.Length < 1000, error.Message);
        AssertStoppedReading(server, 16 * 1024, watch);
    }

    [Theory]
    [InlineData("{}", "it has no 'id'")]
    [InlineData("null", "it is null, not an object")]
    [InlineData("[]", "it is an array, not an object")]
    [InlineData("{\"id\":\"\"}", "it has no 'id'")]
    [InlineData("<html><body>Sign in</body></html>", "a body that is not JSON (line 1, byte 1; it says it is text/html)")]
    public async Task ASuccessWithoutTheExpectedObjectIsAnInvalidResponseNamingTheOperation(string body, string problem)
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Answer(200, body, body.StartsWith('<') ? "text/html" : "application/json")).For("GET", "/files/file-7");
        using ServiceConnection connection = server.Connect();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new FilesApi(new ServiceClient(connection)).GetAsync("file-7", CancellationToken.None));

        Assert.Equal(ServiceErrorIds.InvalidResponse, error.ErrorId);
        Assert.Contains("retrieve file file-7 (GET ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(200, error.StatusCode);
        Assert.Equal("file-7", error.Target);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ADeletionAnswerWithoutItsStatusIsNotTakenForAFailedDeletion()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Answer(200, "{}")).For("DELETE");
        using ServiceConnection connection = server.Connect();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => new FilesApi(new ServiceClient(connection)).DeleteAsync("file-7", CancellationToken.None));

        Assert.Equal(ServiceErrorIds.InvalidResponse, error.ErrorId);
        Assert.Contains("delete file file-7", error.Message, StringComparison.Ordinal);
        Assert.Contains("no deletion status: it has no 'deleted' true or false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecretInASuccessfulAnswerIsMaskedBeforeAnyoneReadsIt()
    {
        const string Key = "fake-test-key-Answer4Mask8Me2Qz6Lw";
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { ApiKey = Key });
        string id = server.Files.Add($"notes-{Key}.jsonl", "fine-tune", new byte[] { 1 }).Id;
        using ServiceConnection connection = server.Connect();

        ServiceFile file = await new FilesApi(new ServiceClient(connection)).GetAsync(id, CancellationToken.None);

        Assert.Equal("notes-***.jsonl", file.FileName);
        Assert.Equal(id, file.Id);
    }
}
