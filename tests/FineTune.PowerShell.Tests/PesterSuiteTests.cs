using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace FineTune.PowerShell.Tests;

public sealed class PesterSuiteTests
{
    private readonly ITestOutputHelper _output;

    public PesterSuiteTests(ITestOutputHelper output) => _output = output;

    [PwshFact]
    public void Pester_suite_passes_against_the_built_module()
    {
        string script = "$ErrorActionPreference = 'Stop'; Import-Module Pester -MinimumVersion 5.0; " +
            $"$result = Invoke-Pester -Path '{ModulePaths.PesterFolder}' -Output Detailed -PassThru; " +
            "exit ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount)";
        var start = new ProcessStartInfo(PwshFactAttribute.PwshPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ModulePaths.RepositoryRoot,
        };
        foreach (string argument in new[] { "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script })
        {
            start.ArgumentList.Add(argument);
        }
        using var pwsh = Process.Start(start)!;
        string stdout = pwsh.StandardOutput.ReadToEnd();
        string stderr = pwsh.StandardError.ReadToEnd();
        pwsh.WaitForExit();
        _output.WriteLine(stdout);
        _output.WriteLine(stderr);
        Assert.True(pwsh.ExitCode == 0, $"Pester reported {pwsh.ExitCode} failure(s):\n{stdout}\n{stderr}");
    }
}
