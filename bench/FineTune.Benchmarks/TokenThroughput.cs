using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Encodings.Web;
using FineTune.Benchmarks.Tokenizers;
using FineTune.Tokens;

namespace FineTune.Benchmarks;

/// <summary>
/// One tokenizer (<c>--library finetune|sharptoken|ml-tokenizers</c>) in a fresh process:
/// load time (first encoder construction and a first call, before anything else runs), then
/// single-thread counting over the strings of a corpus or chat JSONL file, measured the way
/// tools/tiktoken-reference/bench.js measures tiktoken (the same strings, a warm-up prefix,
/// the best of N timed passes; MB = 10^6 UTF-8 bytes; bestCpuMBps uses the process CPU time),
/// then, untimed, its ids against tiktoken's (<c>--reference-ids</c>, from
/// bench/tiktoken-ids.js) and their sha256 fingerprint: once with a new encoder, once with the
/// timed one. Prints one JSON object.
/// </summary>
internal static class TokenThroughput
{
    public static int Run(string[] args)
    {
        string library = Option(args, "--library") ?? "finetune";
        string encodingName = Option(args, "--encoding") ?? "cl100k_base";
        string input = Option(args, "--input") ?? throw new ArgumentException("--input is required");
        int runs = int.Parse(Option(args, "--runs") ?? "5");
        string? referencePath = Option(args, "--reference-ids");

        var load = Stopwatch.StartNew();
        TokenizerUnderTest tokenizer = TokenizerUnderTest.Create(library, encodingName);
        tokenizer.CountTokens("warm");
        load.Stop();

        BenchStrings strings = BenchStrings.Read(input);
        IReadOnlyList<string> texts = strings.Texts;
        long bytes = texts.Sum(t => (long)Encoding.UTF8.GetByteCount(t));

        long warm = 0;
        foreach (string text in texts)
        {
            tokenizer.CountTokens(text);
            if ((warm += text.Length) > 2_000_000)
            {
                break;
            }
        }

        var seconds = new List<double>();
        var cpuSeconds = new List<double>();
        var tokensPerRun = new List<long>();
        using Process self = Process.GetCurrentProcess();
        for (int run = 0; run < runs; run++)
        {
            long count = 0;
            self.Refresh();
            TimeSpan cpu = self.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            foreach (string text in texts)
            {
                count += tokenizer.CountTokens(text);
            }
            seconds.Add(watch.Elapsed.TotalSeconds);
            self.Refresh();
            cpuSeconds.Add((self.TotalProcessorTime - cpu).TotalSeconds);
            tokensPerRun.Add(count);
        }
        long tokens = tokensPerRun[^1];
        double best = seconds.Min();

        ReferenceIds? reference = referencePath is null ? null : ReferenceIds.Read(referencePath);
        TokenEncoding decoder = TokenEncoding.Get(encodingName);
        // A new encoder that sees each string once, as when a dataset is checked once; then the
        // timed one again, since an encoder's caches might change its ids after many strings.
        TokenExactness fresh = TokenExactness.Check(TokenizerUnderTest.Create(library, encodingName), strings, reference, decoder);
        TokenExactness? reused = reference is null ? null : TokenExactness.Check(tokenizer, strings, reference, decoder);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            library = tokenizer.Library,
            version = tokenizer.Version,
            encoding = encodingName,
            strings = texts.Count,
            bytes,
            tokens,
            tokensPerRun,
            loadMs = Math.Round(load.Elapsed.TotalMilliseconds, 1),
            runsSec = seconds.Select(s => Math.Round(s, 3)),
            bestMBps = Math.Round(bytes / best / 1e6, 2),
            bestTokensPerSec = Math.Round(tokens / best),
            bestCpuMBps = Math.Round(bytes / cpuSeconds.Min() / 1e6, 2),
            fingerprint = fresh.Fingerprint,
            exactness = reference is null ? null : Summary(fresh),
            exactnessAfterTimedRuns = reused is null ? null : Summary(reused),
        }, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        return 0;
    }

    private static object Summary(TokenExactness exactness) => new
    {
        exactness.Strings,
        exactness.StringsDiffering,
        exactness.CountsDiffering,
        exactness.Documents,
        exactness.DocumentsDiffering,
        exactness.Kinds,
        exactness.Fingerprint,
    };

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
