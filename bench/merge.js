#!/usr/bin/env node
// Merge benchmark: time to merge the shards of a long sharded soak. Writes N synthetic shard
// results files of a soak of the given length (windows rolled up to 1200 as a real soak's are),
// then times `bench merge` on them, in-process (the merge alone) and as the CLI (with report.html,
// summary.md and JUnit), and checks the merge is exact (frame counts and histogram totals).
//
//   npm run bench:merge -- [--shards 16] [--seconds 3600] [--clients 625] [--fps 15]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mergeShardResults } from '../dist/merge/merge-results.js';
import { decodeHistogram } from '../dist/metrics/hdr.js';
import { syntheticShard } from './synthetic-shards.js';

const { values } = parseArgs({ options: { shards: { type: 'string', default: '16' }, seconds: { type: 'string', default: '3600' }, clients: { type: 'string', default: '625' }, fps: { type: 'string', default: '15' } } });
const n = Number(values.shards);
const seconds = Number(values.seconds);
const dir = mkdtempSync(join(tmpdir(), 'fb-bench-merge-'));
const startMs = Math.floor(Date.now() / 1000) * 1000;
let t = performance.now();
const files = [];
let bytes = 0;
for (let index = 0; index < n; index++) {
  const r = syntheticShard({ index, count: n, seconds, clients: Number(values.clients), fps: Number(values.fps), runId: 'bench-merge', startMs });
  const sub = join(dir, `shard-${index + 1}`);
  mkdirSync(sub);
  const file = join(sub, 'results.json');
  writeFileSync(file, JSON.stringify(r));
  bytes += statSync(file).size;
  files.push({ file, results: r });
}
console.log(`generated ${n} shard results of a ${seconds} s soak (${files[0].results.cells[0].timeseries.length} windows each, ${(bytes / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

t = performance.now();
const { results } = mergeShardResults(files);
const mergeMs = performance.now() - t;
const cell = results.cells[0];
const expected = files.reduce((s, f) => s + f.results.cells[0].counts.framesReceived, 0);
const h = decodeHistogram(cell.latencyMs.frame.hdr);
const exact = cell.counts.framesReceived === expected && h.totalCount === expected && cell.latencyMs.frame.count === expected;
console.log(`merge (in-process): ${(mergeMs / 1000).toFixed(2)} s · ${cell.timeseries.length} merged windows · frames ${cell.counts.framesReceived} = Σ shards ${expected}, histogram total ${h.totalCount}: ${exact ? 'exact' : 'NOT EXACT'}`);

t = performance.now();
const out = join(dir, 'merged');
execFileSync(process.execPath, [new URL('../bin/bench.js', import.meta.url).pathname, 'merge', ...files.map((f) => f.file), '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
const cliMs = performance.now() - t;
const merged = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
console.log(`bench merge (CLI: read ${n} files, merge, write results.json, report.html, summary.md, junit.xml): ${(cliMs / 1000).toFixed(2)} s · merged p99 ${merged.cells[0].latencyMs.frame.p99} ms`);
rmSync(dir, { recursive: true, force: true });
if (!exact) process.exitCode = 1;
