using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using FineTune.Measurement;
using FineTune.Tokens;

namespace FineTune.Benchmarks;

/// <summary>
/// Whole-file measurement (read, parse, count every example, statistics) of a chat JSONL file
/// with 1 and with all cores: MB = 10^6 bytes of the file; cpuSecOfBest above bestSec shows
/// several cores at work. Prints one JSON object per setting.
/// </summary>
internal static class DatasetThroughput
{
    public static int Run(string[] args)
    {
        string encodingName = Option(args, "--encoding") ?? "cl100k_base";
        string input = Option(args, "--input") ?? throw new ArgumentException("--input is required");
        int runs = int.Parse(Option(args, "--runs") ?? "3");
        long bytes = new FileInfo(input).Length;
        TokenEncoding encoding = TokenEncoding.Get(encodingName);
        foreach (int cores in new[] { 1, Environment.ProcessorCount }.Distinct())
        {
            var measurer = new DatasetMeasurer(encoding, 65536) { MaxDegreeOfParallelism = cores };
            measurer.Measure(input);
            double best = double.MaxValue;
            double cpuOfBest = 0;
            long tokens = 0;
            using Process self = Process.GetCurrentProcess();
            for (int run = 0; run < runs; run++)
            {
                self.Refresh();
                TimeSpan cpu = self.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                tokens = measurer.Measure(input).TotalTokens;
                double seconds = watch.Elapsed.TotalSeconds;
                self.Refresh();
                if (seconds < best)
                {
                    best = seconds;
                    cpuOfBest = (self.TotalProcessorTime - cpu).TotalSeconds;
                }
            }
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                library = "FineTune.Core DatasetMeasurer",
                encoding = encodingName,
                cores,
                fileBytes = bytes,
                tokens,
                bestSec = Math.Round(best, 3),
                bestMBps = Math.Round(bytes / best / 1e6, 2),
                cpuSecOfBest = Math.Round(cpuOfBest, 3),
            }));
        }
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
