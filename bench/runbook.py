#!/usr/bin/env python3
"""What one runbook step costs over starting PowerShell: a fresh pwsh that imports the module,
validates a 5 MB chat file and prices it, against a bare `pwsh -NoProfile -c 1`.

  A  pwsh -NoProfile -c 'Import-Module out/FineTune; Test-FineTuneDataset F; Measure-FineTuneCost F -Model gpt-4o-mini-2024-07-18'
  B  pwsh -NoProfile -c 1

A and B run in turn (A B A B ...) after one unmeasured warm-up each, and the ratio A/B is taken
pair by pair, which keeps it meaningful when the machine's speed drifts during the run. Prints
medians (min-max) of wall and CPU seconds, peak memory, and the pair-by-pair ratios.

  python3 bench/runbook.py [--runs 20] [--no-build] [--module DIR] [--pwsh PATH]

Output of A goes to a pipe, as in a runbook whose log is captured: the issues are formatted
by the module's table view. F is the shared generator's 5 MB file (gen-chat.js --seed 3
--examples 4760), made once in $TMPDIR/finetune-bench.
"""
import argparse
import os
import statistics

from wholeprocess import ROOT, build_module, chat_file, find_pwsh, measure, spread

MODEL = "gpt-4o-mini-2024-07-18"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-build", action="store_true", help="use the module already in out/FineTune")
    parser.add_argument("--module", help="module folder to import (default: out/FineTune)")
    parser.add_argument("--pwsh", help="pwsh to run (default: the one on PATH, else the repository's local tool)")
    args = parser.parse_args()

    module = args.module or (os.path.join(ROOT, "out", "FineTune") if args.no_build else build_module())
    pwsh = args.pwsh or find_pwsh()
    data = chat_file(5)
    step = [pwsh, "-NoProfile", "-c",
            f"Import-Module '{module}'; Test-FineTuneDataset '{data}'; Measure-FineTuneCost '{data}' -Model {MODEL}"]
    bare = [pwsh, "-NoProfile", "-c", "1"]

    measure(step)
    measure(bare)
    a, b = [], []
    for _ in range(args.runs):
        a.append(measure(step))
        b.append(measure(bare))

    print(f"{args.runs} pairs, A and B alternated; median (min-max)")
    print()
    print("| | wall s | CPU s | peak MiB |")
    print("|---|---:|---:|---:|")
    for name, runs in (("A: import, validate, price 5 MB", a), ("B: pwsh -NoProfile -c 1", b)):
        print(f"| {name} | {spread([r['wall'] for r in runs], 3)} | {spread([r['cpu'] for r in runs], 3)} | "
              f"{spread([r['peak'] for r in runs], 0)} |")
    wall = [x["wall"] / y["wall"] for x, y in zip(a, b)]
    cpu = [x["cpu"] / y["cpu"] for x, y in zip(a, b)]
    print(f"| A/B pair by pair | {spread(wall, 2)} | {spread(cpu, 2)} | |")
    print()
    print(f"A costs {statistics.median(x['wall'] - y['wall'] for x, y in zip(a, b)):.3f} s wall and "
          f"{statistics.median(x['cpu'] - y['cpu'] for x, y in zip(a, b)):.3f} s CPU more than B (medians of the pairs).")


if __name__ == "__main__":
    main()
