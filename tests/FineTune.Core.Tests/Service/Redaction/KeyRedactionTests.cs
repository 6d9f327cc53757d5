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
/// Runs every registered operation three ways — succeeding, with the service failing and
/// echoing the key in its error message, and with the connection dropping — and checks that
/// neither the output, the verbose log, nor any exception text contains the key or a piece of it.
/// </summary>
public sealed class KeyRedactionTests : IDisposable
{
    private const string Key = "fake-test-key-Redact9Me8Please7Xq2Lw5Vt4Rb1Nc6Hd3Jf0";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static IEnumerable<object[]> Cases() =>
        typeof(KeyRedactionTests).Assembly.GetTypes()
            .Where(t => typeof(IRedactionScenarios).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .SelectMany(t => ((IRedactionScenarios)Activator.CreateInstance(t)!).Scenarios)
            .SelectMany(s => new[] { "ok", "error", "drop" }.Select(mode => new object[] { s, mode }));

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
        else if (mode == "drop")
        {
            server.AddFault(Fault.Reset().Repeat(100));
        }
        var log = new ConcurrentQueue<string>();
        using ServiceConnection connection = server.Connect(maxRetries: 1);
        var texts = new List<string>();

        try
        {
            object? output = await scenario.Run(server, new ServiceClient(connection, log.Enqueue), _temp, CancellationToken.None);
            Assert.Equal("ok", mode);
            Collect(output, texts, depth: 0);
        }
        catch (FineTuneException ex) when (mode != "ok")
        {
            CollectException(ex, texts);
        }

        texts.AddRange(log);
        Assert.NotEmpty(log);
        foreach (string text in texts)
        {
            AssertClean(text);
        }
    }

    private static void AssertClean(string text)
    {
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
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
