using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using FineTune.Datasets;
using FineTune.Tokens;

namespace FineTune.Benchmarks;

/// <summary>
/// Where a line's validation time goes: the lines of a file (up to --megabytes) are read into
/// memory first, then each part of the check runs over all of them on one thread, best of
/// --runs. The parts add up to about <c>CheckLine</c>, the whole per-line work without reading
/// and without threads.
/// </summary>
internal static class ValidationPartsBenchmark
{
    public static int Run(string[] args)
    {
        if (args.Length < 1 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: validate-parts <path.jsonl> [--runs N] [--megabytes M]");
            return 2;
        }
        int runs = Option(args, "--runs", 3);
        long limit = Option(args, "--megabytes", 300) * 1_000_000L;
        var lines = new List<ReadOnlyMemory<byte>>();
        long bytes = 0;
        using (JsonlReader reader = JsonlReader.Open(args[0]))
        {
            while (bytes < limit && reader.Read())
            {
                lines.Add(reader.Line.ToArray());
                bytes += reader.Line.Length;
            }
        }
        Console.WriteLine($"{lines.Count:N0} lines, {bytes / 1e6:N1} MB in memory; one thread, best of {runs}");
        var options = new JsonDocumentOptions { MaxDepth = JsonValueParser.DefaultMaxDepth };
        Time("JsonDocument.Parse", bytes, runs, () =>
        {
            foreach (ReadOnlyMemory<byte> line in lines)
            {
                using JsonDocument document = JsonDocument.Parse(line, options);
            }
        });
        long plain = 0;
        Time("plain chat lines read in one pass", bytes, runs, () =>
        {
            plain = 0;
            foreach (ReadOnlyMemory<byte> line in lines)
            {
                plain += PlainChatLine.TryRead(line.Span, out _) ? 1 : 0;
            }
        });
        Console.WriteLine($"  ({plain:N0} of the lines are plain chat examples)");
        Time("UTF-8 validation", bytes, runs, () =>
        {
            foreach (ReadOnlyMemory<byte> line in lines)
            {
                Utf8Validation.IndexOfInvalid(line.Span);
            }
        });
        Time("fingerprint (LineHash)", bytes, runs, () =>
        {
            foreach (ReadOnlyMemory<byte> line in lines)
            {
                LineHash.Of(line.Span);
            }
        });
        Time("escape and special-token scans", bytes, runs, () =>
        {
            foreach (ReadOnlyMemory<byte> line in lines)
            {
                JsonValueParser.FindUnpairedSurrogate(line.Span);
                line.Span.IndexOf(SpecialTokenText.StartUtf8);
            }
        });
        Time("parse + format rules", bytes, runs, () =>
        {
            foreach (ReadOnlyMemory<byte> line in lines)
            {
                using JsonDocument document = JsonDocument.Parse(line, options);
                FormatRules.CheckChat(document.RootElement, new IssueSink(null, 1), scanSpecialTokens: false);
            }
        });
        Time("duplicate finding (after hashing)", bytes, runs, () =>
        {
            using var duplicates = new DuplicateFinder();
            for (int i = 0; i < lines.Count; i++)
            {
                duplicates.Observe(i + 1, new LineHash((ulong)i * 0x9E3779B97F4A7C15UL, (ulong)i));
            }
            foreach ((long, long) _ in duplicates.Duplicates())
            {
            }
        });
        Time("CheckLine (all of it)", bytes, runs, () =>
        {
            using var validator = new DatasetValidator("parts.jsonl");
            for (int i = 0; i < lines.Count; i++)
            {
                validator.CheckLine(lines[i], i + 1);
            }
        });
        return 0;
    }

    private static void Time(string name, long bytes, int runs, Action body)
    {
        double best = double.MaxValue;
        long allocated = 0;
        for (int i = 0; i < runs; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            body();
            double seconds = watch.Elapsed.TotalSeconds;
            if (seconds < best)
            {
                best = seconds;
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
        Console.WriteLine($"{name,-32} {best * 1000,8:N0} ms {bytes / best / 1e6,8:N0} MB/s {allocated / 1e6,8:N0} MB allocated");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1]) : fallback;
    }
}
