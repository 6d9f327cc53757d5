using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using FineTune.Service;
using FineTune.Tests.Service.Fakes;
using Xunit;

namespace FineTune.Tests.Service.Redaction;

/// <summary>
/// Runs every registered operation four ways — succeeding, with the service failing and
/// echoing the key in its error message, with a hostile service echoing the key (as sent and
/// URL-encoded) in the error's message, type, code and param, in x-request-id and in the reason
/// phrase, between terminal escapes, and with the connection dropping — and checks that neither
/// the output, the verbose log, nor any exception text contains the key, a piece of it, or a raw
/// control character.
/// </summary>
public sealed class KeyRedactionTests : IDisposable
{
    // '/', '+' and '=' make its URL-encoded form differ from it.
    private const string Key = "fake-test-key/Redact9Me8+Please7Xq2Lw5=Vt4Rb1Nc6Hd3Jf0";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static IEnumerable<object[]> Cases() =>
        typeof(KeyRedactionTests).Assembly.GetTypes()
            .Where(t => typeof(IRedactionScenarios).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .SelectMany(t => ((IRedactionScenarios)Activator.CreateInstance(t)!).Scenarios)
            .SelectMany(s => new[] { "ok", "error", "echo", "echo-400", "drop" }.Select(mode => new object[] { s, mode }));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TheKeyNeverLeaks(RedactionScenario scenario, string mode)
    {
        var options = new FakeServerOptions { Provider = scenario.Provider, ApiKey = Key };
        scenario.Configure?.Invoke(options);
        await using FakeOpenAiServer server = await FakeOpenAiServer.StartAsync(options);
        if (mode == "error")
        {
            server.AddFault(Fault.Status(500, message: $"Internal error for key {Key} (sk-proj-****{Key[^4..]})").Repeat(100));
        }
        else if (mode == "echo")
        {
            server.AddFault(Fault.EchoSecret(500, Key).Repeat(1000));
        }
        else if (mode == "echo-400")
        {
            server.AddFault(Fault.EchoSecret(400, Key).Repeat(1000));
        }
        else if (mode == "drop")
        {
            server.AddFault(Fault.Reset().Repeat(100));
        }
        var log = new ConcurrentQueue<string>();
        using ServiceConnection connection = server.Connect(maxRetries: 1);
        var texts = new List<string>();
        var messages = new List<string>();

        try
        {
            object? output = await scenario.Run(server, new ServiceClient(connection, log.Enqueue), _temp, CancellationToken.None);
            Assert.Equal("ok", mode);
            Collect(output, texts, depth: 0);
        }
        catch (FineTuneException ex) when (mode != "ok")
        {
            CollectException(ex, texts);
            for (Exception? current = ex; current is FineTuneException fine; current = current.InnerException)
            {
                messages.Add(fine.Message);
                messages.Add(fine.RecommendedAction ?? string.Empty);
            }
        }

        texts.AddRange(log);
        Assert.NotEmpty(log);
        foreach (string text in texts)
        {
            AssertClean(text);
        }
        // Lines a host prints as they are: not even a line break from the service.
        foreach (string line in log.Concat(messages))
        {
            Assert.DoesNotContain(line, c => c < ' ');
        }
    }

    private static void AssertClean(string text)
    {
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(Key), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(text, c => c < ' ' && c != '\n' && c != '\r');
        // No telling fragment either: a long prefix of the secret part or its last characters.
        Assert.DoesNotContain(Key.Substring(8, 12), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Key[^6..], text, StringComparison.Ordinal);
        Assert.DoesNotContain(Key[^4..], text, StringComparison.Ordinal);
    }

    private static void CollectException(Exception exception, List<string> texts)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            texts.Add(current.Message);
            texts.Add(current.ToString());
            if (current is FineTuneException fine)
            {
                texts.Add(fine.RecommendedAction ?? string.Empty);
                texts.Add(fine.Target?.ToString() ?? string.Empty);
            }
            Collect(current, texts, depth: 1);
        }
    }

    /// <summary>ToString of the object and of every public property value, a few levels deep.</summary>
    private static void Collect(object? value, List<string> texts, int depth)
    {
        if (value is null || depth > 3)
        {
            return;
        }
        texts.Add(value.ToString() ?? string.Empty);
        if (value is string || value.GetType().IsPrimitive || value is Exception && depth > 1)
        {
            return;
        }
        if (value is IEnumerable sequence)
        {
            foreach (object? item in sequence)
            {
                Collect(item, texts, depth + 1);
            }
            return;
        }
        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name is "TargetSite" or "StackTrace")
            {
                continue;
            }
            Collect(property.GetValue(value), texts, depth + 1);
        }
    }
}
