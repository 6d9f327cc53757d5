using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace FineTune.Tests.Service.Fakes;

/// <summary>
/// A stateful stand-in for the OpenAI / Azure OpenAI API on 127.0.0.1 with a random port,
/// served by Kestrel. Files and the Uploads API are built in (<see cref="Files"/>); other
/// areas add routes through <see cref="FakeServerOptions.Routes"/>. Every request is recorded
/// (<see cref="Requests"/>) and scripted <see cref="Fault"/>s can be queued.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    public const string DefaultApiKey = "fake-test-key-Zq8vLr3XkP0tW7mN2bYc5dHs9fGj4aQe";
    internal const string ResetAfterHandlingKey = "fake.resetAfterHandling";
    internal const string CutResponseKey = "fake.cutResponse";
    internal const string ReplaceAnswerKey = "fake.replaceAnswer";
    internal const string AlwaysHasMoreKey = "fake.alwaysHasMore";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<Fault> _faults = new();
    private long _requestCounter;
    private long _elapsedTicks;

    private readonly ByteCountingRelay? _relay;

    private FakeOpenAiServer(WebApplication app, FakeServerOptions options, Uri root, ByteCountingRelay? relay)
    {
        _app = app;
        Options = options;
        Root = root;
        _relay = relay;
    }

    /// <summary>Bytes delivered to clients so far (with <see cref="FakeServerOptions.CountBytesToClient"/>).</summary>
    public long BytesToClient => _relay?.BytesToClient ?? throw new InvalidOperationException("Start the server with CountBytesToClient to count.");

    public FakeServerOptions Options { get; }

    /// <summary>http://127.0.0.1:port/ — the server itself.</summary>
    public Uri Root { get; }

    /// <summary>What a connection's BaseUri is: <c>{root}v1</c> for OpenAI/compatible, the root for Azure.</summary>
    public Uri BaseUri => Options.Provider == ServiceProvider.AzureOpenAI ? Root : new Uri(Root, "v1");

    /// <summary>The path prefix of every API route: <c>/v1</c>, <c>/openai/v1</c> (Azure's v1 API) or <c>/openai</c> (Azure's dated API).</summary>
    public string Prefix => PrefixOf(Options);

    private static string PrefixOf(FakeServerOptions options) =>
        options.Provider != ServiceProvider.AzureOpenAI ? "/v1" : options.ApiVersion is null ? "/openai/v1" : "/openai";

    public FakeFiles Files { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Delays the client's retry logic asked for, in order (the delay itself returns at once).</summary>
    public ConcurrentQueue<TimeSpan> RetryDelays { get; } = new();

    /// <summary>
    /// The server's clock: the sum of the delays the client waited (which return at once), so that
    /// time-dependent behaviour such as <see cref="FakeServerOptions.ListLag"/> plays out without sleeping.
    /// </summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _elapsedTicks));

    /// <summary>When an object created now first shows in a list (<see cref="FakeServerOptions.ListLag"/> from now).</summary>
    public TimeSpan VisibleFrom() => Elapsed + Options.ListLag;

    public static async Task<FakeOpenAiServer> StartAsync(FakeServerOptions? options = null)
    {
        options ??= new FakeServerOptions();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        WebApplication app = builder.Build();
        FakeOpenAiServer? server = null;
        app.Use(async (context, next) =>
        {
            await server!.HandleAsync(context, next).ConfigureAwait(false);
        });
        RouteGroupBuilder api = app.MapGroup(PrefixOf(options));
        options.Identity?.Map(app);
        var holder = new ServerHolder();
        FakeFileRoutes.Map(api, holder);
        options.Routes?.Invoke(api);
        await app.StartAsync().ConfigureAwait(false);
        var address = new Uri(app.Services.GetServiceFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/') + "/");
        ByteCountingRelay? relay = options.CountBytesToClient ? ByteCountingRelay.Start(address.Port) : null;
        server = new FakeOpenAiServer(app, options, relay is null ? address : new Uri($"http://127.0.0.1:{relay.Port}/"), relay);
        holder.Server = server;
        return server;
    }

    /// <summary>Queues a fault for matching requests (first queued, first applied).</summary>
    public Fault AddFault(Fault fault)
    {
        lock (_faults)
        {
            _faults.Add(fault);
        }
        return fault;
    }

    /// <summary>Settings for a client of this server: its address and key, and retries that record instead of sleeping.</summary>
    public ServiceConnectionSettings Settings(int maxRetries = ServiceConnectionSettings.DefaultMaxRetries) => new()
    {
        Provider = Options.Provider,
        BaseUri = BaseUri,
        ApiKey = Options.Identity is null ? new ApiKey(Options.ApiKey) : null,
        Credential = Options.Identity?.Credential(Root),
        ApiVersion = Options.Provider == ServiceProvider.AzureOpenAI ? Options.ApiVersion : null,
        MaxRetries = maxRetries,
        RetryTiming = new RetryTiming
        {
            Delay = (delay, token) =>
            {
                token.ThrowIfCancellationRequested();
                RetryDelays.Enqueue(delay);
                Interlocked.Add(ref _elapsedTicks, delay.Ticks);
                return Task.CompletedTask;
            },
            NextJitter = () => 0.5,
        },
    };

    public ServiceConnection Connect(int maxRetries = ServiceConnectionSettings.DefaultMaxRetries, Action<ServiceConnectionSettings>? configure = null)
    {
        ServiceConnectionSettings settings = Settings(maxRetries);
        configure?.Invoke(settings);
        return ServiceConnection.Create(settings);
    }

    /// <summary>Writes an OpenAI-shaped error body.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message, string type, string? code, string? param)
    {
        context.Response.StatusCode = status;
        return WriteJsonAsync(context, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        });
    }

    public static IResult Error(int status, string message, string type = "invalid_request_error", string? code = null, string? param = null) =>
        Results.Text(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
        }.ToJsonString(), "application/json", statusCode: status);

    public static IResult Json(JsonNode body, int status = 200) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);

    public static Task WriteJsonAsync(HttpContext context, JsonNode body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>A list page in the API's shape, paging by <c>after</c> and <c>limit</c> over items in their listed order.</summary>
    public static JsonObject Page(IReadOnlyList<JsonObject> ordered, HttpRequest request, int defaultLimit)
    {
        int limit = int.TryParse(request.Query["limit"], out int l) && l > 0 ? l : defaultLimit;
        string? after = request.Query["after"];
        int start = 0;
        if (!string.IsNullOrEmpty(after))
        {
            int index = ordered.ToList().FindIndex(item => (string?)item["id"] == after);
            start = index < 0 ? ordered.Count : index + 1;
        }
        List<JsonObject> page = ordered.Skip(start).Take(limit).ToList();
        var data = new JsonArray(page.Select(item => (JsonNode)item.DeepClone()).ToArray());
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["first_id"] = page.Count > 0 ? (string?)page[0]["id"] : null,
            ["last_id"] = page.Count > 0 ? (string?)page[^1]["id"] : null,
            ["has_more"] = start + page.Count < ordered.Count || request.HttpContext.Items.ContainsKey(AlwaysHasMoreKey),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync().ConfigureAwait(false);
        }
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        HttpRequest request = context.Request;
        _requests.Enqueue(new RecordedRequest
        {
            Method = request.Method,
            Path = request.Path.Value ?? string.Empty,
            QueryString = request.QueryString.Value ?? string.Empty,
            RawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty,
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            ContentType = request.ContentType,
            ContentLength = request.ContentLength,
        });
        context.Response.Headers["x-request-id"] = "req_" + Interlocked.Increment(ref _requestCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);

        if (Options.Identity is not null && request.Path.StartsWithSegments(FakeIdentityEndpoint.Path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        if (!Authorized(request))
        {
            await WriteErrorAsync(context, 401, "Incorrect API key provided: sk-fake-****wrong.", "invalid_request_error", "invalid_api_key", null).ConfigureAwait(false);
            return;
        }
        if (Options.Provider == ServiceProvider.AzureOpenAI && (string?)request.Query["api-version"] != Options.ApiVersion)
        {
            await WriteErrorAsync(context, 404, "Resource not found (missing or unknown api-version)", "invalid_request_error", "404", null).ConfigureAwait(false);
            return;
        }

        Fault? fault = null;
        lock (_faults)
        {
            foreach (Fault candidate in _faults)
            {
                if (candidate.Matches(request) && candidate.TryConsume())
                {
                    fault = candidate;
                    break;
                }
            }
            _faults.RemoveAll(f => f.Times <= 0);
        }
        if (fault is not null && await fault.Apply(context).ConfigureAwait(false))
        {
            return;
        }
        if (context.Items.ContainsKey(ResetAfterHandlingKey))
        {
            // Run the handler for its effect, discard what it writes, then drop the connection.
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(System.IO.Stream.Null));
            await next(context).ConfigureAwait(false);
            context.Abort();
            return;
        }
        if (context.Items.TryGetValue(ReplaceAnswerKey, out object? replacement))
        {
            // Run the handler for its effect, discard what it writes, then answer as the fault says.
            IHttpResponseBodyFeature original = context.Features.Get<IHttpResponseBodyFeature>()!;
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(System.IO.Stream.Null));
            await next(context).ConfigureAwait(false);
            context.Features.Set(original);
            context.Response.Headers.Clear();
            context.Response.Headers["x-request-id"] = "req_replaced";
            await ((Func<HttpContext, Task>)replacement!)(context).ConfigureAwait(false);
            return;
        }
        if (context.Items.TryGetValue(CutResponseKey, out object? cut))
        {
            var cutting = new CuttingStream(context.Response.Body, (int)cut!, context.Abort);
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(cutting));
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (System.IO.IOException)
            {
                // The connection was dropped on purpose.
            }
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    private bool Authorized(HttpRequest request) => Options.Provider == ServiceProvider.AzureOpenAI
        ? Options.Identity is { } identity
            ? identity.Accepts(request.Headers.Authorization.ToString(), "https://cognitiveservices.azure.com") && !request.Headers.ContainsKey("api-key")
            : request.Headers["api-key"] == Options.ApiKey && !request.Headers.ContainsKey("Authorization")
        : request.Headers.Authorization == "Bearer " + Options.ApiKey && !request.Headers.ContainsKey("api-key");

    /// <summary>Lets routes mapped before the server object exists reach it.</summary>
    internal sealed class ServerHolder
    {
        public FakeOpenAiServer? Server { get; set; }

        public FakeOpenAiServer Get() => Server ?? throw new InvalidOperationException("The fake server is not started yet.");
    }
}

