using System;
using BenchmarkDotNet.Running;

namespace FineTune.Benchmarks;

/// <summary>
/// <c>validate-file &lt;path&gt;</c> runs the whole-process dataset validation measurement;
/// anything else goes to BenchmarkDotNet's switcher.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "validate-file")
        {
            return ValidateFileBenchmark.Run(args.AsSpan(1).ToArray());
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
