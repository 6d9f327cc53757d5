using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FineTune.Service.Identity;

/// <summary>
/// Runs a sign-in tool (the Azure CLI, PowerShell with Az.Accounts) that prints a token, with a
/// time limit, a limit on what it may print, and Ctrl+C honoured. Its output is never logged:
/// it holds the token.
/// </summary>
internal static class TokenProcess
{
    private const int MaxOutputChars = 256 * 1024;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The exit code and what the program wrote; null when the program does not exist here.</summary>
    public static async Task<(int ExitCode, string Output, string Error)?> RunAsync(string fileName, string arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult(true);
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            return null;
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using (limit.Token.Register(() => exited.TrySetCanceled()))
        {
            try
            {
                await exited.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                cancellationToken.ThrowIfCancellationRequested();
                throw TokenCredential.Unavailable(fileName, $"it did not finish within {timeout.TotalSeconds:0} s.", "Run it yourself to see what it waits for.");
            }
        }
        process.WaitForExit();
        lock (output)
        {
            lock (error)
            {
                return (process.ExitCode, output.ToString(), error.ToString());
            }
        }
    }

    /// <summary>The name to start a command-line tool by: <c>az.cmd</c> on Windows, where <c>az</c> is a batch file.</summary>
    public static string Executable(string name) =>
        Environment.OSVersion.Platform == PlatformID.Win32NT && name == "az" ? "az.cmd" : name;

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (builder)
        {
            if (builder.Length + line.Length < MaxOutputChars)
            {
                builder.AppendLine(line);
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
#if NET8_0_OR_GREATER
            process.Kill(entireProcessTree: true);
#else
            process.Kill();
#endif
        }
        catch (InvalidOperationException)
        {
            // It ended on its own meanwhile.
        }
        catch (Win32Exception)
        {
            // It cannot be ended; its output is ignored either way.
        }
    }
}
