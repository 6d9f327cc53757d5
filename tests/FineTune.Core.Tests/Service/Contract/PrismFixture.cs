using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Tests;
using Xunit;

namespace FineTune.Tests.Service.Contract;

/// <summary>
/// One Prism mock of OpenAI's official spec (../shared/tools/openai-mock) for the whole
/// "Prism" test collection: started on a free loopback port before the first contract test,
/// stopped after the last. Prism is npm-installed into ~/.cache on first use (needs node/npm).
/// </summary>
public sealed class PrismFixture : IAsyncLifetime
{
    public const string ApiKey = "sk-contract-test-key";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);

    private string? _pid;
    private string _tools = string.Empty;

    /// <summary>Where Prism serves the spec's paths (no /v1 prefix).</summary>
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Prism's log, which names every request that did not pass validation.</summary>
    public string LogPath { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _tools = Path.Combine(TestPaths.SharedDirectory, "tools", "openai-mock");
        string start = Path.Combine(_tools, "start-prism.sh");
        if (!File.Exists(start))
        {
            throw new InvalidOperationException($"Contract tests need {start} (the shared folder beside the repository).");
        }
        int port = FreePort();
        LogPath = Path.Combine(Path.GetTempPath(), $"finetune-prism-{port}-{Guid.NewGuid():N}.log");
        int exit;
        string stdout, stderr;
        // On first use the script npm-installs Prism into one cache folder: both engine test
        // assemblies (net8.0 and netstandard2.0 builds) may start at once, so one at a time.
        using (FileStream gate = await LockFileAsync(Path.Combine(Path.GetTempPath(), "finetune-prism-start.lock")))
        {
            (exit, stdout, stderr) = await RunAsync(start, Array.Empty<string>(), new Dictionary<string, string>
            {
                ["PRISM_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PRISM_LOG"] = LogPath,
                ["PRISM_TIMEOUT"] = "300",
            }, StartTimeout);
        }
        if (exit != 0)
        {
            throw new InvalidOperationException($"start-prism.sh failed ({exit}): {stderr}");
        }
        _pid = stdout.Trim().Split('\n').Last().Trim();
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        if (_pid is not null)
        {
            await RunAsync(Path.Combine(_tools, "stop-prism.sh"), new[] { _pid }, new Dictionary<string, string>(), TimeSpan.FromSeconds(30));
        }
        try
        {
            File.Delete(LogPath);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A connection to Prism that does not retry, so every rejection surfaces.</summary>
    public ServiceConnection Connect() => ServiceConnection.Create(new ServiceConnectionSettings
    {
        Provider = FineTune.ServiceProvider.Compatible,
        BaseUri = BaseUri,
        ApiKey = new ApiKey(ApiKey),
        MaxRetries = 0,
        Timeout = TimeSpan.FromSeconds(60),
    });

    /// <summary>How far the log has grown; pass it to <see cref="AssertNoViolationsSince"/>.</summary>
    public int Mark() => ReadLog().Length;

    /// <summary>Fails with Prism's own words when a request since <paramref name="mark"/> broke the spec.</summary>
    public void AssertNoViolationsSince(int mark)
    {
        string[] lines = ReadLog().Skip(mark).ToArray();
        var violations = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains("Request did not pass the validation rules", StringComparison.Ordinal))
            {
                violations.AddRange(lines.Skip(i + 1).TakeWhile(l => l.Contains("[VALIDATOR]", StringComparison.Ordinal)));
            }
            if (lines[i].Contains("Request terminated with error", StringComparison.Ordinal))
            {
                violations.Add(lines[i]);
            }
        }
        Assert.True(violations.Count == 0, "Prism rejected requests:\n" + string.Join("\n", violations));
    }

    private string[] ReadLog()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n');
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>An exclusive lock other processes cannot take until it is disposed (FileShare.None is enforced across processes).</summary>
    private static async Task<FileStream> LockFileAsync(string path)
    {
        DateTime deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string script, string[] arguments, Dictionary<string, string> environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (KeyValuePair<string, string> variable in environment)
        {
            info.Environment[variable.Key] = variable.Value;
        }
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(script)} did not finish within {timeout}.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}

[CollectionDefinition(Name)]
public sealed class PrismCollection : ICollectionFixture<PrismFixture>
{
    public const string Name = "Prism";
}
