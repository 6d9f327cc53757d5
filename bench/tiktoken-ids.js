#!/usr/bin/env node
/**
 * tiktoken-ids.js — the reference side of bench/tokens.sh's exactness check and load time.
 * In a fresh process: times loading OpenAI's tiktoken (npm, WASM build of its Rust core:
 * require, get_encoding and a first encode_ordinary), then writes encode_ordinary ids of every
 * string of a corpus or chat JSONL file (the strings bench.js reads: corpus text; role, content
 * and name of every message) as uint32 little-endian, 0xFFFFFFFF after each string. That byte
 * stream is the one bench.js hashes for its fingerprint, so sha256(--out) must equal it.
 * Prints one JSON object. Runs from the folder where tools/tiktoken-reference was installed.
 *
 * Usage: node tiktoken-ids.js --encoding cl100k_base --input corpus.jsonl --out ids.bin
 */
'use strict';
const start = process.hrtime.bigint();
const { get_encoding } = require('tiktoken');
const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const encodingName = arg('--encoding') || 'cl100k_base';
const encoding = get_encoding(encodingName);
encoding.encode_ordinary('warm');
const loadMs = Number(process.hrtime.bigint() - start) / 1e6;

const fs = require('fs');
const input = arg('--input');
const output = arg('--out');
if (!input || !output) throw new Error('usage: node tiktoken-ids.js --encoding <name> --input <file.jsonl> --out <ids.bin>');

const fd = fs.openSync(output, 'w');
const separator = Buffer.from([0xff, 0xff, 0xff, 0xff]);
let strings = 0;
const write = (text) => {
  const ids = Uint32Array.from(encoding.encode_ordinary(text));
  fs.writeSync(fd, Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength));
  fs.writeSync(fd, separator);
  strings++;
};
for (const line of fs.readFileSync(input, 'utf8').split('\n')) {
  if (line.trim().length === 0) continue;
  const row = JSON.parse(line);
  if (Array.isArray(row.messages)) {
    for (const m of row.messages) {
      for (const key of ['role', 'content', 'name']) if (typeof m[key] === 'string') write(m[key]);
    }
  } else if (typeof row.text === 'string') {
    write(row.text);
  }
}
fs.closeSync(fd);
encoding.free();
console.log(JSON.stringify({ library: 'tiktoken', encoding: encodingName, strings, loadMs: +loadMs.toFixed(1) }));
