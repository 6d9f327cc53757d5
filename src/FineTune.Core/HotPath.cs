using System.Runtime.CompilerServices;

namespace FineTune;

/// <summary>
/// Marks inner loops (the tokenizer's, the line checks') for full optimization on their first
/// call. Without it a fresh process runs them as unoptimized tier-0 code for most of a short
/// file (the runtime waits for a quiet moment before recompiling hot methods, and a PowerShell
/// pipeline is never quiet), which costs more than the few milliseconds of compiling them
/// optimized at once.
/// </summary>
internal static class HotPath
{
#if NET8_0_OR_GREATER
    public const MethodImplOptions Optimize = MethodImplOptions.AggressiveOptimization;
#else
    public const MethodImplOptions Optimize = 0;
#endif
}
