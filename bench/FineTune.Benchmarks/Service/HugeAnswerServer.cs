using System;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FineTune.Benchmarks.Service;

/// <summary>
/// <c>huge-answer-server</c>: a loopback service whose answers are as large as asked, generated
/// as they are sent from one 64 KiB buffer (the server holds nothing), so that the peak memory of
/// a client reading them can be measured in a process of its own (bench/hostile-answers.sh):
/// <list type="bullet">
/// <item><c>GET /v1/fine_tuning/jobs/ok</c>: a normal job (the baseline);</item>
/// <item><c>GET /v1/fine_tuning/jobs/huge-200-{bytes}</c>: a 200 JSON answer of that many bytes, chunked;</item>
/// <item><c>GET /v1/fine_tuning/jobs/huge-500-{bytes}</c>: a 500 error answer of that many bytes, chunked.</item>
/// </list>
/// Prints its base URL, then serves until its standard input closes.
/// </summary>
public static class HugeAnswerServer
{
    public static int Run(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        app.MapGet("/v1/fine_tuning/jobs/ok", () => Results.Text(
            "{\"object\":\"fine_tuning.job\",\"id\":\"ok\",\"model\":\"gpt-4o-mini-2024-07-18\",\"status\":\"running\",\"created_at\":1721764800}", "application/json"));
        app.MapGet("/v1/fine_tuning/jobs/huge-{status:int}-{bytes:long}", async (HttpContext context, int status, long bytes) =>
        {
            await WriteHugeAsync(context, status, bytes);
        });
        app.StartAsync().GetAwaiter().GetResult();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine(address.TrimEnd('/') + "/v1");
        Console.Out.Flush();
        while (Console.In.ReadLine() is not null)
        {
        }
        app.StopAsync().GetAwaiter().GetResult();
        return 0;
    }

    private static async Task WriteHugeAsync(HttpContext context, int status, long bytes)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        byte[] head = Encoding.ASCII.GetBytes(status < 300
            ? "{\"object\":\"fine_tuning.job\",\"id\":\"huge\",\"status\":\"running\",\"padding\":\""
            : "{\"error\":{\"type\":\"server_error\",\"message\":\"");
        byte[] tail = Encoding.ASCII.GetBytes(status < 300 ? "\"}" : "\"}}");
        byte[] filler = new byte[64 * 1024];
        filler.AsSpan().Fill((byte)'a');
        try
        {
            await context.Response.Body.WriteAsync(head, context.RequestAborted);
            for (long left = bytes - head.Length - tail.Length; left > 0; left -= filler.Length)
            {
                await context.Response.Body.WriteAsync(filler.AsMemory(0, (int)Math.Min(filler.Length, left)), context.RequestAborted);
            }
            await context.Response.Body.WriteAsync(tail, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.IO.IOException or InvalidOperationException)
        {
            context.Abort();
        }
    }
}
