#!/usr/bin/env bash
# Token-counting throughput: FineTune.Core against OpenAI's tiktoken (npm, WASM build of its
# Rust core) on the same deterministic corpora, single thread, in the same run.
#
#   bash bench/tokens.sh [--size-mb 20] [--examples 20000] [--runs 5]
#
# Needs node >= 18 with npm (installs tools/tiktoken-reference into a cache folder) and the
# shared generators in ../shared/tools/tiktoken (or FINETUNE_SHARED_DIR).
set -euo pipefail

size_mb=20; examples=20000; runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --examples) examples="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${FINETUNE_SHARED_DIR:-$root/../shared}"
generators="$shared/tools/tiktoken"
work="${TMPDIR:-/tmp}/finetune-bench-tokens"
reference="$work/reference"
mkdir -p "$work" "$reference"

cp "$root"/tools/tiktoken-reference/*.js "$root"/tools/tiktoken-reference/package*.json "$reference/"
if [ ! -f "$reference/node_modules/tiktoken/package.json" ]; then
  (cd "$reference" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi

corpus="$work/corpus-$size_mb.jsonl"; chat="$work/chat-$examples.jsonl"
[ -f "$corpus" ] || node "$generators/gen-corpus.js" --seed 1 --size-mb "$size_mb" --out "$corpus" 2>/dev/null
[ -f "$chat" ] || node "$generators/gen-chat.js" --seed 1 --examples "$examples" --out "$chat" 2>/dev/null

dotnet build -c Release "$root/bench/FineTune.Benchmarks" -v quiet -nologo >/dev/null
ours="$root/bench/FineTune.Benchmarks/bin/Release/net10.0/FineTune.Benchmarks.dll"

results="$work/results.jsonl"; : > "$results"
for input in "$corpus" "$chat"; do
  for encoding in cl100k_base o200k_base; do
    node "$reference/bench.js" --encoding "$encoding" --input "$input" --runs "$runs" >> "$results"
    dotnet "$ours" tokens --encoding "$encoding" --input "$input" --runs "$runs" >> "$results"
  done
done

node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
console.log("| input | encoding | MB | tiktoken MB/s | tiktoken tokens/s | FineTune MB/s | FineTune tokens/s | ratio | ratio (CPU time) | same ids |");
console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
for (let i = 0; i < rows.length; i += 2) {
  const [ref, ours] = [rows[i], rows[i + 1]];
  console.log(`| ${process.argv[2 + (i >> 2)]} | ${ref.encoding} | ${(ref.bytes / 1e6).toFixed(1)} | ${ref.bestMBps} | ${ref.bestTokensPerSec} | ${ours.bestMBps} | ${ours.bestTokensPerSec} | ${(ours.bestMBps / ref.bestMBps).toFixed(1)}x | ${(ours.bestCpuMBps / ref.bestCpuMBps).toFixed(1)}x | ${ref.fingerprint === ours.fingerprint && ref.tokens === ours.tokens ? "yes" : "NO"} |`);
}' "$results" "$(basename "$corpus")" "$(basename "$chat")"

echo
echo "Whole-file measurement (read + parse + count + statistics) of $(basename "$chat"):"
for encoding in cl100k_base o200k_base; do
  dotnet "$ours" dataset --encoding "$encoding" --input "$chat" --runs "$runs"
done
