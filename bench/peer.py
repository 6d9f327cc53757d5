#!/usr/bin/env python3
"""Whole-process comparison of the FineTune module with the tools people use instead, on the
same generated chat files, in one run:

  validate  a fresh pwsh: Import-Module, Test-FineTuneDataset, issue counts by code
            (Group-Object), and the same with -Quiet (one True/False per file)
            against python3 bench/peer/cookbook_format_checks.py (the cookbook's seven format
            checks, as its notebook runs them: whole file loaded, then checked)
  count     a fresh pwsh: Import-Module, Measure-FineTuneDataset -Model gpt-4o-mini-2024-07-18
            (o200k_base, cookbook formula)
            against node bench/peer/tiktoken-count.js (npm tiktoken 1.0.22, same formula,
            streamed); the two token totals must agree

Each command runs --runs times, the tools alternated (A B A B ...); wall time is measured
around the child, CPU time and peak memory are the kernel's accounting of that child
(wait4). Prints the medians (min-max) and the ratio of the medians, as a Markdown table.

  python3 bench/peer.py                      # 5 and 100 MB, 3 runs each
  python3 bench/peer.py --sizes 5,100,1000   # adds the 1 GB file (about 1.1 GB on disk)
  python3 bench/peer.py --tasks validate     # only the validation rows (counting 1 GB with
                                             # npm tiktoken takes about 7 minutes a run)

Needs: the .NET SDK (builds the module unless --no-build; pwsh is the repository's local tool),
node >= 18 with npm (installs tools/tiktoken-reference into the work folder) and the shared
generator ../shared/tools/tiktoken/gen-chat.js (or $FINETUNE_SHARED_DIR/tools/tiktoken).
Files and installs go to $TMPDIR/finetune-bench (reused between runs).
"""
import argparse
import json
import os
import shutil
import statistics
import sys

from wholeprocess import CHAT_FILES, ROOT, WORK, build_module, chat_file, find_pwsh, measure, run_quiet, spread

PEER = os.path.join(ROOT, "bench", "peer")
MODEL = "gpt-4o-mini-2024-07-18"
ENCODING = "o200k_base"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5,100", help="comma-separated: 5, 100, 1000 (MB)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tasks", default="validate,count", help="comma-separated: validate, count")
    parser.add_argument("--no-build", action="store_true", help="use the module already in out/FineTune")
    parser.add_argument("--module", help="module folder to import (default: out/FineTune)")
    parser.add_argument("--pwsh", help="pwsh to run (default: the one on PATH, else the repository's local tool)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    tasks = args.tasks.split(",")
    if not set(tasks) <= {"validate", "count"}:
        parser.error("--tasks takes validate, count or both")
    for size in sizes:
        if size not in CHAT_FILES:
            parser.error(f"unknown size {size}; use {', '.join(map(str, CHAT_FILES))}")

    module = args.module or (os.path.join(ROOT, "out", "FineTune") if args.no_build else build_module())
    pwsh = args.pwsh or find_pwsh()
    reference = install_tiktoken(WORK) if "count" in tasks else None

    rows = []
    for size in sizes:
        data = chat_file(size)
        megabytes = os.path.getsize(data) / 1e6
        validate = {
            "module, counts by code": [pwsh, "-NoProfile", "-NonInteractive", "-c", module_command(module, data, "validate")],
            "module, -Quiet": [pwsh, "-NoProfile", "-NonInteractive", "-c", module_command(module, data, "quiet")],
            "cookbook checks (python3)": [sys.executable, os.path.join(PEER, "cookbook_format_checks.py"), data],
        }
        count = {
            "module": [pwsh, "-NoProfile", "-NonInteractive", "-c", module_command(module, data, "count")],
            "tiktoken (node)": ["node", os.path.join(reference or "", "tiktoken-count.js"), "--encoding", ENCODING, "--input", data],
        }
        for task, commands in (("validate", validate), ("count", count)):
            if task not in tasks:
                continue
            results = alternate(commands, args.runs)
            rows.append((f"{megabytes:,.1f} MB", task, results))
            check_outputs(task, results)

    print_table(rows, args.runs)


def module_command(module, data, task):
    load = f"Import-Module '{module}'"
    if task == "validate":
        # The same answer as the Python checks print: how many problems of each kind.
        return (f"{load}; Test-FineTuneDataset -LiteralPath '{data}' | Group-Object Code -NoElement | "
                "Sort-Object Name | ForEach-Object { '{0}: {1}' -f $_.Name, $_.Count }")
    if task == "quiet":
        # What a runbook's gate asks: does the file have errors? (True when it has none.)
        return f"{load}; Test-FineTuneDataset -LiteralPath '{data}' -Quiet"
    return (f"{load}; $m = Measure-FineTuneDataset -LiteralPath '{data}' -Model {MODEL}; "
            "'{{\"examples\":{0},\"totalTokens\":{1}}}' -f $m.ExampleCount, $m.TotalTokens")


def alternate(commands, runs):
    results = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(measure(command))
    return results


def check_outputs(task, results):
    if task != "count":
        return
    totals = {name: json.loads(runs[-1]["output"].splitlines()[-1])["totalTokens"] for name, runs in results.items()}
    if len(set(totals.values())) != 1:
        sys.exit(f"token totals differ: {totals}")


def print_table(rows, runs):
    print()
    print(f"Medians of {runs} runs (min-max), each a fresh process, the two tools alternated.")
    print()
    print("| file | task | tool | wall s | CPU s | peak MiB | other tool's wall / module's | what it printed |")
    print("|---|---|---|---:|---:|---:|---:|---|")
    for file, task, results in rows:
        names = list(results)
        reference = statistics.median(r["wall"] for r in results[names[-1]])
        for name in names:
            runs_of = results[name]
            wall = [r["wall"] for r in runs_of]
            cpu = [r["cpu"] for r in runs_of]
            peak = [r["peak"] for r in runs_of]
            ratio = reference / statistics.median(wall)
            said = "; ".join(line.strip() for line in runs_of[-1]["output"].splitlines() if line.strip())
            print(f"| {file} | {task} | {name} | {spread(wall, 2)} | {spread(cpu, 2)} | {spread(peak, 0)} | "
                  f"{'%.2f' % ratio if name != names[-1] else ''} | {said[:120]} |")


def install_tiktoken(work):
    reference = os.path.join(work, "reference")
    os.makedirs(reference, exist_ok=True)
    source = os.path.join(ROOT, "tools", "tiktoken-reference")
    for name in ("package.json", "package-lock.json"):
        shutil.copy(os.path.join(source, name), reference)
    shutil.copy(os.path.join(PEER, "tiktoken-count.js"), reference)
    if not os.path.exists(os.path.join(reference, "node_modules", "tiktoken", "package.json")):
        run_quiet(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=reference)
    return reference


if __name__ == "__main__":
    main()
