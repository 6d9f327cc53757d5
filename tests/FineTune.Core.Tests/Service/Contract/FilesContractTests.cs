using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Service.Files;
using Xunit;

namespace FineTune.Tests.Service.Contract;

/// <summary>Every request the files operations send, checked by Prism against OpenAI's official spec.</summary>
[Collection(PrismCollection.Name)]
public sealed class FilesContractTests : IDisposable
{
    private readonly PrismFixture _prism;
    private readonly TempFolder _temp = new();

    public FilesContractTests(PrismFixture prism)
    {
        _prism = prism;
    }

    public void Dispose() => _temp.Dispose();

    private string TrainingFile(int lines = 20)
    {
        string path = _temp.File("train.jsonl");
        using var writer = new StreamWriter(path);
        for (int i = 0; i < lines; i++)
        {
            writer.Write($"{{\"messages\":[{{\"role\":\"user\",\"content\":\"q{i}\"}},{{\"role\":\"assistant\",\"content\":\"a{i}\"}}]}}\n");
        }
        return path;
    }

    private async Task Conforms(Func<FilesApi, Task> operation)
    {
        int mark = _prism.Mark();
        using ServiceConnection connection = _prism.Connect();
        await operation(new FilesApi(new ServiceClient(connection)));
        _prism.AssertNoViolationsSince(mark);
    }

    [Fact]
    public Task UploadInOneRequest() => Conforms(async files =>
    {
        ServiceFile file = await files.UploadAsync(TrainingFile(), new FileUploadOptions(), CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(file.Id));
    });

    [Fact]
    public Task UploadWithAnotherPurposeAndANameThatNeedsQuoting() => Conforms(async files =>
    {
        string path = _temp.File("my \"data\" set, é.jsonl");
        File.Copy(TrainingFile(), path);
        await files.UploadAsync(path, new FileUploadOptions { Purpose = FilePurposes.Batch }, CancellationToken.None);
    });

    [Fact]
    public Task UploadInPartsThroughTheUploadsApi() => Conforms(async files =>
    {
        // Every request (create, three parts, complete with part ids and md5) must conform. Prism's
        // placeholder answer to "complete" says 'pending' and has no file object, which the engine
        // rightly reports; a real service returns the file (see FilesApiTests).
        ServiceException placeholder = await Assert.ThrowsAsync<ServiceException>(() =>
            files.UploadAsync(TrainingFile(50), new FileUploadOptions { Chunked = true, PartSize = 1024 }, CancellationToken.None));
        Assert.Equal(ServiceErrorIds.UploadFailed, placeholder.ErrorId);
    });

    [Fact]
    public Task CancelAnUpload() => Conforms(async files =>
        await files.CancelUploadAsync("upload_abc123", CancellationToken.None));

    [Fact]
    public Task ListWithPurposeAndPaging() => Conforms(async files =>
    {
        var seen = new List<ServiceFile>();
        await foreach (ServiceFile file in files.ListAsync(FilePurposes.FineTune, first: 3, CancellationToken.None))
        {
            seen.Add(file);
        }
        Assert.NotEmpty(seen);
    });

    [Fact]
    public Task Retrieve() => Conforms(async files =>
        Assert.False(string.IsNullOrEmpty((await files.GetAsync("file-abc123", CancellationToken.None)).Id)));

    [Fact]
    public Task WaitForProcessing() => Conforms(async files =>
        await files.WaitForProcessingAsync("file-abc123", TimeSpan.FromSeconds(5), null, CancellationToken.None));

    [Fact]
    public Task Download() => Conforms(async files =>
        Assert.True(await files.DownloadAsync("file-abc123", _temp.File("content.bin"), null, CancellationToken.None) > 0));

    [Fact]
    public Task Delete() => Conforms(async files =>
        await files.DeleteAsync("file-abc123", CancellationToken.None));
}
