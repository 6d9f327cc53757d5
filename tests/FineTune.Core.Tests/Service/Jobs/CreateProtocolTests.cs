using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Files;
using FineTune.Service.Jobs;
using FineTune.Tests.Service.Fakes;
using Xunit;

namespace FineTune.Tests.Service.Jobs;

/// <summary>
/// "A retried create never makes a second job": whenever a create's outcome is not a clean
/// answer, the object is looked up over a window long enough for a service whose lists lag
/// (here 15 s on the server's clock) before any new POST, whatever the status; when it still
/// cannot be known, the error says it may exist and how to find it. Uploads likewise.
/// </summary>
public sealed class CreateProtocolTests : IDisposable
{
    private static readonly TimeSpan Lag = TimeSpan.FromSeconds(15);
    private static readonly Dictionary<string, string> ShouldRetry = new() { ["x-should-retry"] = "true" };
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static JobCreateOptions Options() => new() { Model = "gpt-4o-mini-2024-07-18", TrainingFile = "file-train" };

    public static IEnumerable<object[]> UncleanAnswers() => new[]
    {
        new object[] { "lost answer", Fault.SucceedThenReset() },
        new object[] { "409", Fault.SucceedThenAnswer(409, Fault.ErrorBody("Conflict", code: "conflict")) },
        new object[] { "429", Fault.SucceedThenAnswer(429, Fault.ErrorBody("Rate limit reached", code: "rate_limit_exceeded")) },
        new object[] { "400 with x-should-retry", Fault.SucceedThenAnswer(400, Fault.ErrorBody("Try again"), headers: ShouldRetry) },
        new object[] { "500", Fault.SucceedThenAnswer(500, Fault.ErrorBody("The server had an error", "server_error")) },
        new object[] { "200 with HTML", Fault.SucceedThenAnswer(200, "<html><body>Gateway</body></html>", "text/html") },
        new object[] { "200 with malformed JSON", Fault.SucceedThenAnswer(200, "{\"id\":\"ftjob-x\",\"status\":") },
        new object[] { "200 with {}", Fault.SucceedThenAnswer(200, "{}") },
        new object[] { "200 with null", Fault.SucceedThenAnswer(200, "null") },
        new object[] { "200 with []", Fault.SucceedThenAnswer(200, "[]") },
    };

