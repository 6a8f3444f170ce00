#!/usr/bin/env node
// Engine benchmark: framebench's client pool vs a minimal bare-`ws` client loop, against the same
// embedded reference server, same client count and frame size. Prints frames/s and frames per
// client CPU-second for both, and their ratio (target ≥ 0.9). A third engine runs the pool through
// a declarative protocol adapter (binary frames read as plain images, arrival-time metrics only,
// 1 in 50 frames' image header checked), as for a server framebench did not write. Client pinned to one core, server to
// the other, when taskset is available.
//
// The offered load (clients × fps) should stay below what the server sends on time on its core, so
// both engines see the same stream; "frames per client CPU-second" is then the per-core ingest cost.
//
//   npm run bench:engine -- [--clients 1000] [--fps 30] [--seconds 10] [--rounds 3] [--format jpeg] [--resolution 360p]
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { ClientPool } from '../dist/client/pool.js';
import { FrameCorpus } from '../dist/frames/corpus.js';
import { parseResolution } from '../dist/frames/resolution.js';
import { spawnEmbeddedServer } from '../dist/server/launcher.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    fps: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    resolution: { type: 'string', default: '360p' },
    format: { type: 'string', default: 'jpeg' },
    quality: { type: 'string', default: '75' },
  },
});
const clients = Number(values.clients);
const fps = Number(values.fps);
const seconds = Number(values.seconds);
const { format, resolution } = values;
const quality = Number(values.quality);

