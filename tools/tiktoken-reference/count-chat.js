#!/usr/bin/env node
/**
 * count-chat.js — reference per-example token counts of a chat fine-tuning JSONL file with
 * OpenAI's tiktoken (npm, encode_ordinary), using the OpenAI cookbook formula:
 *   total = sum over messages of (3 + tok(role) + tok(content) + (name ? tok(name) + 1 : 0)) + 3
 *   trained / untrained = tok(content) of assistant messages with weight 1 (default) / weight 0
 * Only string contents are counted (the shared generators write nothing else).
 *
 * Usage: node count-chat.js --encoding cl100k_base --input chat.jsonl [--out counts.txt]
 * Output: one line per non-blank input line: "<line number> <total> <trained> <untrained> <messages>".
 */
'use strict';
const fs = require('fs');
const { get_encoding } = require('tiktoken');

function arg(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const encoding = get_encoding(arg('--encoding') || 'cl100k_base');
const input = arg('--input');
if (!input) throw new Error('--input is required');
const count = (text) => encoding.encode_ordinary(text).length;

const out = [];
fs.readFileSync(input, 'utf8').split('\n').forEach((line, index) => {
  if (line.trim().length === 0) return;
  const { messages } = JSON.parse(line);
  let total = 3, trained = 0, untrained = 0;
  for (const m of messages) {
    const content = typeof m.content === 'string' ? count(m.content) : 0;
    total += 3 + count(m.role) + content;
    if (typeof m.name === 'string') total += count(m.name) + 1;
    if (m.role === 'assistant') {
      if (m.weight === 0) untrained += content; else trained += content;
    }
  }
  out.push(`${index + 1} ${total} ${trained} ${untrained} ${messages.length}\n`);
});
const output = arg('--out');
if (output) fs.writeFileSync(output, out.join('')); else process.stdout.write(out.join(''));
encoding.free();