    [Theory]
    [MemberData(nameof(UncleanAnswers))]
    public async Task AJobCreatedBehindAnUncleanAnswerIsFoundThroughALaggingListNotCreatedTwice(string answer, Fault fault)
    {
        await using JobsFixture f = await JobsFixture.StartAsync(listLag: Lag);
        f.Server.AddFault(fault).For("POST", "/fine_tuning/jobs");

        Job job = await f.JobsClient.CreateAsync(Options(), CancellationToken.None);

        FakeJob only = Assert.Single(f.Jobs.Jobs);
        Assert.Equal(only.Id, job.Id);
        Assert.Single(f.Server.Requests, r => r.Method == "POST");
        Assert.True(f.Server.Elapsed >= Lag, $"{answer}: found after {f.Server.Elapsed}, before the job could be listed");
        Assert.Contains(f.Log, line => line.Contains("the earlier attempt had succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AJobThatCannotBeFoundIsAnErrorSayingItMayExistAndHowToFindIt()
    {
        // The list shows new jobs only after two minutes: longer than the look-up window.
        await using JobsFixture f = await JobsFixture.StartAsync(listLag: TimeSpan.FromMinutes(2));
        f.Server.AddFault(Fault.SucceedThenAnswer(200, "<html>Bad gateway</html>", "text/html")).For("POST", "/fine_tuning/jobs");

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => f.JobsClient.CreateAsync(Options(), CancellationToken.None));

        string clientId = (string)f.Jobs.CreateBodies.Single()["metadata"]!["finetune_request_id"]!;
        Assert.Equal(ServiceErrorIds.OutcomeUnknown, error.ErrorId);
        Assert.Contains("create a fine-tuning job", error.Message, StringComparison.Ordinal);
        Assert.Contains("may or may not have taken effect", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing it created was found in 30 s of looking", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Get-FineTuneJob -Metadata @{{ finetune_request_id = '{clientId}' }}", error.Message, StringComparison.Ordinal);
        Assert.Contains(clientId, error.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(ServiceErrorIds.InvalidResponse, ((ServiceException)error.InnerException!).ErrorId);
        Assert.Single(f.Jobs.Jobs);
        Assert.Single(f.Server.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task WithRetriesLeftACreateThatMadeNothingIsRepeatedOnlyAfterTheWholeWindow()
    {
        await using JobsFixture f = await JobsFixture.StartAsync(listLag: Lag);
        f.Server.AddFault(Fault.Status(429, message: "Rate limit reached")).For("POST", "/fine_tuning/jobs");

        Job job = await f.JobsClient.CreateAsync(Options(), CancellationToken.None);

        Assert.Equal(job.Id, Assert.Single(f.Jobs.Jobs).Id);
        Assert.Equal(new[] { "POST" }.Concat(Enumerable.Repeat("GET", 7)).Append("POST"), f.Server.Requests.Select(r => r.Method));
        // The backoff, then look-ups 1, 2, 4, 8, 8 and 7 s apart: 30 s in all.
        Assert.Equal(new[] { 0.4375, 1, 2, 4, 8, 8, 7 }, f.Server.RetryDelays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task ALookUpThatFailsCountsAsNotFoundYet()
    {
        await using JobsFixture f = await JobsFixture.StartAsync(listLag: Lag);
        f.Server.AddFault(Fault.SucceedThenReset()).For("POST", "/fine_tuning/jobs");
        f.Server.AddFault(Fault.Answer(200, "{}").Repeat(2)).For("GET", "/fine_tuning/jobs");

        Job job = await f.JobsClient.CreateAsync(Options(), CancellationToken.None);

        Assert.Equal(job.Id, Assert.Single(f.Jobs.Jobs).Id);
        Assert.Contains(f.Log, line => line.Contains("may have created failed", StringComparison.Ordinal));
    }

    public static IEnumerable<object[]> UncleanUploadAnswers() => new[]
    {
        new object[] { "lost answer", Fault.SucceedThenReset() },
        new object[] { "429 with x-should-retry", Fault.SucceedThenAnswer(429, Fault.ErrorBody("Slow down"), headers: ShouldRetry) },
        new object[] { "409", Fault.SucceedThenAnswer(409, Fault.ErrorBody("Conflict")) },
        new object[] { "200 with HTML", Fault.SucceedThenAnswer(200, "<html>Gateway</html>", "text/html") },
        new object[] { "200 with {}", Fault.SucceedThenAnswer(200, "{}") },
    };

    [Theory]
    [MemberData(nameof(UncleanUploadAnswers))]
    public async Task AnUploadStoredBehindAnUncleanAnswerIsFoundThroughALaggingListNotSentTwice(string answer, Fault fault)
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { ListLag = Lag });
        server.AddFault(fault).For("POST", "/files");
        using ServiceConnection connection = server.Connect();
        string path = _temp.WriteBytes("train.jsonl", 3_000);

        ServiceFile file = await new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions(), CancellationToken.None);

        Assert.Equal(Assert.Single(server.Files.All).Id, file.Id);
        Assert.Single(server.Requests, r => r.Method == "POST");
        Assert.True(server.Elapsed >= Lag, $"{answer}: found after {server.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(UncleanUploadAnswers))]
    public async Task ACompletedUploadBehindAnUncleanAnswerIsFoundNotCompletedTwice(string answer, Fault fault)
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { ListLag = Lag });
        server.AddFault(fault).For("POST", "/complete");
        using ServiceConnection connection = server.Connect();
        string path = _temp.WriteBytes("train.jsonl", 3_000);

        ServiceFile file = await new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions { Chunked = true, PartSize = 1_000 }, CancellationToken.None);

        Assert.Equal(Assert.Single(server.Files.All).Id, file.Id);
        Assert.Single(server.Requests, r => r.Path.EndsWith("/complete", StringComparison.Ordinal));
        Assert.True(server.Elapsed >= Lag, $"{answer}: found after {server.Elapsed}");
    }

    [Fact]
    public async Task AnUploadThatCannotBeFoundIsAnErrorSayingHowToFindIt()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(new FakeServerOptions { ListLag = TimeSpan.FromMinutes(2) });
        server.AddFault(Fault.SucceedThenAnswer(200, "<html>Gateway</html>", "text/html")).For("POST", "/files");
        using ServiceConnection connection = server.Connect();
        string path = _temp.WriteBytes("train.jsonl", 3_000);

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() =>
            new FilesApi(new ServiceClient(connection)).UploadAsync(path, new FileUploadOptions(), CancellationToken.None));

        Assert.Equal(ServiceErrorIds.OutcomeUnknown, error.ErrorId);
        Assert.Contains("If the upload arrived, it is the newest file named 'train.jsonl' of 3000 bytes: Get-FineTuneFile -Purpose fine-tune | Where-Object FileName -eq 'train.jsonl'.",
            error.Message, StringComparison.Ordinal);
        Assert.Single(server.Files.All);
        Assert.Single(server.Requests, r => r.Method == "POST");
    }
}
