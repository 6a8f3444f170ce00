#!/usr/bin/env node
// k6 import benchmark: streams synthetic k6 `--out json` NDJSON (the samples an exported script
// writes: frame latency, lateness, frame bytes, per-request counters, vus) through a FIFO into
// `bench import k6`, so gigabytes pass without touching the disk. Prints lines/s, MB/s, and RSS
// after the first tenth and at the end: flat RSS means the import's memory does not grow with the
// file. A 1-hour run of 100 clients × 30 fps is about 32 M lines.
//
//   npm run bench:k6-import -- [--lines 8000000] [--clients 100] [--fps 30]
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importK6 } from '../dist/k6/import-results.js';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '8000000' }, clients: { type: 'string', default: '100' }, fps: { type: 'string', default: '30' } } });
const total = Number(values.lines);
const clients = Number(values.clients);
const fps = Number(values.fps);
const dir = mkdtempSync(join(tmpdir(), 'fb-k6-bench-'));
const fifo = join(dir, 'out.ndjson');
if (spawnSync('mkfifo', [fifo]).status !== 0) throw new Error('mkfifo failed');

let written = 0;
let bytes = 0;
const t0 = Date.parse('2026-12-01T20:00:00Z');
function* lines() {
  yield '{"type":"Metric","data":{"name":"frame_latency","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"frame_latency"}\n';
  const perSecond = clients * fps;
  for (let frame = 0; written < total; frame++) {
    const ms = t0 + (frame / perSecond) * 1000;
    const time = new Date(ms).toISOString();
    const tags = `{"group":"","scenario":"c00_default","cell":"default"}`;
    const latency = 2 + ((frame * 7919) % 1000) / 50 + (frame % 997 === 0 ? 120 : 0);
    yield `{"metric":"frame_latency","type":"Point","data":{"time":"${time}","value":${latency},"tags":${tags}}}\n`;
    yield `{"metric":"frame_lateness","type":"Point","data":{"time":"${time}","value":${latency / 3},"tags":${tags}}}\n`;
    yield `{"metric":"frame_bytes","type":"Point","data":{"time":"${time}","value":${20000 + (frame % 500)},"tags":${tags}}}\n`;
    if (frame % 30 === 29) {
      for (const [m, v] of [
        ['frames_expected', 30],
        ['frames_received', 30],
        ['frames_lost', 0],
        ['requests', 1],
        ['requests_completed', 1],
      ])
        yield `{"metric":"${m}","type":"Point","data":{"time":"${time}","value":${v},"tags":${tags}}}\n`;
    }
    if (frame % perSecond === 0) yield `{"metric":"vus","type":"Point","data":{"time":"${time}","value":${clients},"tags":{}}}\n`;
  }
}

async function produce() {
  const out = createWriteStream(fifo);
  for (const line of lines()) {
    written++;
    bytes += line.length;
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

const mib = (b) => (b / 2 ** 20).toFixed(1);
let rssAtTenth = 0;
let maxRss = 0;
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  maxRss = Math.max(maxRss, rss);
  if (!rssAtTenth && written >= total / 10) rssAtTenth = rss;
}, 200);
const started = performance.now();
const [{ results }] = await Promise.all([importK6({ files: [fifo], command: 'bench' }), produce()]);
const sec = (performance.now() - started) / 1000;
clearInterval(sampler);
const cell = results.cells[0];
rmSync(dir, { recursive: true, force: true });
console.log(`lines: ${written} (${mib(bytes)} MiB) in ${sec.toFixed(1)} s: ${Math.round(written / sec)} lines/s, ${(bytes / 2 ** 20 / sec).toFixed(1)} MiB/s`);
console.log(`imported: ${cell.latencyMs.frame.count} frames, p99 ${cell.latencyMs.frame.p99} ms, ${cell.timeseries.length} windows kept, ${cell.durationSec} s measured`);
console.log(`RSS: ${mib(rssAtTenth)} MiB after 10 % of the lines, ${mib(process.memoryUsage().rss)} MiB at the end, ${mib(maxRss)} MiB peak`);
