#!/usr/bin/env node
/**
 * bench.js — single-thread token-counting throughput of the reference, OpenAI's tiktoken
 * (npm `tiktoken`, WASM build of its Rust core), on the strings of a JSONL file:
 *   corpus rows {"text"} -> the text; chat rows {"messages"} -> role, content and name of
 *   every message (the strings the cookbook formula counts).
 * Warms up on a prefix, then times --runs passes of encode_ordinary(text).length over every
 * string. MB = 10^6 UTF-8 bytes. Prints one JSON object.
 *
 * Usage: node bench.js --encoding cl100k_base --input corpus.jsonl [--runs 3] [--warmup-mb 2]
 */
'use strict';
const fs = require('fs');
const { get_encoding } = require('tiktoken');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

function tiktokenVersion() {
  const path = require('path');
  const manifest = path.join(path.dirname(require.resolve('tiktoken')), 'package.json');
  return JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
}

function strings(file) {
  const texts = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim().length === 0) continue;
    const row = JSON.parse(line);
    if (Array.isArray(row.messages)) {
      for (const m of row.messages) {
        if (typeof m.role === 'string') texts.push(m.role);
        if (typeof m.content === 'string') texts.push(m.content);
        if (typeof m.name === 'string') texts.push(m.name);
      }
    } else if (typeof row.text === 'string') {
      texts.push(row.text);
    }
  }
  return texts;
}

const encodingName = arg('--encoding', 'cl100k_base');
const input = arg('--input');
const runs = Number.parseInt(arg('--runs', '3'), 10);
const warmupMb = Number.parseFloat(arg('--warmup-mb', '2'));
if (!input) throw new Error('--input is required');

const texts = strings(input);
let bytes = 0;
for (const t of texts) bytes += Buffer.byteLength(t, 'utf8');
const encoding = get_encoding(encodingName);

let warm = 0;
for (const t of texts) { encoding.encode_ordinary(t); warm += t.length; if (warm > warmupMb * 1e6) break; }

let tokens = 0;
const seconds = [];
const cpuSeconds = [];
for (let r = 0; r < runs; r++) {
  let n = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < texts.length; i++) n += encoding.encode_ordinary(texts[i]).length;
  seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  const used = process.cpuUsage(cpu);
  cpuSeconds.push((used.user + used.system) / 1e6);
  tokens = n;
}
// Untimed: sha256 over every string's ids (uint32 little-endian, then 0xFFFFFFFF per string),
// which FineTune's benchmark computes the same way, so equal fingerprints mean equal ids.
const hash = require('crypto').createHash('sha256');
const separator = Buffer.from([0xff, 0xff, 0xff, 0xff]);
for (const text of texts) {
  const ids = Uint32Array.from(encoding.encode_ordinary(text));
  hash.update(Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength));
  hash.update(separator);
}
const fingerprint = hash.digest('hex');
encoding.free();
const best = Math.min(...seconds);
console.log(JSON.stringify({
  library: 'tiktoken', version: tiktokenVersion(), encoding: encodingName,
  strings: texts.length, bytes, tokens, runsSec: seconds.map((s) => +s.toFixed(3)),
  bestMBps: +(bytes / best / 1e6).toFixed(2), bestTokensPerSec: Math.round(tokens / best),
  bestCpuMBps: +(bytes / Math.min(...cpuSeconds) / 1e6).toFixed(2), fingerprint,
}));