/// <summary>How a fake server behaves.</summary>
public sealed class FakeServerOptions
{
    public ServiceProvider Provider { get; set; } = ServiceProvider.OpenAI;

    public string ApiKey { get; set; } = FakeOpenAiServer.DefaultApiKey;

    /// <summary>Azure only: the dated api-version every request must carry; null for the v1 API, where none may be sent.</summary>
    public string? ApiVersion { get; set; } = ServiceConnectionSettings.DatedAzureApiVersion;

    /// <summary>Azure only: a managed identity endpoint on the same server; requests must then carry its tokens instead of a key.</summary>
    public FakeIdentityEndpoint? Identity { get; set; }

    /// <summary>Azure only: how many retrievals of a new file answer <c>pending</c> before <c>processed</c>.</summary>
    public int PendingPolls { get; set; }

    /// <summary>Azure only: a new file ends in <c>error</c> instead of <c>processed</c>.</summary>
    public bool ProcessingFails { get; set; }

    /// <summary>
    /// How long after its creation a new file or job first appears in lists (retrieving it by id
    /// works at once), measured on <see cref="FakeOpenAiServer.Elapsed"/>: a service whose lists lag.
    /// </summary>
    public TimeSpan ListLag { get; set; }

    /// <summary>Serve through a <see cref="ByteCountingRelay"/>, so that <see cref="FakeOpenAiServer.BytesToClient"/> tells what clients took in.</summary>
    public bool CountBytesToClient { get; set; }

    /// <summary>More routes under the API prefix (jobs, models, chat...).</summary>
    public Action<RouteGroupBuilder>? Routes { get; set; }
}

internal static class ServiceProviderExtensions
{
    public static T GetServiceFeature<T>(this IServiceProvider services) where T : class =>
        ((IServer)services.GetService(typeof(IServer))!).Features.Get<T>()!;
}
