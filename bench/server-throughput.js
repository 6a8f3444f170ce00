#!/usr/bin/env node
// Measures how many frames/s the reference server (run as the embedded child process) sends on
// loopback: N connections, one continuous request each, counted by plain ws clients in this process.
// Usage: npm run build && node bench/server-throughput.js [--connections 1000] [--fps 60] [--seconds 10]
//        [--format jpeg] [--resolution 360p] [--quality 75] [--warmup 3] [--target ws://host:port/ (server figures blank)]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { nowUs } from '../dist/protocol/clock.js';
import { readTimeUs } from '../dist/protocol/header.js';
import { parseResolution } from '../dist/frames/resolution.js';
import { spawnEmbeddedServer } from '../dist/server/launcher.js';

const { values: a } = parseArgs({
  options: {
    connections: { type: 'string', default: '1000' },
    fps: { type: 'string', default: '60' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    format: { type: 'string', default: 'jpeg' },
    resolution: { type: 'string', default: '360p' },
    quality: { type: 'string', default: '75' },
    target: { type: 'string' },
  },
});
const connections = Number(a.connections);
const fps = Number(a.fps);
const dims = parseResolution(a.resolution);
const quality = Number(a.quality);
if (!dims) throw new Error(`bad --resolution ${a.resolution}`);

function cpuSeconds(pid) {
  if (pid === undefined) return NaN;
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

const noStats = { connections: NaN, framesSent: NaN, framesDropped: NaN, bytesSent: NaN };
const server = a.target ? { url: a.target, pid: undefined, stats: async () => noStats, stop: async () => {} } : await spawnEmbeddedServer({ prewarm: [{ format: a.format, ...dims, quality }] });
let frames = 0;
let bytes = 0;
const latencyBuckets = new Uint32Array(10_001);
const sockets = [];
for (let i = 0; i < connections; i++) {
  const ws = new WebSocket(server.url, { perMessageDeflate: false });
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return;
    frames++;
    bytes += data.length;
    const ms = Math.max(0, Math.round((nowUs() - readTimeUs(data)) / 1000));
    latencyBuckets[Math.min(ms, 10_000)]++;
  });
  ws.on('open', () => ws.send(JSON.stringify({ type: 'generate', requestId: 1, format: a.format, resolution: a.resolution, quality, fps, frames: 0 })));
  ws.on('error', (err) => console.error(`client ${i}: ${err.message}`));
  sockets.push(ws);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
await sleep(Number(a.warmup) * 1000);
latencyBuckets.fill(0);
const s0 = await server.stats();
const f0 = frames;
const b0 = bytes;
const c0 = cpuSeconds(server.pid);
const cc0 = process.cpuUsage();
const t0 = performance.now();
await sleep(Number(a.seconds) * 1000);
const dt = (performance.now() - t0) / 1000;
const s1 = await server.stats();
const cpu = (cpuSeconds(server.pid) - c0) / dt;
const cc = process.cpuUsage(cc0);
const clientCpu = (cc.user + cc.system) / 1e6 / dt;
const received = frames - f0;

function percentile(p) {
  const total = latencyBuckets.reduce((x, y) => x + y, 0);
  let acc = 0;
  for (let ms = 0; ms < latencyBuckets.length; ms++) {
    acc += latencyBuckets[ms];
    if (acc >= total * p) return ms;
  }
  return NaN;
}

console.log(
  JSON.stringify(
    {
      connections,
      fps,
      frame: `${a.format} ${a.resolution} q${quality}`,
      open: s1.connections,
      offeredFramesPerSec: connections * fps,
      serverSentFramesPerSec: Math.round((s1.framesSent - s0.framesSent) / dt),
      serverDroppedFramesPerSec: Math.round((s1.framesDropped - s0.framesDropped) / dt),
      serverMBPerSec: +((s1.bytesSent - s0.bytesSent) / dt / 1e6).toFixed(1),
      avgFrameBytes: Math.round((bytes - b0) / Math.max(1, received)),
      clientReceivedFramesPerSec: Math.round(received / dt),
      serverCpuCores: +cpu.toFixed(2),
      clientCpuCores: +clientCpu.toFixed(2),
      latencyMs: { p50: percentile(0.5), p99: percentile(0.99), max: percentile(1) },
    },
    null,
    2,
  ),
);
for (const ws of sockets) ws.terminate();
await server.stop();
