using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using FineTune.Datasets;

namespace FineTune.Benchmarks;

/// <summary>
/// Whole-process measurement of <c>Test-FineTuneDataset</c>'s engine on one file: throughput
/// of the full validation against two references measured in the same process (reading lines
/// only; reading and parsing each line with JsonDocument), plus the process's peak working set
/// and the managed heap, to show memory does not grow with the file.
/// </summary>
internal static class ValidateFileBenchmark
{
    public static int Run(string[] args)
    {
        if (args.Length < 1 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: validate-file <path.jsonl> [--runs N] [--validate-only] [--threads N]");
            return 2;
        }
        string path = args[0];
        int runs = args.Length > 2 && args[1] == "--runs" ? int.Parse(args[2]) : 1;
        bool validateOnly = args.Contains("--validate-only");
        int threadsAt = Array.IndexOf(args, "--threads");
        int threads = threadsAt >= 0 ? int.Parse(args[threadsAt + 1]) : Environment.ProcessorCount;
        double megabytes = new FileInfo(path).Length / 1_000_000.0;
        Console.WriteLine($"file: {path} ({megabytes:N1} MB), runs: {runs}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");

        if (!validateOnly)
        {
            Report("reference: read lines only", megabytes, runs, () => ReadLines(path));
            Report("reference: read + JsonDocument.Parse", megabytes, runs, () => ParseLines(path));
        }
        Report($"Test-FineTuneDataset engine (DatasetValidator.ValidateFile, {threads} checking threads)", megabytes, runs, () => Validate(path, threads));

        Process self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine($"peak working set: {self.PeakWorkingSet64 / 1_048_576.0:N1} MiB; GC heap now: {GC.GetTotalMemory(false) / 1_048_576.0:N1} MiB; max GC heap seen: {GC.GetGCMemoryInfo().HeapSizeBytes / 1_048_576.0:N1} MiB");
        return 0;
    }

    private static void Report(string name, double megabytes, int runs, Func<string> body)
    {
        var times = new List<(double Wall, double Cpu, double AllocatedMB)>();
        var jitMilliseconds = new List<double>();
        string result = string.Empty;
        using Process self = Process.GetCurrentProcess();
        for (int i = 0; i < runs; i++)
        {
            self.Refresh();
            TimeSpan cpu = self.TotalProcessorTime;
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            TimeSpan jit = System.Runtime.JitInfo.GetCompilationTime();
            var watch = Stopwatch.StartNew();
            result = body();
            double wall = watch.Elapsed.TotalSeconds;
            self.Refresh();
            jitMilliseconds.Add((System.Runtime.JitInfo.GetCompilationTime() - jit).TotalMilliseconds);
            times.Add((wall, (self.TotalProcessorTime - cpu).TotalSeconds, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6));
        }
        double first = times[0].Wall;
        var order = times.Select(t => t.Wall).ToList();
        times.Sort();
        (double best, double bestCpu, double bestAllocated) = times[0];
        double median = times[times.Count / 2].Wall;
        Console.WriteLine($"{name}: best {megabytes / best:N1} MB/s ({best:N2} s, {bestCpu:N2} s CPU, {bestAllocated:N0} MB allocated), median {megabytes / median:N1} MB/s, first {first:N2} s ({first / best:N2}x the best); {result}");
        if (Environment.GetEnvironmentVariable("FINETUNE_BENCH_EACH") == "1")
        {
            Console.WriteLine("  each run (s): " + string.Join(" ", order.Select(t => t.ToString("N3"))));
            Console.WriteLine("  compiling during each run (ms): " + string.Join(" ", jitMilliseconds.Select(t => t.ToString("N0"))));
        }
    }

    private static string ReadLines(string path)
    {
        long lines = 0;
        using JsonlReader reader = JsonlReader.Open(path);
        while (reader.Read())
        {
            lines++;
        }
        return $"{lines:N0} lines";
    }

    private static string ParseLines(string path)
    {
        long lines = 0;
        using JsonlReader reader = JsonlReader.Open(path);
        while (reader.Read())
        {
            using JsonDocument document = JsonDocument.Parse(reader.LineMemory);
            lines += document.RootElement.ValueKind == JsonValueKind.Object ? 1 : 0;
        }
        return $"{lines:N0} objects";
    }

    private static string Validate(string path, int threads)
    {
        var counts = new Dictionary<string, long>();
        foreach (DatasetIssue issue in DatasetValidator.ValidateFile(path, new DatasetValidationOptions { MaxDegreeOfParallelism = threads }))
        {
            counts[issue.Code] = counts.TryGetValue(issue.Code, out long n) ? n + 1 : 1;
        }
        return "issues: " + (counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key}={c.Value:N0}")));
    }
}
