#!/usr/bin/env python3
"""A copy of the repository's pwsh (the PowerShell 7.6.9 .NET tool) whose own assemblies carry
ReadyToRun code, as PowerShell's release packages do; the NuGet tool package has none, so every
PowerShell feature a command uses (module import, parameter binding, formatting) is compiled when
first used. Prints the copy's pwsh, to pass as --pwsh to runbook.py, peer.py or first_call.py and
so see how much of a step is the module's and how much PowerShell's own compiling.

  python3 bench/precompile_pwsh.py            # makes $TMPDIR/finetune-bench/pwsh-r2r once

Uses crossgen2 from the NuGet cache (microsoft.netcore.app.crossgen2.linux-x64 of the runtime
pwsh runs on; `dotnet build -c Release` of the module restores it). Linux x64 only.
"""
import glob
import os
import shutil
import subprocess
import sys

from wholeprocess import ROOT, WORK, find_pwsh, run_quiet

ASSEMBLIES = [
    "System.Management.Automation.dll",
    "Microsoft.PowerShell.ConsoleHost.dll",
    "Microsoft.PowerShell.Commands.Utility.dll",
    "Microsoft.PowerShell.Commands.Management.dll",
    "Microsoft.PowerShell.Security.dll",
    "Microsoft.PowerShell.MarkdownRender.dll",
    "Newtonsoft.Json.dll",
    "pwsh.dll",
]


def main():
    target = os.path.join(WORK, "pwsh-r2r")
    if os.path.exists(os.path.join(target, "pwsh")):
        print(os.path.join(target, "pwsh"))
        return
    pwsh = find_pwsh()
    home = os.path.dirname(pwsh)
    runtime, framework = subprocess.run(
        [pwsh, "-NoProfile", "-c", "[Environment]::Version.ToString(); [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()"],
        check=True, capture_output=True, text=True).stdout.split()
    nuget = os.environ.get("NUGET_PACKAGES", os.path.expanduser("~/.nuget/packages"))
    crossgen = os.path.join(nuget, "microsoft.netcore.app.crossgen2.linux-x64", runtime, "tools", "crossgen2")
    if not os.path.exists(crossgen):
        sys.exit(f"{crossgen} is missing: run `dotnet build -c Release` in {ROOT} first (it restores crossgen2 {runtime}).")
    partial = target + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(home, partial)
    compiled = os.path.join(partial, "r2r")
    os.makedirs(compiled)
    for name in ASSEMBLIES:
        run_quiet([crossgen, os.path.join(partial, name), "-o", os.path.join(compiled, name),
                   "-r", os.path.join(framework, "*.dll"), "-r", os.path.join(partial, "*.dll"),
                   "--targetos:linux", "--targetarch:x64", "-O"])
    for path in glob.glob(os.path.join(compiled, "*.dll")):
        os.replace(path, os.path.join(partial, os.path.basename(path)))
    os.rmdir(compiled)
    os.replace(partial, target)
    print(os.path.join(target, "pwsh"))


if __name__ == "__main__":
    main()
