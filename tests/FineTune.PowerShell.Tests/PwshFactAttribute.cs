using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace FineTune.PowerShell.Tests;

/// <summary>
/// A fact that runs only where PowerShell 7 and Pester 5 are installed; elsewhere it is skipped
/// and the reason is printed with the test results.
/// </summary>
public sealed class PwshFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> MissingReason = new(FindMissingReason);

    public PwshFactAttribute()
    {
        if (MissingReason.Value is { } reason)
        {
            Skip = reason;
        }
    }

    public static string? PwshPath { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .SelectMany(folder => new[] { Path.Combine(folder, "pwsh"), Path.Combine(folder, "pwsh.exe") })
        .FirstOrDefault(File.Exists);

    private static string? FindMissingReason()
    {
        if (PwshPath is null)
        {
            return "pwsh is not on PATH, so the Pester suite (tests/pester) cannot run here; install PowerShell 7.4+ and Pester 5 to run it.";
        }
        var probe = Process.Start(new ProcessStartInfo(PwshPath, "-NoLogo -NoProfile -NonInteractive -Command \"if (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0') { exit 0 } else { exit 1 }\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        probe.WaitForExit();
        return probe.ExitCode == 0 ? null : "Pester 5 is not installed for pwsh, so the Pester suite (tests/pester) cannot run here: Install-Module Pester -MinimumVersion 5.0.";
    }
}
