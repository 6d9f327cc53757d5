using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FineTune.Tests.Service.Fakes;

/// <summary>
/// A scripted misbehaviour of the fake server, applied to the next <see cref="Times"/> requests
/// that match <see cref="Method"/> and <see cref="PathContains"/> (both optional).
/// </summary>
public sealed class Fault
{
    private int _remaining;
    private int _skip;

    private Fault(Func<HttpContext, Task<bool>> apply)
    {
        Apply = apply;
        _remaining = 1;
    }

    /// <summary>HTTP method to match (null: any).</summary>
    public string? Method { get; private set; }

    /// <summary>Text the request path must contain (null: any).</summary>
    public string? PathContains { get; private set; }

    public int Times => _remaining;

    /// <summary>Does the fault's work; true when the response is finished (the request goes no further).</summary>
    internal Func<HttpContext, Task<bool>> Apply { get; }

    public Fault For(string? method, string? pathContains = null)
    {
        Method = method;
        PathContains = pathContains;
        return this;
    }

    /// <summary>Lets the first <paramref name="matches"/> matching requests through untouched.</summary>
    public Fault After(int matches)
    {
        _skip = matches;
        return this;
    }

    public Fault Repeat(int times)
    {
        _remaining = times;
        return this;
    }

    internal bool Matches(HttpRequest request) =>
        (Method is null || string.Equals(Method, request.Method, StringComparison.OrdinalIgnoreCase))
        && (PathContains is null || request.Path.Value?.Contains(PathContains, StringComparison.Ordinal) == true);

    internal bool TryConsume()
    {
        if (Interlocked.Decrement(ref _skip) >= 0)
        {
            return false;
        }
        return Interlocked.Decrement(ref _remaining) >= 0;
    }

    /// <summary>Answers with <paramref name="status"/>, an OpenAI error body and the given headers.</summary>
    public static Fault Status(int status, IDictionary<string, string>? headers = null, string message = "Scripted failure", string? code = null) =>
        new(async context =>
        {
            if (headers is not null)
            {
                foreach (KeyValuePair<string, string> header in headers)
                {
                    context.Response.Headers[header.Key] = header.Value;
                }
            }
            await FakeOpenAiServer.WriteErrorAsync(context, status, message, status >= 500 ? "server_error" : "invalid_request_error", code, null).ConfigureAwait(false);
            return true;
        });

    /// <summary>Drops the connection without an answer, before reading the body.</summary>
    public static Fault Reset() => new(context =>
    {
        context.Abort();
        return Task.FromResult(true);
    });

