using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FineTune.Tokens;

namespace FineTune.Benchmarks;

/// <summary>
/// Single-thread token counting over the strings of a corpus or chat JSONL file, measured the
/// way tools/tiktoken-reference/bench.js measures tiktoken: the same strings (corpus text;
/// role, content and name of every chat message), a warm-up prefix, then the best of N timed
/// passes. MB = 10^6 UTF-8 bytes; bestCpuMBps uses the process CPU time of the best run instead.
/// Prints one JSON object.
/// </summary>
internal static class TokenThroughput
{
    public static int Run(string[] args)
    {
        string encodingName = Option(args, "--encoding") ?? "cl100k_base";
        string input = Option(args, "--input") ?? throw new ArgumentException("--input is required");
        int runs = int.Parse(Option(args, "--runs") ?? "5");

        List<string> texts = StringsOf(input);
        long bytes = texts.Sum(t => (long)Encoding.UTF8.GetByteCount(t));
        var load = Stopwatch.StartNew();
        TokenEncoding encoding = TokenEncoding.Get(encodingName);
        encoding.CountTokens("warm");
        load.Stop();

        long warm = 0;
        foreach (string text in texts)
        {
            encoding.CountTokens(text);
            if ((warm += text.Length) > 2_000_000)
            {
                break;
            }
        }

        var seconds = new List<double>();
        var cpuSeconds = new List<double>();
        long tokens = 0;
        using Process self = Process.GetCurrentProcess();
        for (int run = 0; run < runs; run++)
        {
            long count = 0;
            self.Refresh();
            TimeSpan cpu = self.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            foreach (string text in texts)
            {
                count += encoding.CountTokens(text);
            }
            seconds.Add(watch.Elapsed.TotalSeconds);
            self.Refresh();
            cpuSeconds.Add((self.TotalProcessorTime - cpu).TotalSeconds);
            tokens = count;
        }
        double best = seconds.Min();
        string fingerprint = Fingerprint(encoding, texts);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            library = "FineTune.Core",
            encoding = encodingName,
            strings = texts.Count,
            bytes,
            tokens,
            loadMs = Math.Round(load.Elapsed.TotalMilliseconds, 1),
            runsSec = seconds.Select(s => Math.Round(s, 3)),
            bestMBps = Math.Round(bytes / best / 1e6, 2),
            bestTokensPerSec = Math.Round(tokens / best),
            bestCpuMBps = Math.Round(bytes / cpuSeconds.Min() / 1e6, 2),
            fingerprint,
        }));
        return 0;
    }

    /// <summary>sha256 over every string's ids (uint32 little-endian, then 0xFFFFFFFF), as bench.js computes it.</summary>
    private static string Fingerprint(TokenEncoding encoding, List<string> texts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] separator = { 0xFF, 0xFF, 0xFF, 0xFF };
        foreach (string text in texts)
        {
            int[] ids = encoding.Encode(text);
            hash.AppendData(MemoryMarshal.AsBytes(ids.AsSpan()));
            hash.AppendData(separator);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    internal static List<string> StringsOf(string path)
    {
        var texts = new List<string>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement row = document.RootElement;
            if (row.TryGetProperty("messages", out JsonElement messages) && messages.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement message in messages.EnumerateArray())
                {
                    foreach (string key in new[] { "role", "content", "name" })
                    {
                        if (message.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.String)
                        {
                            texts.Add(value.GetString()!);
                        }
                    }
                }
            }
            else if (row.TryGetProperty("text", out JsonElement text) && text.ValueKind == JsonValueKind.String)
            {
                texts.Add(text.GetString()!);
            }
        }
        return texts;
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
