using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using FineTune.Service;
using FineTune.Service.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FineTune.Benchmarks.Service;

/// <summary>
/// Send-FineTuneFile's engine (streamed multipart upload with progress) against the plainest
/// possible upload of the same file (HttpClient POST of a StreamContent), both to a Kestrel sink
/// on loopback that discards the body. The Allocated column shows whether memory grows with
/// the file's size; Ratio is the cost of the multipart shaping, progress and retry machinery.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 6)]
public class UploadBenchmarks
{
    private WebApplication? _app;
    private HttpClient? _raw;
    private ServiceConnection? _connection;
    private string _path = string.Empty;
    private Uri _root = new("http://127.0.0.1/");

    [Params(16, 256)]
    public int SizeMB { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"finetune-bench-{SizeMB}mb.jsonl");
        byte[] line = "{\"messages\":[{\"role\":\"user\",\"content\":\"ping\"},{\"role\":\"assistant\",\"content\":\"pong\"}]}\n"u8.ToArray();
        using (var file = new FileStream(_path, FileMode.Create, FileAccess.Write))
        {
            long target = SizeMB * 1024L * 1024L;
            for (long written = 0; written < target; written += line.Length)
            {
                file.Write(line);
            }
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        _app = builder.Build();
        _app.MapPost("/v1/files", async (HttpContext context) =>
        {
            long bytes = await Drain(context.Request.Body);
            return Results.Text($"{{\"id\":\"file-b\",\"object\":\"file\",\"bytes\":{bytes},\"created_at\":1,\"filename\":\"x.jsonl\",\"purpose\":\"fine-tune\",\"status\":\"processed\"}}", "application/json");
        });
        _app.MapPost("/raw", async (HttpContext context) => Results.Text((await Drain(context.Request.Body)).ToString(), "text/plain"));
        await _app.StartAsync();
        _root = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

        _raw = new HttpClient();
        _connection = ServiceConnection.Create(new ServiceConnectionSettings
        {
            Provider = FineTune.ServiceProvider.Compatible,
            BaseUri = new Uri(_root, "v1"),
            ApiKey = new ApiKey("sk-bench"),
        });
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _connection?.Dispose();
        _raw?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        File.Delete(_path);
    }

    [Benchmark(Baseline = true, Description = "HttpClient POST StreamContent")]
    public async Task<string> RawStreamUpload()
    {
        await using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using HttpResponseMessage response = await _raw!.PostAsync(new Uri(_root, "raw"), new StreamContent(file, 81920));
        return await response.Content.ReadAsStringAsync();
    }

    [Benchmark(Description = "FilesApi.UploadAsync (multipart, progress)")]
    public async Task<long> FilesApiUpload()
    {
        long lastProgress = 0;
        ServiceFile file = await new FilesApi(new ServiceClient(_connection!)).UploadAsync(_path, new FileUploadOptions { Progress = p => lastProgress = p }, CancellationToken.None);
        return file.Bytes + lastProgress;
    }

    private static async Task<long> Drain(Stream body)
    {
        byte[] buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }
        return total;
    }
}
