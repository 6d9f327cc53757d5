using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Files;
using FineTune.Service.Jobs;
using FineTune.Tests.Service.Fakes;
using FineTune.Tests.Service.Jobs;
using Xunit;

namespace FineTune.Tests.Service;

/// <summary>Listings against servers whose paging would never end: each stops with an error after a page or two, keeping what was listed.</summary>
public sealed class ListPagingTests
{
    private const string RepeatedPage = """{"object":"list","data":[{"id":"file-1","object":"file","filename":"a.jsonl","purpose":"fine-tune","bytes":1,"created_at":1}],"last_id":"file-1","has_more":true}""";

    [Fact]
    public async Task AServerThatAlwaysSaysMoreFollowEndsTheListingWithAnErrorAfterTheLastItem()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        for (int i = 0; i < 3; i++)
        {
            server.Files.Add($"t{i}.jsonl", "fine-tune", new byte[] { 1 });
        }
        server.AddFault(Fault.AlwaysHasMore().Repeat(1000)).For("GET", "/files");
        using ServiceConnection connection = server.Connect();
        var listed = new List<ServiceFile>();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(async () =>
        {
            await foreach (ServiceFile file in new FilesApi(new ServiceClient(connection)).ListAsync())
            {
                listed.Add(file);
            }
        });

        Assert.Equal(3, listed.Count);
        Assert.Equal(ServiceErrorIds.InvalidResponse, error.ErrorId);
        Assert.Contains("said more items follow (has_more) but was empty", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task AServerThatIgnoresTheCursorIsStoppedBeforeItsRepeatedPageIsUsed()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Answer(200, RepeatedPage).Repeat(1000)).For("GET", "/files");
        using ServiceConnection connection = server.Connect();
        var listed = new List<string>();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(async () =>
        {
            await foreach (ServiceFile file in new FilesApi(new ServiceClient(connection)).ListAsync())
            {
                listed.Add(file.Id);
            }
        });

        Assert.Equal(new[] { "file-1" }, listed);
        Assert.Contains("its page for after=file-1 ended at 'file-1' again", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("after=file-1", server.Requests[1].QueryString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageThatLeadsBackToAnEarlierCursorEndsTheListing()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        string Page(string id) => $$"""{"object":"list","data":[{"id":"{{id}}"}],"has_more":true}""";
        server.AddFault(Fault.Answer(200, Page("a"))).For("GET", "/things");
        server.AddFault(Fault.Answer(200, Page("b"))).For("GET", "/things");
        server.AddFault(Fault.Answer(200, Page("a")).Repeat(1000)).For("GET", "/things");
        using ServiceConnection connection = server.Connect();
        var listed = new List<string>();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(async () =>
        {
            await foreach (JsonElement item in new ServiceClient(connection).ListAsync("things"))
            {
                listed.Add(item.GetProperty("id").GetString()!);
            }
        });

        Assert.Equal(new[] { "a", "b" }, listed);
        Assert.Contains("led back to 'a'", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task AMorePageWithoutAnyCursorEndsTheListing()
    {
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync();
        server.AddFault(Fault.Answer(200, """{"object":"list","data":[{"name":"no id"}],"has_more":true}""").Repeat(1000)).For("GET", "/things");
        using ServiceConnection connection = server.Connect();

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(async () =>
        {
            await foreach (JsonElement _ in new ServiceClient(connection).ListAsync("things"))
            {
            }
        });

        Assert.Contains("gave no cursor", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task GetFineTuneJobWithAStatusFilterStopsOnAServerThatAlwaysSaysMoreFollow()
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        f.Jobs.Add("succeeded");
        f.Server.AddFault(Fault.AlwaysHasMore().Repeat(10_000)).For("GET", "/fine_tuning/jobs");
        var filter = new JobListFilter();
        filter.Statuses.Add("running");

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => JobsFixture.ToListAsync(f.JobsClient.ListAsync(filter, CancellationToken.None)));

        Assert.Equal(ServiceErrorIds.InvalidResponse, error.ErrorId);
        Assert.Equal(2, f.Server.Requests.Count);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"object":"list","data":{}}""")]
    public async Task AListAnswerWithoutADataArrayIsAnInvalidResponse(string body)
    {
        await using JobsFixture f = await JobsFixture.StartAsync();
        f.Server.AddFault(Fault.Answer(200, body)).For("GET", "/fine_tuning/jobs");

        ServiceException error = await Assert.ThrowsAsync<ServiceException>(() => JobsFixture.ToListAsync(f.JobsClient.ListAsync(new JobListFilter(), CancellationToken.None)));

        Assert.Equal(ServiceErrorIds.InvalidResponse, error.ErrorId);
        Assert.Contains("list fine_tuning/jobs", error.Message, StringComparison.Ordinal);
        Assert.Contains("no list", error.Message, StringComparison.Ordinal);
    }
}
