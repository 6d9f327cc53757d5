using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

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
}
