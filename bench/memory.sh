#!/usr/bin/env bash
# Peak memory of Test-FineTuneDataset, Measure-FineTuneDataset and Split-FineTuneDataset: each
# cmdlet in a fresh pwsh (the built module, out/FineTune), on 1M and 30M unique short lines and
# on one 2 GB line. Prints one row per run: the process's peak resident set (VmHWM of
# /proc/self/status, Linux only) after the cmdlet, the same before it (pwsh with the module
# loaded), and the seconds the cmdlet took.
#
#   dotnet build -c Release && bash bench/memory.sh [--sizes "1000000 30000000"] [--long-gb 2]
#
# The inputs are generated once into $FINETUNE_BENCH_DIR (default $TMPDIR/finetune-bench-memory,
# about 6 GB) and kept for later runs. Duplicate finding spills to $TMPDIR past 1M lines.
set -euo pipefail

sizes="1000000 30000000"; long_gb=2
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --long-gb) long_gb="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${FINETUNE_BENCH_DIR:-${TMPDIR:-/tmp}/finetune-bench-memory}"
mkdir -p "$data"
cd "$root"

inputs=()
for n in $sizes; do
  file="$data/unique-$n.jsonl"
  if [ ! -f "$file" ]; then
    # Unique, valid and short (about 110 bytes): no line gets an issue, so only memory is measured.
    awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"question %d\"},{\"role\":\"assistant\",\"content\":\"a\"}]}\n", i }' > "$file.tmp"
    mv "$file.tmp" "$file"
  fi
  inputs+=("$file")
done
long="$data/line-${long_gb}g.jsonl"
if [ ! -f "$long" ]; then
  # One chat example whose content is $long_gb GiB of text: a real line, not a sparse hole.
  { printf '{"messages":[{"role":"user","content":"'; head -c "$((long_gb * 1024 * 1024 * 1024))" /dev/zero | tr '\0' x; printf '"}]}\n'; } > "$long.tmp"
  mv "$long.tmp" "$long"
fi
inputs+=("$long")

printf '%-24s %-28s %10s %12s %14s %9s\n' cmdlet input "size MB" "pwsh+module" "peak RSS MiB" seconds
for file in "${inputs[@]}"; do
  for cmdlet in Test-FineTuneDataset Measure-FineTuneDataset Split-FineTuneDataset; do
    out="$data/split-out"
    rm -rf "$out"
    case "$cmdlet" in
      Split-FineTuneDataset) command="Split-FineTuneDataset -LiteralPath '$file' -OutputDirectory '$out' -Confirm:\$false" ;;
      *) command="$cmdlet -LiteralPath '$file'" ;;
    esac
    dotnet pwsh -NoProfile -NonInteractive -c "
      \$ErrorActionPreference = 'Continue'
      Import-Module ./out/FineTune
      function Hwm { [long](((Get-Content /proc/self/status | Where-Object { \$_ -like 'VmHWM:*' }) -split '\s+')[1]) / 1024 }
      [GC]::Collect()
      \$before = Hwm
      \$watch = [Diagnostics.Stopwatch]::StartNew()
      $command -ErrorAction SilentlyContinue | Out-Null
      \$seconds = \$watch.Elapsed.TotalSeconds
      '{0,-24} {1,-28} {2,10:N0} {3,12:N1} {4,14:N1} {5,9:N1}' -f '$cmdlet', [IO.Path]::GetFileName('$file'), ((Get-Item '$file').Length / 1MB), \$before, (Hwm), \$seconds
    "
    rm -rf "$out"
  done
done
