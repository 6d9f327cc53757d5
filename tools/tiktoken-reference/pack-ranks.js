#!/usr/bin/env node
/**
 * pack-ranks.js — turns an official `.tiktoken` rank file (base64 token, space, rank per line)
 * into the compact resource FineTune.Core embeds: raw DEFLATE of
 *   uint32 little-endian token count, then per rank in order: 1 byte length, the token bytes.
 * Ranks must be 0..count-1 without gaps (true for cl100k_base and o200k_base).
 *
 * Usage: node pack-ranks.js <in.tiktoken> <out.ranks.deflate>
 * The .tiktoken files come from ../shared/tools/tiktoken/reconstruct-tiktoken-files.js,
 * which checks their sha256 against tiktoken's source; the engine's tests check the same
 * sha256 against the packed data, so a wrong pack cannot go unnoticed.
 */
'use strict';
const fs = require('fs');
const zlib = require('zlib');

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: node pack-ranks.js <in.tiktoken> <out.ranks.deflate>');

const lines = fs.readFileSync(input, 'utf8').split('\n').filter((l) => l.length > 0);
const chunks = [];
const header = Buffer.alloc(4);
header.writeUInt32LE(lines.length, 0);
chunks.push(header);
lines.forEach((line, index) => {
  const [b64, rank] = line.split(' ');
  if (Number(rank) !== index) throw new Error(`rank ${rank} on line ${index + 1}: ranks must be contiguous from 0`);
  const token = Buffer.from(b64, 'base64');
  if (token.length === 0 || token.length > 255) throw new Error(`token of rank ${rank} has ${token.length} bytes`);
  chunks.push(Buffer.from([token.length]), token);
});
const packed = zlib.deflateRawSync(Buffer.concat(chunks), { level: 9 });
fs.writeFileSync(output, packed);
console.error(`${output}: ${lines.length} tokens, ${packed.length} bytes`);
