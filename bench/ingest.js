#!/usr/bin/env node
// Upload engine benchmark: framebench's cameras (UploadPool: schedule, lateness, ledger, HDR) vs a
// bare `ws` send loop (one timer per socket sending the same base64-JSON frame), against the same
// sink (a plain `ws` server in a child process that reads and discards). Prints frames/s sent on
// schedule and frames per client CPU-second for both, and their ratio.
//
//   npm run bench:ingest -- [--clients 200] [--fps 5] [--seconds 8] [--rounds 2] [--resolution 480p] [--transport base64-json|binary]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { FrameCorpus } from '../dist/frames/corpus.js';
import { parseResolution } from '../dist/frames/resolution.js';
import { UploadPool } from '../dist/ingest/upload-pool.js';
import { BinaryFrameTemplate, JsonFrameTemplate } from '../dist/ingest/wire.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    fps: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '8' },
    resolution: { type: 'string', default: '480p' },
    transport: { type: 'string', default: 'base64-json' },
  },
});
const clients = Number(values.clients);
const fps = Number(values.fps);
const seconds = Number(values.seconds);
const binary = values.transport === 'binary';
const dims = parseResolution(values.resolution);
const corpus = new FrameCorpus({ onProgress: (m) => process.stderr.write(`${m}\r`) });
const entry = await corpus.get({ format: 'jpeg', quality: 75, frames: 10, ...dims });
const templates = entry.frames.map((f) => (binary ? new BinaryFrameTemplate(f) : new JsonFrameTemplate(f.toString('base64'), 'jpeg', dims.width, dims.height)));
const frameBytes = templates[0].buffer.length;

const SINK = `
import { WebSocketServer } from 'ws';
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (ws) => ws.on('message', () => {}));
wss.on('listening', () => process.stdout.write(String(wss.address().port) + '\\n'));
`;
const sink = spawn(process.execPath, ['--input-type=module', '-e', SINK], { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve) => sink.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
const url = `ws://127.0.0.1:${port}/`;
console.log(`sink ${url} · ${clients} cameras · ${fps} fps each · jpeg ${values.resolution} ${values.transport} ≈ ${Math.round(frameBytes / 1024)} KiB/message · ${seconds}s per engine`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (x) => Math.round(x).toLocaleString('en-US');

async function bare() {
  let sent = 0;
  let measuring = false;
  const sockets = await Promise.all(
    Array.from(
      { length: clients },
      () =>
        new Promise((resolve, reject) => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          ws.on('open', () => resolve(ws));
          ws.on('error', reject);
        }),
    ),
  );
  const timers = sockets.map((ws, i) => {
    let seq = 0;
    const t = templates;
    return setTimeout(
      function loop() {
        const buf = t[seq % t.length].fill(seq++, Date.now());
        ws.send(buf, { binary });
        if (measuring) sent++;
        timers[i] = setTimeout(loop, 1000 / fps);
      },
      (i / clients) * (1000 / fps),
    );
  });
  await sleep(1000);
  measuring = true;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  measuring = false;
  const cpu = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  for (const t of timers) clearTimeout(t);
  for (const ws of sockets) ws.terminate();
  await sleep(300);
  return { framesPerSec: sent / wall, perCpuSec: sent / ((cpu.user + cpu.system) / 1e6), cpu: (cpu.user + cpu.system) / 1e6 / wall };
}

async function harness() {
  const pool = new UploadPool({
    url,
    clients,
    fps,
    binary,
    templates,
    rampUpMs: 0,
    warmupMs: 1000,
    durationMs: seconds * 1000,
    drainTimeoutMs: 0,
    maxBufferedBytes: 8 * 1024 * 1024,
    maxBacklog: 30,
    reconnect: { enabled: false, baseMs: 100, capMs: 1000, maxAttempts: 0, resume: false },
    seed: 1,
  });
  let c0;
  let cpu;
  pool.on('phase', (p) => {
    if (p === 'measure') c0 = process.cpuUsage();
    if (p === 'drain') cpu = process.cpuUsage(c0);
  });
  const snap = await pool.run();
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  const sent = snap.accounting.sent;
  return { framesPerSec: sent / snap.measuredSec, perCpuSec: sent / cpuSec, cpu: cpuSec / snap.measuredSec, due: snap.accounting.due, unsent: snap.accounting.unsent, late: snap.latencyMs.sendLateness };
}

await bare();
console.log('warm-up round done, not counted');
const bs = [];
const hs = [];
for (let r = 1; r <= Number(values.rounds); r++) {
  const b = await bare();
  bs.push(b);
  console.log(`round ${r} bare ws loop : ${fmt(b.framesPerSec)} frames/s · ${fmt(b.perCpuSec)} frames per client CPU-second (client CPU ${(b.cpu * 100).toFixed(0)}%)`);
  const h = await harness();
  hs.push(h);
  console.log(
    `round ${r} framebench   : ${fmt(h.framesPerSec)} frames/s · ${fmt(h.perCpuSec)} frames per client CPU-second (client CPU ${(h.cpu * 100).toFixed(0)}%) · due ${h.due}, unsent ${h.unsent} · send lateness p50 ${h.late.p50} ms p99 ${h.late.p99} ms`,
  );
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bFps = median(bs.map((b) => b.framesPerSec));
const hFps = median(hs.map((h) => h.framesPerSec));
const bCpu = median(bs.map((b) => b.perCpuSec));
const hCpu = median(hs.map((h) => h.perCpuSec));
console.log(`offered load: ${fmt(clients * fps)} frames/s`);
console.log(`median bare ws loop : ${fmt(bFps)} frames/s · ${fmt(bCpu)} frames per client CPU-second`);
console.log(`median framebench   : ${fmt(hFps)} frames/s · ${fmt(hCpu)} frames per client CPU-second`);
console.log(`ratio framebench / bare: ${(hFps / bFps).toFixed(3)} of frames/s · ${(hCpu / bCpu).toFixed(3)} of frames per client CPU-second`);
sink.kill('SIGTERM');
