#!/usr/bin/env bash
# Tokenizers side by side on the same deterministic corpora, single thread, in one run:
# OpenAI's tiktoken (npm, WASM build of its Rust core; the reference), FineTune.Core (the
# engine's), SharpToken and Microsoft.ML.Tokenizers (peers, referenced by the bench project
# only). For each: load time in a fresh process, counting throughput and its ratio to
# tiktoken's in the same round, and exactness (token ids per string against tiktoken's).
#
#   bash bench/tokens.sh [--size-mb 20] [--examples 20000] [--runs 5] [--rounds 1]
#
# --rounds N repeats every measurement N times and reports the medians (ratios are taken
# within each round first). Needs node >= 18 with npm (installs tools/tiktoken-reference
# into a cache folder) and the shared generators in ../shared/tools/tiktoken (or
# FINETUNE_SHARED_DIR).
set -euo pipefail

size_mb=20; examples=20000; runs=5; rounds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --examples) examples="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
for value in "$size_mb" "$examples" "$runs" "$rounds"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "--size-mb, --examples, --runs and --rounds take whole numbers from 1 (got '$value')" >&2; exit 2; }
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${FINETUNE_SHARED_DIR:-$root/../shared}"
generators="$shared/tools/tiktoken"
work="${TMPDIR:-/tmp}/finetune-bench-tokens"
reference="$work/reference"
mkdir -p "$work" "$reference"

cp "$root"/tools/tiktoken-reference/*.js "$root"/tools/tiktoken-reference/package*.json "$root"/bench/tiktoken-ids.js "$reference/"
if [ ! -f "$reference/node_modules/tiktoken/package.json" ]; then
  (cd "$reference" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi

corpus="$work/corpus-$size_mb.jsonl"; chat="$work/chat-$examples.jsonl"
[ -f "$corpus" ] || node "$generators/gen-corpus.js" --seed 1 --size-mb "$size_mb" --out "$corpus" 2>/dev/null
[ -f "$chat" ] || node "$generators/gen-chat.js" --seed 1 --examples "$examples" --out "$chat" 2>/dev/null

dotnet build -c Release "$root/bench/FineTune.Benchmarks" -v quiet -nologo >/dev/null
ours="$root/bench/FineTune.Benchmarks/bin/Release/net10.0/FineTune.Benchmarks.dll"

# One JSON line per measurement: {"round", "input", "row": what the measuring process printed};
# kept for tokens-report.js. tiktoken's ids go to a folder of this run only (runs may overlap).
results="$work/results-$(date -u +%Y%m%dT%H%M%SZ)-$$.jsonl"; : > "$results"
ids_dir="$(mktemp -d "$work/ids.XXXXXX")"
trap 'rm -rf "$ids_dir"' EXIT
record() { printf '{"round":%d,"input":"%s","row":%s}\n' "$1" "$2" "$3" >> "$results"; }
for round in $(seq 1 "$rounds"); do
  for input in "$corpus" "$chat"; do
    name="$(basename "$input")"
    for encoding in cl100k_base o200k_base; do
      echo "round $round/$rounds: $name $encoding" >&2
      ids="$ids_dir/${name%.jsonl}-$encoding.bin"
      timed="$(node "$reference/bench.js" --encoding "$encoding" --input "$input" --runs "$runs")"
      loaded="$(node "$reference/tiktoken-ids.js" --encoding "$encoding" --input "$input" --out "$ids")"
      fingerprint="$(node -p 'JSON.parse(process.argv[1]).fingerprint' "$timed")"
      if [ "$(sha256sum "$ids" | cut -d' ' -f1)" != "$fingerprint" ]; then
        echo "tiktoken-ids.js wrote other ids than bench.js hashed for $name $encoding" >&2; exit 1
      fi
      record "$round" "$name" "$(node -p 'JSON.stringify({...JSON.parse(process.argv[1]), loadMs: JSON.parse(process.argv[2]).loadMs})' "$timed" "$loaded")"
      for library in finetune sharptoken ml-tokenizers; do
        record "$round" "$name" "$(dotnet "$ours" tokens --library "$library" --encoding "$encoding" --input "$input" \
          --runs "$runs" --reference-ids "$ids")"
      done
    done
  done
done

echo "(measurements: $results)"
node "$root/bench/tokens-report.js" "$results"

echo
echo "Whole-file measurement (read + parse + count + statistics) of $(basename "$chat"):"
for encoding in cl100k_base o200k_base; do
  dotnet "$ours" dataset --encoding "$encoding" --input "$chat" --runs "$runs"
done
