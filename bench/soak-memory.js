#!/usr/bin/env node
// Soak memory benchmark: an accelerated long soak. Windows are 20 ms instead of 1 s, so a couple of
// minutes produce as many windows (and roll-ups) as a 2-hour soak. Prints harness RSS after
// warm-up and at the end, the growth, and how many windows the results keep (bounded).
// The npm script runs it with MALLOC_ARENA_MAX=2, as framebench's client worker and server
// processes run by default: without it glibc's per-thread malloc arenas grow RSS over hours
// while the JS heap stays flat (the figures below print both).
//
//   npm run bench:soak-memory -- [--seconds 150] [--window-ms 20] [--clients 200] [--fps 30]
import { parseArgs } from 'node:util';
import { ClientPool } from '../dist/client/pool.js';
import { spawnEmbeddedServer } from '../dist/server/launcher.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '150' },
    'window-ms': { type: 'string', default: '20' },
    clients: { type: 'string', default: '200' },
    fps: { type: 'string', default: '30' },
  },
});
const seconds = Number(values.seconds);
const windowMs = Number(values['window-ms']);
const warmupSec = seconds / 3;
const server = await spawnEmbeddedServer({ prewarm: [{ format: 'jpeg', width: 640, height: 360, quality: 75, frames: 30 }], corpusFrames: 30, heartbeatMs: 600_000 });
const params = {
  clients: Number(values.clients),
  rampUp: '2s',
  warmup: '1s',
  duration: `${seconds}s`,
  drainTimeout: '3s',
  fps: Number(values.fps),
  framesPerRequest: 60,
  format: 'jpeg',
  resolution: '360p',
  quality: 75,
  bufferDepth: 5,
  transport: 'binary',
};
const pool = new ClientPool({ url: server.url, params, offsetUs: 0, wsOptions: {}, windowMs });
const mib = (b) => (b / 2 ** 20).toFixed(1);
const samples = [];
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  samples.push({ t: (performance.now() - started) / 1000, rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers });
}, 1000);
let windows = 0;
let atWarm = 0;
let heapAtWarm = 0;
let maxKept = 0;
const started = performance.now();
pool.on('tick', () => {
  windows++;
  maxKept = Math.max(maxKept, pool.collector.timeseries.length);
  const elapsed = (performance.now() - started) / 1000;
  if (!atWarm && elapsed >= warmupSec) {
    global.gc?.();
    const m = process.memoryUsage();
    atWarm = m.rss;
    heapAtWarm = m.heapUsed;
    console.log(`after warm-up (${elapsed.toFixed(0)} s, ${windows} windows): harness RSS ${mib(atWarm)} MiB · JS heap ${mib(m.heapUsed)} MiB`);
  }
});
console.log(
  `accelerated soak: ${params.clients} clients × ${params.fps} fps for ${seconds} s with ${windowMs} ms windows (≈ ${Math.round((seconds * 1000) / windowMs)} windows, like ${((seconds * 1000) / windowMs / 3600).toFixed(1)} h of 1 s windows)`,
);
const snap = await pool.run();
global.gc?.();
clearInterval(sampler);
const endMem = process.memoryUsage();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const span = Math.max(5, seconds / 10);
const early = samples.filter((x) => x.t >= warmupSec && x.t < warmupSec + span);
const late = samples.filter((x) => x.t >= samples.at(-1).t - span);
const growth = (f) => ((median(late.map(f)) - median(early.map(f))) / median(early.map(f))) * 100;
console.log(
  `medians over ${span.toFixed(0)} s right after warm-up vs the last ${span.toFixed(0)} s: RSS ${mib(median(early.map((x) => x.rss)))} → ${mib(median(late.map((x) => x.rss)))} MiB (${growth((x) => x.rss).toFixed(1)} %) · JS heap ${mib(median(early.map((x) => x.heap)))} → ${mib(median(late.map((x) => x.heap)))} MiB (${growth((x) => x.heap).toFixed(1)} %) · buffers ${mib(median(early.map((x) => x.external)))} → ${mib(median(late.map((x) => x.external)))} MiB`,
);
const end = endMem.rss;
await server.stop();
console.log(
  `end (${windows} windows): harness RSS ${mib(end)} MiB · growth after warm-up ${(((end - atWarm) / atWarm) * 100).toFixed(1)} % (target < 10 %) · JS heap ${mib(endMem.heapUsed)} MiB (${(((endMem.heapUsed - heapAtWarm) / heapAtWarm) * 100).toFixed(1)} %)`,
);
console.log(
  `windows kept in the results: ${snap.timeseries.length} (max while running ${maxKept}, bound 1200) · frames ${snap.counts.framesReceived} · expected ${snap.counts.framesExpected} = received + lost ${snap.counts.framesReceived + snap.counts.framesLost}`,
);
