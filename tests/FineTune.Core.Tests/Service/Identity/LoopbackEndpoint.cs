using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FineTune.Tests.Service.Identity;

/// <summary>One route on 127.0.0.1 that records each request (method, path, query, headers, form) and answers as told.</summary>
internal sealed class LoopbackEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackEndpoint(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    public Uri Root { get; }

    public ConcurrentQueue<(string Method, string Path, string Query, IHeaderDictionary Headers, string Body)> Requests { get; } = new();

    public static async Task<LoopbackEndpoint> StartAsync(Func<HttpContext, Task<IResult>> answer)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        LoopbackEndpoint? endpoint = null;
        app.Run(async context =>
        {
            using var reader = new System.IO.StreamReader(context.Request.Body);
            string body = await reader.ReadToEndAsync();
            endpoint!.Requests.Enqueue((context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), body));
            IResult result = await answer(context);
            await result.ExecuteAsync(context);
        });
        await app.StartAsync();
        string address = ((IServer)app.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint = new LoopbackEndpoint(app, new Uri(address.TrimEnd('/') + "/"));
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
