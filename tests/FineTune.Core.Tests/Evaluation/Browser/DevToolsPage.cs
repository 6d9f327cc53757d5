using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Tests.Evaluation.Browser;

/// <summary>
/// One page of a headless Chromium started for a test with a fresh profile, driven over the
/// DevTools protocol on its websocket. Records console messages, uncaught exceptions, log
/// entries (CSP violations land there) and every network request the page makes.
/// </summary>
internal sealed class DevToolsPage : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _browser;
    private readonly string _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;
    private TaskCompletionSource<bool> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private DevToolsPage(Process browser, string profile, ClientWebSocket socket)
    {
        _browser = browser;
        _profile = profile;
        _socket = socket;
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>Console messages of type error or warning, uncaught exceptions and error-level log entries.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    public ConcurrentQueue<string> RequestedUrls { get; } = new();

    public static async Task<DevToolsPage> StartAsync()
    {
        string executable = await Chromium.ExecutableAsync();
        string profile = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "finetune-chromium-" + Guid.NewGuid().ToString("N"))).FullName;
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string flag in Chromium.Flags)
        {
            start.ArgumentList.Add(flag);
        }
        start.ArgumentList.Add("--user-data-dir=" + profile);
        start.ArgumentList.Add("--remote-debugging-port=0");
        start.ArgumentList.Add("about:blank");
        Process browser = Process.Start(start)!;
        browser.ErrorDataReceived += (_, _) => { };
        browser.OutputDataReceived += (_, _) => { };
        browser.BeginErrorReadLine();
        browser.BeginOutputReadLine();
        try
        {
            int port = await DevToolsPortAsync(profile, browser);
            using var http = new HttpClient { Timeout = CallTimeout };
            JsonArray targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            string url = (string)targets.First(t => (string?)t!["type"] == "page")!["webSocketDebuggerUrl"]!;
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            using var connecting = new CancellationTokenSource(CallTimeout);
            await socket.ConnectAsync(new Uri(url), connecting.Token);
            var page = new DevToolsPage(browser, profile, socket);
            await page.CallAsync("Runtime.enable");
            await page.CallAsync("Log.enable");
            await page.CallAsync("Page.enable");
            await page.CallAsync("Network.enable");
            return page;
        }
        catch
        {
            Stop(browser, profile);
            throw;
        }
    }

    public async Task NavigateAsync(string url)
    {
        _loaded = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        JsonObject result = await CallAsync("Page.navigate", new JsonObject { ["url"] = url });
        if (result["errorText"] is { } error)
        {
            throw new InvalidOperationException($"Chromium could not open {url}: {error}");
        }
        await _loaded.Task.WaitAsync(CallTimeout);
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        JsonObject result = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"The page threw evaluating {expression}: {exception.ToJsonString()}");
        }
        return result["result"]?["value"]?.DeepClone();
    }

    public async Task<byte[]> ScreenshotAsync()
    {
        JsonObject result = await CallAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String((string)result["data"]!);
    }

    public async Task<byte[]> PrintToPdfAsync()
    {
        JsonObject result = await CallAsync("Page.printToPDF", new JsonObject { ["printBackground"] = true });
        return Convert.FromBase64String((string)result["data"]!);
    }

    public async Task<JsonObject> CallAsync(string method, JsonObject? parameters = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        using var sending = new CancellationTokenSource(CallTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, sending.Token);
        JsonObject reply = await answer.Task.WaitAsync(CallTimeout);
        if (reply["error"] is { } error)
        {
            throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
        }
        return reply["result"]?.AsObject() ?? new JsonObject();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 20];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult received = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }
                JsonObject json = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (json["id"] is { } id && _pending.TryRemove((int)id, out TaskCompletionSource<JsonObject>? waiting))
                {
                    waiting.TrySetResult(json);
                }
                else
                {
                    OnEvent((string?)json["method"], json["params"]);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        foreach (TaskCompletionSource<JsonObject> waiting in _pending.Values)
        {
            waiting.TrySetException(new InvalidOperationException("The DevTools connection closed."));
        }
    }

    private void OnEvent(string? method, JsonNode? parameters)
    {
        switch (method)
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult(true);
                break;
            case "Runtime.consoleAPICalled" when (string?)parameters!["type"] is "error" or "warning" or "assert":
                Problems.Enqueue("console " + parameters!["type"] + ": " + parameters["args"]?.ToJsonString());
                break;
            case "Runtime.exceptionThrown":
                Problems.Enqueue("exception: " + parameters!["exceptionDetails"]?.ToJsonString());
                break;
            case "Log.entryAdded" when (string?)parameters!["entry"]!["level"] is "error" or "warning":
                Problems.Enqueue("log " + parameters!["entry"]!["level"] + ": " + parameters["entry"]!["text"]);
                break;
            case "Network.requestWillBeSent":
                RequestedUrls.Enqueue((string?)parameters!["request"]!["url"] ?? string.Empty);
                break;
        }
    }

    private static async Task<int> DevToolsPortAsync(string profile, Process browser)
    {
        string file = Path.Combine(profile, "DevToolsActivePort");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < CallTimeout)
        {
            if (browser.HasExited)
            {
                throw new InvalidOperationException($"Chromium exited at start with code {browser.ExitCode}.");
            }
            if (File.Exists(file) && File.ReadAllLines(file) is { Length: > 0 } lines && int.TryParse(lines[0], out int port))
            {
                return port;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Chromium wrote no {file} within {CallTimeout.TotalSeconds} s.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CallAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or WebSocketException)
        {
        }
        _closing.Cancel();
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }
        _socket.Dispose();
        Stop(_browser, _profile);
        _closing.Dispose();
    }

    private static void Stop(Process browser, string profile)
    {
        try
        {
            if (!browser.HasExited && !browser.WaitForExit(10_000))
            {
                browser.Kill(entireProcessTree: true);
                browser.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        browser.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
