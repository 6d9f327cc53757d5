#!/usr/bin/env node
/**
 * tiktoken-count.js - the tokens of a chat fine-tuning JSONL file counted with OpenAI's tiktoken
 * (npm, encode_ordinary) and the cookbook formula, as Measure-FineTuneDataset counts them:
 *   per example: sum over messages of (3 + tok(role) + tok(content) + (name ? tok(name) + 1 : 0)) + 3
 * The file is streamed line by line (a 1 GB file does not fit in one JavaScript string).
 * Only string contents are counted (the shared generators write nothing else).
 *
 * Usage: node tiktoken-count.js --encoding o200k_base --input chat.jsonl
 * Prints one JSON object: {"examples":N,"totalTokens":T}.
 * Runs from a folder where `npm ci` installed tools/tiktoken-reference (bench/peer.py does this).
 */
'use strict';
const fs = require('fs');
const readline = require('readline');
const { get_encoding } = require('tiktoken');

function arg(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const input = arg('--input');
if (!input) throw new Error('--input is required');
const encoding = get_encoding(arg('--encoding') || 'o200k_base');
const count = (text) => encoding.encode_ordinary(text).length;

let examples = 0;
let totalTokens = 0;
const lines = readline.createInterface({ input: fs.createReadStream(input, { encoding: 'utf8' }), crlfDelay: Infinity });
lines.on('line', (line) => {
  if (line.trim().length === 0) return;
  const { messages } = JSON.parse(line);
  let tokens = 3;
  for (const m of messages) {
    tokens += 3 + count(m.role) + (typeof m.content === 'string' ? count(m.content) : 0);
    if (typeof m.name === 'string') tokens += count(m.name) + 1;
  }
  examples++;
  totalTokens += tokens;
});
lines.on('close', () => {
  encoding.free();
  console.log(JSON.stringify({ examples, totalTokens }));
});
