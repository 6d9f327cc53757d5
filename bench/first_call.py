#!/usr/bin/env python3
"""The first validation in a session against the steady state: each of --processes fresh pwsh
imports the module and runs `Test-FineTuneDataset F -Quiet` --calls times on the generated
100 MB chat file, timing each call with a Stopwatch. The steady state of a process is the median
of its calls from the fourth on (by then the runtime has compiled the hot code); the ratio
first / steady is taken process by process.

  python3 bench/first_call.py [--processes 5] [--calls 10] [--no-build] [--module DIR] [--pwsh PATH]

F is the shared generator's file (gen-chat.js --seed 3 --examples 101300), made once in
$TMPDIR/finetune-bench. Progress is off ($ProgressPreference), so only the check is timed.
"""
import argparse
import os
import statistics
import subprocess

from wholeprocess import ROOT, build_module, chat_file, find_pwsh, spread

SCRIPT = """
$ProgressPreference = 'SilentlyContinue'
Import-Module '{module}'
foreach ($i in 1..{calls}) {{
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $null = Test-FineTuneDataset -LiteralPath '{data}' -Quiet
    $watch.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
}}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--no-build", action="store_true", help="use the module already in out/FineTune")
    parser.add_argument("--module", help="module folder to import (default: out/FineTune)")
    parser.add_argument("--pwsh", help="pwsh to run (default: the one on PATH, else the repository's local tool)")
    args = parser.parse_args()
    if args.calls < 5:
        parser.error("--calls must be at least 5: the steady state is the median of calls 4 and later")

    module = args.module or (os.path.join(ROOT, "out", "FineTune") if args.no_build else build_module())
    pwsh = args.pwsh or find_pwsh()
    data = chat_file(100)
    script = SCRIPT.format(module=module, data=data, calls=args.calls)
    firsts, steadies, ratios = [], [], []
    for _ in range(args.processes):
        result = subprocess.run([pwsh, "-NoProfile", "-NonInteractive", "-c", script], capture_output=True, text=True, check=True)
        calls = [float(line) for line in result.stdout.split()]
        first, steady = calls[0], statistics.median(calls[3:])
        firsts.append(first)
        steadies.append(steady)
        ratios.append(first / steady)
        print("calls (s): " + " ".join(f"{c:.3f}" for c in calls))

    size = os.path.getsize(data) / 1e6
    print()
    print(f"{args.processes} processes, {args.calls} calls each on {size:,.1f} MB; median (min-max)")
    print()
    print("| first call s | steady state s (median of calls 4 on) | first / steady, process by process |")
    print("|---:|---:|---:|")
    print(f"| {spread(firsts, 3)} | {spread(steadies, 3)} | {spread(ratios, 2)} |")


if __name__ == "__main__":
    main()