    /// <summary>Reads <paramref name="bytes"/> of the request body, then drops the connection.</summary>
    public static Fault ResetAfterReading(long bytes) => new(async context =>
    {
        byte[] buffer = new byte[81920];
        long read = 0;
        while (read < bytes)
        {
            int n = await context.Request.Body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes - read))).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        context.Abort();
        return true;
    });

    /// <summary>Waits, then lets the request be served normally.</summary>
    public static Fault Delay(TimeSpan delay) => new(async context =>
    {
        await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
        return false;
    });

    /// <summary>Serves the request normally (so its effect happens), then drops the connection instead of answering.</summary>
    public static Fault SucceedThenReset() => new(context =>
    {
        context.Items[FakeOpenAiServer.ResetAfterHandlingKey] = true;
        return Task.FromResult(false);
    });

    /// <summary>Serves the request normally but drops the connection after <paramref name="bytes"/> bytes of the response body.</summary>
    public static Fault CutResponseAfter(int bytes) => new(context =>
    {
        context.Items[FakeOpenAiServer.CutResponseKey] = bytes;
        return Task.FromResult(false);
    });

    /// <summary>Calls <paramref name="arrived"/> when the request arrives (a test cancels its client there), then never answers.</summary>
    public static Fault HangAfter(Action arrived) => new(async context =>
    {
        arrived();
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        return true;
    });

    /// <summary>Never answers; ends when the client gives up.</summary>
    public static Fault Hang() => new(async context =>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        return true;
    });

    /// <summary>Answers with <paramref name="status"/> and exactly <paramref name="body"/> (for example <c>{}</c>, <c>null</c>, <c>[]</c> or HTML), and the reason phrase if given.</summary>
    public static Fault Answer(int status, string body, string contentType = "application/json", IDictionary<string, string>? headers = null, string? reasonPhrase = null) =>
        new(async context =>
        {
            if (reasonPhrase is not null)
            {
                context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = reasonPhrase;
            }
            await WriteAsync(context, status, body, contentType, headers).ConfigureAwait(false);
            return true;
        });

    /// <summary>
    /// Serves the request normally, so that what it creates is created, but answers with
    /// <paramref name="status"/> and <paramref name="body"/> instead: the answer of a service that
    /// acted and then said something else (a 409, a 429 with x-should-retry, an HTML page).
    /// </summary>
    public static Fault SucceedThenAnswer(int status, string body, string contentType = "application/json", IDictionary<string, string>? headers = null) =>
        new(context =>
        {
            context.Items[FakeOpenAiServer.ReplaceAnswerKey] = (Func<HttpContext, Task>)(c => WriteAsync(c, status, body, contentType, headers));
            return Task.FromResult(false);
        });

    /// <summary>An OpenAI error body, for <see cref="Answer"/> and <see cref="SucceedThenAnswer"/>.</summary>
    public static string ErrorBody(string message, string type = "invalid_request_error", string? code = null, string? param = null) =>
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code } }.ToJsonString();

    /// <summary>
    /// A hostile error: <paramref name="secret"/> (as sent and URL-encoded) in the error's message,
    /// type, code and param, in the <c>x-request-id</c> header and in the reason phrase, with
    /// terminal escapes around it.
    /// </summary>
    public static Fault EchoSecret(int status, string secret) => new(async context =>
    {
        string encoded = Uri.EscapeDataString(secret);
        context.Response.Headers["x-request-id"] = "req_" + secret;
        context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = $"Denied {secret} {encoded}";
        string message = $"\u001b]0;owned\u0007Key {secret} ({encoded}) refused\nsecond line";
        await WriteAsync(context, status, ErrorBody(message, type: "type_" + secret, code: "code_" + encoded, param: "param_" + secret), "application/json", null).ConfigureAwait(false);
        return true;
    });

    /// <summary>Sends the status, headers and the first <paramref name="bytes"/> bytes of a JSON body, then sends nothing more until the client gives up.</summary>
    public static Fault StallBody(int status = 200, int bytes = 16) => new(async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = 1_000_000;
        byte[] start = Encoding.ASCII.GetBytes("{\"object\":\"list\",\"data\":[".PadRight(bytes));
        await context.Response.Body.WriteAsync(start.AsMemory(0, bytes)).ConfigureAwait(false);
        await context.Response.Body.FlushAsync().ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        return true;
    });

    /// <summary>
    /// Answers with a body of <paramref name="bytes"/> bytes generated as it is sent (one small
    /// buffer, nothing held): a JSON list or error object whose string goes on and on. With
    /// <paramref name="announceLength"/> the length is in Content-Length, else the body is chunked.
    /// How much of it a client took in: <see cref="FakeOpenAiServer.BytesToClient"/>.
    /// </summary>
    public static Fault HugeBody(int status, long bytes, bool announceLength = false) =>
        new(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            if (announceLength)
            {
                context.Response.ContentLength = bytes;
            }
            byte[] head = Encoding.ASCII.GetBytes(status < 300 ? "{\"object\":\"list\",\"has_more\":false,\"data\":[],\"padding\":\"" : "{\"error\":{\"type\":\"server_error\",\"message\":\"");
            byte[] tail = Encoding.ASCII.GetBytes(status < 300 ? "\"}" : "\"}}");
            byte[] filler = new byte[64 * 1024];
            filler.AsSpan().Fill((byte)'a');
            try
            {
                await context.Response.Body.WriteAsync(head, context.RequestAborted).ConfigureAwait(false);
                for (long left = bytes - head.Length - tail.Length; left > 0; left -= filler.Length)
                {
                    await context.Response.Body.WriteAsync(filler.AsMemory(0, (int)Math.Min(filler.Length, left)), context.RequestAborted).ConfigureAwait(false);
                }
                await context.Response.Body.WriteAsync(tail, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.IO.IOException or InvalidOperationException)
            {
                // The client stopped reading, as it should.
                context.Abort();
            }
            return true;
        });

    /// <summary>Serves the list normally but says <c>has_more: true</c> on every page, the last (and the empty one after it) included.</summary>
    public static Fault AlwaysHasMore() => new(context =>
    {
        context.Items[FakeOpenAiServer.AlwaysHasMoreKey] = true;
        return Task.FromResult(false);
    });

    private static async Task WriteAsync(HttpContext context, int status, string body, string contentType, IDictionary<string, string>? headers)
    {
        if (headers is not null)
        {
            foreach (KeyValuePair<string, string> header in headers)
            {
                context.Response.Headers[header.Key] = header.Value;
            }
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body).ConfigureAwait(false);
    }
}
