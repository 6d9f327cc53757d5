#!/usr/bin/env node
/**
 * encode.js — reference token ids from OpenAI's tiktoken (npm `tiktoken`, the WASM build of
 * its Rust core), with encode_ordinary semantics (special-token text is ordinary text).
 *
 * Usage: node encode.js --encoding cl100k_base|o200k_base --input strings.jsonl [--out ids.txt]
 * Input: one JSON string per line. Output: one line per input line, the token ids separated
 * by spaces (an empty line for the empty string).
 */
'use strict';
const fs = require('fs');
const { get_encoding } = require('tiktoken');

function arg(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const encodingName = arg('--encoding');
const input = arg('--input');
const output = arg('--out');
if (!encodingName || !input) throw new Error('usage: node encode.js --encoding <name> --input <strings.jsonl> [--out <file>]');

const encoding = get_encoding(encodingName);
const fd = output ? fs.openSync(output, 'w') : 1;
let buffer = [];
const flush = () => { fs.writeSync(fd, buffer.join('')); buffer = []; };
for (const line of fs.readFileSync(input, 'utf8').split('\n')) {
  if (line.length === 0) continue;
  buffer.push(Array.from(encoding.encode_ordinary(JSON.parse(line))).join(' ') + '\n');
  if (buffer.length >= 1024) flush();
}
flush();
if (output) fs.closeSync(fd);
encoding.free();
