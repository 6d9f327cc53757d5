using System;
using BenchmarkDotNet.Running;

namespace FineTune.Benchmarks;

/// <summary>
/// Whole-process measurements (<c>validate-file</c>, <c>validate-parts</c>, <c>tokens</c>, <c>dataset</c>, the <c>fake-chat</c>
/// server, and the <c>huge-answer-server</c> that bench/hostile-answers.sh measures clients against; see
/// bench/README.md for the exact commands); anything else goes to BenchmarkDotNet's switcher.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.Length > 0 ? args[0] : "")
        {
            case "validate-file":
                return ValidateFileBenchmark.Run(args[1..]);
            case "validate-parts":
                return ValidationPartsBenchmark.Run(args[1..]);
            case "tokens":
                return TokenThroughput.Run(args[1..]);
            case "dataset":
                return DatasetThroughput.Run(args[1..]);
            case "fake-chat":
                return Evaluation.FakeChatServer.Run(args[1..]);
            case "huge-answer-server":
                return Service.HugeAnswerServer.Run(args[1..]);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
