using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FineTune.Tests.Service.Fakes;

/// <summary>
/// The chat completions API for <see cref="FakeOpenAiServer"/>, answering with the
/// deterministic <see cref="FakeChatModels"/>. Tests can hold requests at a gate (to make one
/// example slow, or to count how many calls are in flight), script failures for one model and
/// question, and read every request body.
/// </summary>
public sealed class FakeChat
{
    private readonly ConcurrentQueue<JsonObject> _bodies = new();
    private readonly object _gateLock = new();
    private Func<string, string, bool>? _holds;
    private TaskCompletionSource<bool> _gate = NewGate();
    private readonly ConcurrentQueue<TaskCompletionSource<bool>> _heldEach = new();
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>What fine-tuned fakes have learnt (question to answer).</summary>
    public Dictionary<string, string> Memory { get; } = new(StringComparer.Ordinal);

    /// <summary>Answers for (model, last user message) that fail with the given status instead.</summary>
    public ConcurrentDictionary<(string Model, string Question), int> Failures { get; } = new();

    public IReadOnlyCollection<JsonObject> Bodies => _bodies.ToArray();

    /// <summary>Requests being handled now, and the most there ever were at once.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Signalled each time a request arrives (after it is counted in flight).</summary>
    public SemaphoreSlim Arrivals { get; } = new(0);

    /// <summary>Holds the requests for which <paramref name="holds"/>(model, question) is true until <see cref="Release"/>.</summary>
    public void Hold(Func<string, string, bool> holds)
    {
        lock (_gateLock)
        {
            _holds = holds;
            _gate = NewGate();
        }
    }

    /// <summary>Holds every request at its own gate until <see cref="ReleaseOne"/>.</summary>
    public bool HoldEach { get; set; }

    /// <summary>Requests waiting at their own gate.</summary>
    public int HeldCount => _heldEach.Count;

    /// <summary>Lets the longest-held request through.</summary>
    public void ReleaseOne()
    {
        if (_heldEach.TryDequeue(out TaskCompletionSource<bool>? gate))
        {
            gate.TrySetResult(true);
        }
    }

    /// <summary>Lets every held request (and every later one) through.</summary>
    public void Release()
    {
        lock (_gateLock)
        {
            _holds = null;
            _gate.TrySetResult(true);
        }
    }

    public void Map(RouteGroupBuilder api)
    {
        api.MapPost("/chat/completions", (Func<HttpContext, Task<IResult>>)(context => CompleteAsync(context, null)));
        api.MapPost("/deployments/{deployment}/chat/completions", (HttpContext context, string deployment) => CompleteAsync(context, deployment));
    }

    private async Task<IResult> CompleteAsync(HttpContext context, string? deployment)
    {
        int now = Interlocked.Increment(ref _inFlight);
        try
        {
            int max;
            while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
            {
            }
            JsonObject body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false))!.AsObject();
            _bodies.Enqueue(body);
            string model = deployment ?? (string?)body["model"] ?? string.Empty;
            JsonArray messages = body["messages"]!.AsArray();
            string question = (string?)messages[messages.Count - 1]!["content"] ?? string.Empty;
            Task gate;
            lock (_gateLock)
            {
                gate = _holds?.Invoke(model, question) == true ? _gate.Task : Task.CompletedTask;
            }
            if (HoldEach)
            {
                TaskCompletionSource<bool> own = NewGate();
                _heldEach.Enqueue(own);
                gate = own.Task;
            }
            Arrivals.Release();
            await gate.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            if (Failures.TryGetValue((model, question), out int status))
            {
                return FakeOpenAiServer.Error(status, $"Scripted failure for {model}.", status >= 500 ? "server_error" : "invalid_request_error");
            }
            return FakeOpenAiServer.Json(FakeChatModels.Complete(body, deployment, Memory));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static TaskCompletionSource<bool> NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