function pin(pid, core) {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dims = parseResolution(resolution);
const corpus = new FrameCorpus({ onProgress: (m) => process.stderr.write(`${m}\r`) });
const summary = await corpus.summary({ format, quality, ...dims });
const server = await spawnEmbeddedServer({ prewarm: [{ format, quality, ...dims }], heartbeatMs: 600_000 });
const pinned = pin(server.pid, 0) && pin(process.pid, 1);
console.log(`server ${server.url} · ${clients} clients · ${fps} fps each · ${format} ${resolution} q${quality} ≈ ${Math.round(summary.stats.meanBytes / 1024)} KiB/frame · ${seconds}s per engine · pinned: ${pinned ? 'client core 1, server core 0' : 'no (taskset unavailable)'}`);

const request = (id) => JSON.stringify({ type: 'generate', requestId: id, format, resolution, quality, fps, frames: 0 });

async function bare(measureSeconds = seconds) {
  let frames = 0;
  const sockets = [];
  await Promise.all(
    Array.from({ length: clients }, () => new Promise((resolve, reject) => {
      const ws = new WebSocket(server.url, { perMessageDeflate: false });
      ws.on('open', () => { ws.send(request(1)); resolve(); });
      ws.on('message', (data, isBinary) => { if (isBinary) frames++; });
      ws.on('error', reject);
      sockets.push(ws);
    })),
  );
  await sleep(1000);
  const f0 = frames;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(measureSeconds * 1000);
  const cpu = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  const got = frames - f0;
  for (const ws of sockets) ws.terminate();
  await sleep(500);
  return { framesPerSec: got / wall, perCpuSec: got / ((cpu.user + cpu.system) / 1e6), cpu: (cpu.user + cpu.system) / 1e6 / wall, userShare: cpu.user / (cpu.user + cpu.system) };
}

// The reference server's frames seen as a foreign server's: a binary image after 32 opaque bytes,
// no timestamp or sequence read; done and error matched in JSON; cancel described by a template.
const adapterProtocol = {
  request: { template: { type: 'generate', requestId: '${requestId}', format: '${format}', resolution: '${resolution}', quality: '${quality}', fps: '${fps}', frames: '${frames}' }, requestId: 'number' },
  prompts: ['bench'],
  upgrade: { headers: {}, query: {}, subprotocols: [] },
  frames: { binary: { payloadOffset: 32 } },
  done: { match: { type: 'done' }, requestId: 'requestId', frames: 'frames' },
  error: { match: { type: 'error' }, code: 'code', message: 'message', requestId: 'requestId' },
  ignore: [],
  end: { idle: '5s' },
  correlation: 'single',
  cancel: { template: { type: 'cancel', requestId: '${requestId}' } },
  validate: 50,
};

async function harness(protocol) {
  const params = { clients, rampUp: 0, warmup: '1s', duration: `${seconds}s`, drainTimeout: '1s', fps, framesPerRequest: 'continuous', format, resolution, quality, bufferDepth: 5, transport: 'binary' };
  const pool = new ClientPool({ url: server.url, params, offsetUs: 0, wsOptions: {}, protocol });
  let c0;
  pool.on('phase', (p) => {
    if (p === 'measure') c0 = process.cpuUsage();
    if (p === 'drain') cpuAtEnd = process.cpuUsage(c0);
  });
  let cpuAtEnd;
  const snap = await pool.run();
  const cpu = (cpuAtEnd.user + cpuAtEnd.system) / 1e6;
  return {
    framesPerSec: snap.counts.framesReceived / snap.measuredSec,
    perCpuSec: snap.counts.framesReceived / cpu,
    cpu: cpu / snap.measuredSec,
    userShare: cpuAtEnd.user / (cpuAtEnd.user + cpuAtEnd.system),
    p50: snap.latencyMs.frame.p50,
    p99: snap.latencyMs.frame.p99,
    gapP99: snap.latencyMs.gap?.p99,
    lateP99: snap.latencyMs.lateness.p99,
    frameCount: snap.latencyMs.frame.count,
    errors: snap.counts.errors,
    lost: snap.counts.framesLost,
    expected: snap.counts.framesExpected,
    received: snap.counts.framesReceived,
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (x) => Math.round(x).toLocaleString('en-US');

await bare(3);
console.log('warm-up round done (server and client JIT, connection storm), not counted');
const rounds = Number(values.rounds);
const bs = [];
const hs = [];
const as = [];
for (let r = 1; r <= rounds; r++) {
  const b = await bare();
  bs.push(b);
  console.log(`round ${r} bare ws loop : ${fmt(b.framesPerSec)} frames/s · ${fmt(b.perCpuSec)} frames per client CPU-second (client CPU ${(b.cpu * 100).toFixed(0)}%, ${(b.userShare * 100).toFixed(0)}% of it user time)`);
  const h = await harness();
  hs.push(h);
  console.log(`round ${r} framebench   : ${fmt(h.framesPerSec)} frames/s · ${fmt(h.perCpuSec)} frames per client CPU-second (client CPU ${(h.cpu * 100).toFixed(0)}%, ${(h.userShare * 100).toFixed(0)}% of it user time) · p50 ${h.p50} ms p99 ${h.p99} ms · expected ${h.expected} = received ${h.received} + lost ${h.lost}`);
  const a = await harness(adapterProtocol);
  as.push(a);
  console.log(`round ${r} adapter      : ${fmt(a.framesPerSec)} frames/s · ${fmt(a.perCpuSec)} frames per client CPU-second (client CPU ${(a.cpu * 100).toFixed(0)}%, ${(a.userShare * 100).toFixed(0)}% of it user time) · gap p99 ${a.gapP99} ms lateness p99 ${a.lateP99} ms · frame latency samples ${a.frameCount} · errors ${a.errors} · expected ${a.expected} = received ${a.received} + lost ${a.lost}`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bFps = median(bs.map((b) => b.framesPerSec));
const hFps = median(hs.map((h) => h.framesPerSec));
const bCpu = median(bs.map((b) => b.perCpuSec));
const hCpu = median(hs.map((h) => h.perCpuSec));
console.log(`median bare ws loop : ${fmt(bFps)} frames/s · ${fmt(bCpu)} frames per client CPU-second`);
console.log(`median framebench   : ${fmt(hFps)} frames/s · ${fmt(hCpu)} frames per client CPU-second`);
const aFps = median(as.map((a) => a.framesPerSec));
const aCpu = median(as.map((a) => a.perCpuSec));
console.log(`median adapter      : ${fmt(aFps)} frames/s · ${fmt(aCpu)} frames per client CPU-second`);
console.log(`ratio framebench / bare: ${(hFps / bFps).toFixed(3)} of frames/s · ${(hCpu / bCpu).toFixed(3)} of frames per client CPU-second (target ≥ 0.9)`);
console.log(`ratio adapter / bare   : ${(aFps / bFps).toFixed(3)} of frames/s · ${(aCpu / bCpu).toFixed(3)} of frames per client CPU-second (target ≥ 0.9)`);
await server.stop();
