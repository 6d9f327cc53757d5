#!/usr/bin/env node
/**
 * tokens-report.js — prints bench/tokens.sh's results (one JSON line per measurement:
 * {round, input, row}) as Markdown: per input, encoding and tokenizer the median over rounds
 * of load time, MB/s and the ratio to tiktoken's MB/s taken within each round; exactness
 * (strings and documents whose ids differ from tiktoken's, by kind of the first differing
 * spot, with one example each; with a new encoder, and again with the timed one); and whether
 * the ids' sha256 equals tiktoken's. Exits 1 when FineTune.Core's ids are not tiktoken's.
 *
 * Usage: node tokens-report.js results.jsonl
 */
'use strict';
const fs = require('fs');

const lines = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map(JSON.parse);
const rounds = Math.max(...lines.map((l) => l.round));
const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percent = (part, whole) => `${(100 * part / whole).toFixed(part > 0 && part * 1000 < whole ? 2 : 1)}%`;
const cell = (text) => text.replace(/`/g, 'ˋ').replace(/\|/g, '¦');

// groups[input|encoding] = { input, encoding, libraries: Map(library -> rows of every round) }
const groups = new Map();
for (const { round, input, row } of lines) {
  const key = `${input}|${row.encoding}`;
  if (!groups.has(key)) groups.set(key, { input, encoding: row.encoding, libraries: new Map() });
  const libraries = groups.get(key).libraries;
  if (!libraries.has(row.library)) libraries.set(row.library, []);
  libraries.get(row.library).push({ round, ...row });
}

let fineTuneExact = true;
const details = [];
const notes = [];
console.log(`Medians of ${rounds} round${rounds > 1 ? 's' : ''}; each ratio to tiktoken is taken within its round, then the median.`);
console.log('Load = first encoder construction and first call in a fresh process. MB = 10^6 UTF-8 bytes.');
console.log('Exactness: token ids of every string against tiktoken\'s, with a new encoder; then again with the');
console.log('encoder that ran the timed runs.');
console.log();
console.log('| input | encoding | tokenizer | load ms | MB/s | × tiktoken | × tiktoken (CPU time) | strings with other ids | documents with other ids | ids sha256 = tiktoken\'s | same ids after the timed runs |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---|---|');
for (const { input, encoding, libraries } of groups.values()) {
  const reference = libraries.get('tiktoken');
  const referenceOf = (round) => reference.find((r) => r.round === round);
  for (const [library, rows] of libraries) {
    const first = rows[0];
    const name = `${library} ${first.version}`;
    const ratio = median(rows.map((r) => r.bestMBps / referenceOf(r.round).bestMBps));
    const cpuRatio = median(rows.map((r) => r.bestCpuMBps / referenceOf(r.round).bestCpuMBps));
    const sameIds = first.fingerprint === reference[0].fingerprint;
    let strings = 'reference', documents = 'reference', stable = 'yes';
    if (first.exactness) {
      const [fresh, reused] = [first.exactness, first.exactnessAfterTimedRuns];
      if (rows.some((r) => JSON.stringify([r.exactness, r.exactnessAfterTimedRuns]) !== JSON.stringify([fresh, reused]))) {
        notes.push(`${name} on ${input} ${encoding}: exactness differs between rounds; the first round's is shown.`);
      }
      const changed = reused.fingerprint !== fresh.fingerprint;
      strings = `${fresh.stringsDiffering} of ${fresh.strings} (${percent(fresh.stringsDiffering, fresh.strings)})`;
      documents = `${fresh.documentsDiffering} of ${fresh.documents} (${percent(fresh.documentsDiffering, fresh.documents)})`;
      if (changed) stable = `NO: then ${reused.stringsDiffering} strings differ`;
      for (const [kind, tally] of Object.entries(fresh.kinds)) {
        details.push(`| ${input} | ${encoding} | ${library} | ${kind} | ${tally.strings} | \`${cell(tally.examples[0].text)}\` | ${tally.examples[0].ids} |`);
      }
      for (const [kind, tally] of Object.entries(reused.kinds)) {
        if (changed) {
          details.push(`| ${input} | ${encoding} | ${library}, after the timed runs | ${kind} | ${tally.strings} | \`${cell(tally.examples[0].text)}\` | ${tally.examples[0].ids} |`);
        }
      }
      if (library === 'FineTune.Core' && (fresh.stringsDiffering > 0 || reused.stringsDiffering > 0 || !sameIds)) fineTuneExact = false;
    }
    for (const r of rows) {
      if (new Set(r.tokensPerRun ?? []).size > 1) notes.push(`${name} on ${input} ${encoding}, round ${r.round}: the token total changed between timed runs (${r.tokensPerRun.join(', ')}).`);
    }
    console.log(`| ${input} | ${encoding} | ${name} | ${median(rows.map((r) => r.loadMs)).toFixed(0)} | ${median(rows.map((r) => r.bestMBps)).toFixed(2)} | ${ratio.toFixed(2)}x | ${cpuRatio.toFixed(2)}x | ${strings} | ${documents} | ${sameIds ? 'yes' : 'NO'} | ${stable} |`);
  }
}
console.log();
if (details.length > 0) {
  console.log('Where the ids differ: strings by kind of the text around the first differing token (▸), with an');
  console.log('example and the ids from there on (tiktoken / the library).');
  console.log();
  console.log('| input | encoding | tokenizer | kind | strings | example | ids |');
  console.log('|---|---|---|---|---:|---|---|');
  for (const line of details) console.log(line);
} else {
  console.log('Every tokenizer gave tiktoken\'s ids for every string.');
}
for (const note of notes) console.log(`\nNote: ${note}`);
if (!fineTuneExact) {
  console.error('FineTune.Core differs from tiktoken: see the tables above.');
  process.exit(1);
}
