using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace FineTune.Tests.Tokens.Support;

/// <summary>
/// Runs Node.js scripts: the shared deterministic generators, and the repository's tiktoken
/// reference (tools/tiktoken-reference) installed with <c>npm ci</c> into a cache folder keyed by
/// its lock file, once per machine.
/// </summary>
internal static class NodeTools
{
    private static readonly Lazy<string> s_reference = new(InstallReference, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder holding the installed reference scripts and their node_modules.</summary>
    public static string ReferenceDirectory => s_reference.Value;

    public static string Run(string workingDirectory, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{fileName}' is needed by this test (Node.js >= 18 with npm on PATH): {ex.Message}", ex);
        }
        using (process)
        {
            var stderr = new StringBuilder();
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
            process.BeginErrorReadLine();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(15 * 60 * 1000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{fileName} {string.Join(" ", arguments)} did not finish in 15 minutes.");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{fileName} {string.Join(" ", arguments)} exited with {process.ExitCode}:\n{stderr}");
            }
            return stdout;
        }
    }

    /// <summary>Runs one of the shared generators (gen-corpus.js, gen-chat.js) with its arguments.</summary>
    public static void Generate(string script, params string[] arguments)
    {
        string tools = TestPaths.SharedTiktokenTools;
        var all = new string[arguments.Length + 1];
        all[0] = Path.Combine(tools, script);
        arguments.CopyTo(all, 1);
        Run(tools, "node", all);
    }

    private static string InstallReference()
    {
        string source = Path.Combine(TestPaths.RepositoryRoot, "tools", "tiktoken-reference");
        byte[] lockFile = File.ReadAllBytes(Path.Combine(source, "package-lock.json"));
        string key = Convert.ToHexString(SHA256.HashData(lockFile))[..16].ToLowerInvariant();
        string target = Path.Combine(Path.GetTempPath(), "finetune-tiktoken-reference", key);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
        string marker = Path.Combine(target, "node_modules", "tiktoken", "package.json");
        using var gate = new Mutex(false, "Global\\finetune-tiktoken-reference-" + key);
        gate.WaitOne();
        try
        {
            if (!File.Exists(marker))
            {
                Run(target, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");
            }
        }
        finally
        {
            gate.ReleaseMutex();
        }
        return target;
    }
}
