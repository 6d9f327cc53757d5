using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Tests.Evaluation.Browser;

/// <summary>
/// Debian's headless Chromium for the report tests: found on the machine (FINETUNE_CHROMIUM,
/// /usr/bin/chromium, or PATH), else installed with apt-get when running as root; when
/// neither works the test fails with the reason, never skips.
/// </summary>
internal static class Chromium
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static string? s_path;

    /// <summary>The flags every run uses: no sandbox (root in CI), no GPU, and nothing that talks to the network.</summary>
    public static readonly string[] Flags =
    {
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions", "--mute-audio",
        "--hide-scrollbars", "--window-size=1280,1600",
    };

    public static async Task<string> ExecutableAsync()
    {
        if (s_path is not null)
        {
            return s_path;
        }
        await InstallLock.WaitAsync();
        try
        {
            s_path ??= Find() ?? await InstallAsync() ?? throw new InvalidOperationException(
                "Chromium is not installed and could not be installed: run `apt-get install chromium` as root (or set FINETUNE_CHROMIUM to a Chromium executable).");
            return s_path;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string? Find()
    {
        string? configured = Environment.GetEnvironmentVariable("FINETUNE_CHROMIUM");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"FINETUNE_CHROMIUM names '{configured}', which does not exist.");
        }
        if (File.Exists("/usr/bin/chromium"))
        {
            return "/usr/bin/chromium";
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .SelectMany(dir => new[] { "chromium", "chromium-browser" }.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    private static async Task<string?> InstallAsync()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get") || Environment.UserName != "root")
        {
            return null;
        }
        await RunAsync("/usr/bin/apt-get", "update -qq");
        await RunAsync("/usr/bin/apt-get", "install -y -qq chromium");
        return Find();
    }

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"'{file} {arguments}' did not finish within 10 minutes.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
