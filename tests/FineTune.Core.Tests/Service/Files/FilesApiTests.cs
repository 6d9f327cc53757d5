using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Files;
using FineTune.Tests.Service.Fakes;
using Xunit;

namespace FineTune.Tests.Service.Files;

public sealed class FilesApiTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task UploadSendsTheFileAndPurposeAndReportsProgressToTheEnd()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("train.jsonl", 300_000);
        using ServiceConnection connection = server.Connect();
        var progress = new List<long>();

        ServiceFile file = await new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions { Progress = progress.Add }, CancellationToken.None);

        FakeFiles.StoredFile stored = Assert.Single(server.Files.All);
        Assert.Equal(stored.Id, file.Id);
        Assert.Equal("train.jsonl", file.FileName);
        Assert.Equal("fine-tune", file.Purpose);
        Assert.Equal(300_000, file.Bytes);
        Assert.Equal(File.ReadAllBytes(path), stored.Content);
        Assert.Equal(300_000, progress[^1]);
        Assert.True(progress.Count > 2, "progress is reported while the file streams, not only at the end");
        Assert.Equal(progress.OrderBy(p => p), progress);
        Assert.StartsWith("multipart/form-data", server.Requests.Single().ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedUploadSendsPartsInOrderAndCompletesWithTheMd5()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("big.jsonl", 3_500);
        using ServiceConnection connection = server.Connect();

        ServiceFile file = await new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions { Chunked = true, PartSize = 1_000 }, CancellationToken.None);

        FakeFiles.StoredUpload upload = Assert.Single(server.Files.Uploads);
        Assert.Equal("completed", upload.Status);
        Assert.Equal(4, upload.Parts.Count);
        Assert.Equal("text/jsonl", upload.MimeType);
        Assert.Equal(File.ReadAllBytes(path), server.Files.Find(file.Id)!.Content);
        Assert.Equal(3_500, file.Bytes);
    }

    [Theory]
    [InlineData(1_000, true)]
    [InlineData(1_001, false)]
    public async Task FilesAboveTheLimitGoThroughTheUploadsApiOnTheirOwn(int bytes, bool direct)
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("data.jsonl", bytes);
        using ServiceConnection connection = server.Connect();

        await new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions { ChunkThreshold = 1_000, PartSize = 600 }, CancellationToken.None);

        Assert.Equal(direct, server.Requests.Any(r => r.Path == "/v1/files" && r.Method == "POST"));
        Assert.Equal(direct ? 0 : 2, server.Requests.Count(r => r.Path.EndsWith("/parts", StringComparison.Ordinal)));
        Assert.Equal(File.ReadAllBytes(path), Assert.Single(server.Files.All).Content);
    }

    [Fact]
    public async Task AConnectionResetInThePartRetriesOnlyThatPartAndTheChecksumStillMatches()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("big.jsonl", 3_500, seed: 7);
        // The second part's request is cut off after 600 bytes of its body have arrived.
        server.AddFault(Fault.ResetAfterReading(600).After(1)).For("POST", "/parts");
        using ServiceConnection connection = server.Connect();
        var progress = new List<long>();

        ServiceFile file = await new FilesApi(new ServiceClient(connection)).UploadAsync(path,
            new FileUploadOptions { Chunked = true, PartSize = 1_000, Progress = progress.Add }, CancellationToken.None);

        Assert.Equal(5, server.Requests.Count(r => r.Path.EndsWith("/parts", StringComparison.Ordinal)));
        FakeFiles.StoredUpload upload = Assert.Single(server.Files.Uploads);
        Assert.Equal(4, upload.Parts.Count);
        // The fake rejects a wrong md5, so completing at all proves the checksum; check the bytes too.
        byte[] expected = File.ReadAllBytes(path);
        Assert.Equal(expected, server.Files.Find(file.Id)!.Content);
        Assert.Single(server.RetryDelays);
        Assert.Equal(3_500, progress[^1]);
    }

    [Fact]
    public async Task TheMd5SentOnCompletionIsTheWholeFiles()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("big.jsonl", 2_345, seed: 3);
        server.AddFault(Fault.ResetAfterReading(100).After(2)).For("POST", "/parts");
        using ServiceConnection connection = server.Connect();
        var md5 = new RunningMd5();
        byte[] content = File.ReadAllBytes(path);

        await new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions { Chunked = true, PartSize = 1_000 }, CancellationToken.None);
        // Replay what a re-sent part does to the running hash: overlapping reads must not count twice.
        md5.Observe(0, content, 0, 1_000);
        md5.Observe(1_000, content, 1_000, 600);
        md5.Observe(1_000, content, 1_000, 1_000);
        md5.Observe(2_000, content, 2_000, 345);

        Assert.Equal(Convert.ToHexString(MD5.HashData(content)).ToLowerInvariant(), await md5.FinishAsync(path, content.Length, CancellationToken.None));
    }

    [Fact]
    public async Task AnUploadWhoseAnswerWasLostIsFoundInsteadOfSentTwice()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("train.jsonl", 5_000);
        server.AddFault(Fault.SucceedThenReset()).For("POST", "/files");
        using ServiceConnection connection = server.Connect();
        var log = new List<string>();

        ServiceFile file = await new FilesApi(new ServiceClient(connection, log.Add)).UploadAsync(path, new FileUploadOptions(), CancellationToken.None);

        FakeFiles.StoredFile stored = Assert.Single(server.Files.All);
        Assert.Equal(stored.Id, file.Id);
        Assert.Single(server.Requests, r => r.Method == "POST");
        Assert.Contains(log, line => line.Contains("instead of repeating", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACompletionWhoseAnswerWasLostIsFoundInsteadOfRepeated()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("big.jsonl", 2_500);
        server.AddFault(Fault.SucceedThenReset()).For("POST", "/complete");
        using ServiceConnection connection = server.Connect();

        ServiceFile file = await new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions { Chunked = true, PartSize = 1_000 }, CancellationToken.None);

        Assert.Equal(file.Id, Assert.Single(server.Files.All).Id);
        Assert.Single(server.Requests, r => r.Path.EndsWith("/complete", StringComparison.Ordinal));
        Assert.Equal("completed", Assert.Single(server.Files.Uploads).Status);
    }

    [Fact]
    public async Task APartTheServiceRefusesCancelsTheUpload()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("big.jsonl", 2_500);
        server.AddFault(Fault.Status(400, message: "Part too large").After(1)).For("POST", "/parts");
        using ServiceConnection connection = server.Connect();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() =>
            new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions { Chunked = true, PartSize = 1_000 }, CancellationToken.None));

        Assert.Equal(ServiceErrorIds.BadRequest, error.ErrorId);
        Assert.Equal("Part too large", error.ServiceMessage);
        Assert.Equal(path, error.Target);
        Assert.Equal("cancelled", Assert.Single(server.Files.Uploads).Status);
        Assert.Empty(server.Files.All);
    }

    [Fact]
    public async Task StoppingAChunkedUploadCancelsItAtTheService()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("big.jsonl", 2_500);
        server.AddFault(Fault.Hang()).For("POST", "/parts");
        using ServiceConnection connection = server.Connect();
        using var stop = new CancellationTokenSource();
        Task uploading = new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions { Chunked = true, PartSize = 1_000 }, stop.Token);

        // Stop while a part is in flight: the upload exists at the service and must be cancelled there.
        var arrival = System.Diagnostics.Stopwatch.StartNew();
        while (!server.Requests.Any(r => r.Method == "POST" && r.Path.EndsWith("/parts", StringComparison.Ordinal)) && arrival.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => uploading);

        Assert.Equal("cancelled", Assert.Single(server.Files.Uploads).Status);
        Assert.Empty(server.Files.All);
    }

    [Fact]
    public async Task WithNoRetryLeftALostAnswerIsStillFoundAndAFailureStillReported()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("train.jsonl", 5_000);
        server.AddFault(Fault.SucceedThenReset()).For("POST", "/files");
        using ServiceConnection connection = server.Connect(maxRetries: 0);
        var files = new FilesApi(new ServiceClient(connection));

        ServiceFile found = await files.UploadAsync(path, new FileUploadOptions(), CancellationToken.None);
        Assert.Equal(found.Id, Assert.Single(server.Files.All).Id);

        server.AddFault(Fault.Status(503, message: "Overloaded")).For("POST", "/files");
        string other = _temp.WriteBytes("other.jsonl", 5_000);
        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => files.UploadAsync(other, new FileUploadOptions(), CancellationToken.None));
        // A 503 may come after the file was stored: nothing was found, but the error says where it would be.
        Assert.Equal(ServiceErrorIds.OutcomeUnknown, error.ErrorId);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(ServiceErrorIds.ServerError, ((ServiceException)error.InnerException!).ErrorId);
        Assert.Contains("Where-Object FileName -eq 'other.jsonl'", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Files.All);
    }

    [Fact]
    public async Task AnUploadThatNeverArrivedIsSentAgain()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("train.jsonl", 5_000);
        server.AddFault(Fault.ResetAfterReading(1_000)).For("POST", "/files");
        using ServiceConnection connection = server.Connect();

        ServiceFile file = await new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions(), CancellationToken.None);

        Assert.Equal(file.Id, Assert.Single(server.Files.All).Id);
        Assert.Equal(2, server.Requests.Count(r => r.Method == "POST"));
        // Looked up over the whole window (at 0, 1, 3, 7, 15, 23 and 30 s) before the upload was sent again.
        Assert.Equal(7, server.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/files", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ListFiltersByPurposeAndStopsAtFirst()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        for (int i = 0; i < 5; i++)
        {
            server.Files.Add($"t{i}.jsonl", "fine-tune", new byte[] { 1, 2 });
            server.Files.Add($"r{i}.csv", "fine-tune-results", new byte[] { 3 });
        }
        using ServiceConnection connection = server.Connect();
        var files = new FilesApi(new ServiceClient(connection));

        List<ServiceFile> results = await ToListAsync(files.ListAsync("fine-tune-results"));
        List<ServiceFile> firstTwo = await ToListAsync(files.ListAsync(first: 2));

        Assert.Equal(new[] { "r4.csv", "r3.csv", "r2.csv", "r1.csv", "r0.csv" }, results.Select(f => f.FileName));
        Assert.Equal(new[] { "r4.csv", "t4.jsonl" }, firstTwo.Select(f => f.FileName));
        Assert.Contains("purpose=fine-tune-results", server.Requests[0].QueryString, StringComparison.Ordinal);
        Assert.Contains("limit=2", server.Requests[1].QueryString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAndDeleteAndAMissingFile()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        FakeFiles.StoredFile stored = server.Files.Add("a.jsonl", "fine-tune", new byte[] { 1, 2, 3 });
        using ServiceConnection connection = server.Connect();
        var files = new FilesApi(new ServiceClient(connection));

        ServiceFile file = await files.GetAsync(stored.Id, CancellationToken.None);
        Assert.Equal(3, file.Bytes);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(stored.CreatedAt), file.CreatedAt);
        Assert.Equal("processed", file.Status);
        Assert.Null(file.ExpiresAt);

        FileDeletion deletion = await files.DeleteAsync(stored.Id, CancellationToken.None);
        Assert.True(deletion.Deleted);
        Assert.Equal(stored.Id, deletion.Id);
        ServiceException missing = await Assert.ThrowsAsync<ServiceException>(() => files.DeleteAsync(stored.Id, CancellationToken.None));
        Assert.Equal(ServiceErrorIds.NotFound, missing.ErrorId);
        Assert.Equal(stored.Id, missing.Target);
    }

    [Fact]
    public async Task DownloadWritesTheContentAtomicallyOverAnExistingFile()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        byte[] content = new byte[200_000];
        new Random(5).NextBytes(content);
        FakeFiles.StoredFile stored = server.Files.Add("results.csv", "fine-tune-results", content);
        string target = _temp.File("results.csv");
        File.WriteAllText(target, "old");
        using ServiceConnection connection = server.Connect();
        long lastProgress = 0;

        long written = await new FilesApi(new ServiceClient(connection)).DownloadAsync(stored.Id, target, (done, total) => lastProgress = done, CancellationToken.None);

        Assert.Equal(content.Length, written);
        Assert.Equal(content, File.ReadAllBytes(target));
        Assert.Equal(content.Length, lastProgress);
        Assert.Equal(new[] { target }, Directory.GetFiles(_temp.Path));
    }

    [Theory]
    [InlineData(199_999)]
    [InlineData(100)]
    public async Task ContentLongerThanTheCapIsRefusedAndNothingIsWritten(long maxBytes)
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        FakeFiles.StoredFile stored = server.Files.Add("results.csv", "fine-tune-results", new byte[200_000]);
        string target = _temp.File("results.csv");
        using ServiceConnection connection = server.Connect();

        FineTuneException ex = await Assert.ThrowsAnyAsync<FineTuneException>(() =>
            new FilesApi(new ServiceClient(connection)).DownloadAsync(stored.Id, target, null, CancellationToken.None, maxBytes: maxBytes));

        Assert.Equal(ServiceErrorIds.ResponseTooLarge, ex.ErrorId);
        Assert.Contains($"larger than {maxBytes:N0} bytes", ex.Message);
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task ContentOfExactlyTheCapIsRead()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        FakeFiles.StoredFile stored = server.Files.Add("results.csv", "fine-tune-results", new byte[1000]);
        string target = _temp.File("results.csv");
        using ServiceConnection connection = server.Connect();

        Assert.Equal(1000, await new FilesApi(new ServiceClient(connection)).DownloadAsync(stored.Id, target, null, CancellationToken.None, maxBytes: 1000));
    }

    [Fact]
    public async Task DownloadWithForceReplacesAReadOnlyFileThroughTheAtomicWriter()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        FakeFiles.StoredFile stored = server.Files.Add("results.csv", "fine-tune-results", new byte[] { 7, 8, 9 });
        string target = _temp.File("results.csv");
        File.WriteAllText(target, "old");
        new FileInfo(target).IsReadOnly = true;
        using ServiceConnection connection = server.Connect();
        try
        {
            FineTuneException refused = await Assert.ThrowsAsync<FineTuneException>(() =>
                new FilesApi(new ServiceClient(connection)).DownloadAsync(stored.Id, target, null, CancellationToken.None));
            Assert.Equal("FineTune.File.FileReadOnly", refused.ErrorId);

            await new FilesApi(new ServiceClient(connection)).DownloadAsync(stored.Id, target, null, CancellationToken.None, force: true);

            Assert.Equal(new byte[] { 7, 8, 9 }, File.ReadAllBytes(target));
            Assert.Equal(new[] { target }, Directory.GetFiles(_temp.Path));
        }
        finally
        {
            new FileInfo(target).IsReadOnly = false;
        }
    }

    [Fact]
    public async Task ADownloadCutOffMidwayStartsAgainAndNeverLeavesHalfAFile()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        byte[] content = new byte[300_000];
        new Random(9).NextBytes(content);
        FakeFiles.StoredFile stored = server.Files.Add("results.csv", "fine-tune-results", content);
        server.AddFault(Fault.CutResponseAfter(100_000)).For("GET", "/content");
        string target = _temp.File("out.csv");
        using ServiceConnection connection = server.Connect();

        await new FilesApi(new ServiceClient(connection)).DownloadAsync(stored.Id, target, null, CancellationToken.None);

        Assert.Equal(content, File.ReadAllBytes(target));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(new[] { target }, Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task AFailedDownloadLeavesTheTargetAsItWas()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string target = _temp.File("keep.csv");
        File.WriteAllText(target, "previous");
        using ServiceConnection connection = server.Connect();

        await Assert.ThrowsAsync<ServiceException>(() => new FilesApi(new ServiceClient(connection)).DownloadAsync("file-nope", target, null, CancellationToken.None));

        Assert.Equal("previous", File.ReadAllText(target));
        Assert.Equal(new[] { target }, Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task AFileThatVanishesBeforeARetryIsAReadErrorNamingIt()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string path = _temp.WriteBytes("vanishing.jsonl", 100);
        server.AddFault(Fault.Reset()).For("POST", "/files");
        using ServiceConnection connection = server.Connect(configure: s => s.RetryTiming.Delay = (delay, token) =>
        {
            File.Delete(path);
            return Task.CompletedTask;
        });

        FineTuneException error = await Assert.ThrowsAsync<FineTuneException>(() =>
            new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions(), CancellationToken.None));

        Assert.Equal("FineTune.Path.ReadFailed", error.ErrorId);
        Assert.Equal(FailureKind.ReadError, error.Kind);
        Assert.Equal(path, error.Target);
    }

    [Fact]
    public async Task AnUnwritableTargetIsAWriteErrorAndLeavesNothingBehind()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        FakeFiles.StoredFile stored = server.Files.Add("r.csv", "fine-tune-results", new byte[] { 1, 2, 3 });
        string target = _temp.File("taken");
        Directory.CreateDirectory(Path.Combine(target, "inside"));
        using ServiceConnection connection = server.Connect();

        FineTuneException error = await Assert.ThrowsAsync<FineTuneException>(() =>
            new FilesApi(new ServiceClient(connection)).DownloadAsync(stored.Id, target, null, CancellationToken.None));

        Assert.Equal("FineTune.File.PathIsDirectory", error.ErrorId);
        Assert.Equal(new[] { target }, Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task AzureUploadUsesTheAzureUrlAndHeaderAndWaitsForProcessing()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { Provider = ServiceProvider.AzureOpenAI, PendingPolls = 2 });
        string path = _temp.WriteBytes("train.jsonl", 1_000);
        using ServiceConnection connection = server.Connect();
        var files = new FilesApi(new ServiceClient(connection));
        var seen = new List<string?>();

        ServiceFile uploaded = await files.UploadAsync(path, new FileUploadOptions(), CancellationToken.None);
        ServiceFile processed = await files.WaitForProcessingAsync(uploaded.Id, null, f => seen.Add(f.Status), CancellationToken.None);

        Assert.Equal("pending", uploaded.Status);
        Assert.Equal("processed", processed.Status);
        Assert.Equal(new[] { "pending", "pending", "processed" }, seen);
        RecordedRequest post = server.Requests[0];
        Assert.Equal("/openai/files", post.Path);
        Assert.Equal("?api-version=" + ServiceConnectionSettings.DatedAzureApiVersion, post.QueryString);
        Assert.Equal(FakeOpenAiServer.DefaultApiKey, post.Header("api-key"));
        Assert.Null(post.Header("Authorization"));
        Assert.Equal(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) }, server.RetryDelays.ToArray());
    }

    [Fact]
    public async Task AzureProcessingErrorIsReportedWithTheServicesDetails()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { Provider = ServiceProvider.AzureOpenAI, ProcessingFails = true });
        string path = _temp.WriteBytes("train.jsonl", 1_000);
        using ServiceConnection connection = server.Connect();
        var files = new FilesApi(new ServiceClient(connection));

        ServiceFile uploaded = await files.UploadAsync(path, new FileUploadOptions(), CancellationToken.None);
        FineTuneException error = await Assert.ThrowsAsync<FineTuneException>(() => files.WaitForProcessingAsync(uploaded.Id, null, null, CancellationToken.None));

        Assert.Equal(ServiceErrorIds.FileProcessingFailed, error.ErrorId);
        Assert.Contains("line 3 is not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAIFilesNeedNoWaiting()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        FakeFiles.StoredFile stored = server.Files.Add("a.jsonl", "fine-tune", new byte[] { 1 }, status: "uploaded");
        using ServiceConnection connection = server.Connect();

        ServiceFile file = await new FilesApi(new ServiceClient(connection)).WaitForProcessingAsync(stored.Id, null, null, CancellationToken.None);

        Assert.Equal("uploaded", file.Status);
        Assert.Single(server.Requests);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (T item in items)
        {
            list.Add(item);
        }
        return list;
    }
}
