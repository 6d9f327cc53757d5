using System;

namespace FineTune.Benchmarks;

/// <summary>Whole-process benchmarks; see bench/README.md for the exact commands.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.Length > 0 ? args[0] : "")
        {
            case "tokens":
                return TokenThroughput.Run(args[1..]);
            case "dataset":
                return DatasetThroughput.Run(args[1..]);
            default:
                Console.Error.WriteLine("usage: FineTune.Benchmarks tokens|dataset --encoding <name> --input <file.jsonl> [--runs N]");
                return 2;
        }
    }
}
