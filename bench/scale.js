#!/usr/bin/env node
// Scale benchmark: 10 000 concurrent clients, each receiving 2 frames/s of 480p WebP from the
// embedded reference server on this machine. Prints delivered vs requested frames/s, the frame
// accounting, the connect ramp rate, harness RSS (main + client workers, sampled every second),
// the harness's own saturation verdict, and memory per idle connection.
//
//   npm run bench:scale -- [--clients 10000] [--fps 2] [--ramp 10s] [--seconds 30] [--workers auto]
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ClientPool } from '../dist/client/pool.js';
import { parseWorkers } from '../dist/runner/capacity.js';
import { runScenario } from '../dist/runner/run-scenario.js';
import { validateScenario } from '../dist/scenario/load.js';
import { spawnEmbeddedServer } from '../dist/server/launcher.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '10000' },
    fps: { type: 'string', default: '2' },
    ramp: { type: 'string', default: '10s' },
    seconds: { type: 'string', default: '30' },
    workers: { type: 'string', default: 'auto' },
    idle: { type: 'string', default: '2000' },
  },
});
const clients = Number(values.clients);
const fps = Number(values.fps);

function rssOf(pattern) {
  try {
    const pids = execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    return pids.reduce((n, pid) => n + Number(execFileSync('ps', ['-o', 'rss=', '-p', pid], { encoding: 'utf8' }).trim() || 0) * 1024, 0);
  } catch {
    return 0;
  }
}
const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;

const scenario = validateScenario('bench/scale', {
  name: 'scale',
  clients,
  rampUp: values.ramp,
  warmup: '2s',
  duration: `${values.seconds}s`,
  drainTimeout: '5s',
  fps,
  framesPerRequest: 'continuous',
  format: 'webp',
  resolution: '480p',
  quality: 75,
  corpusFrames: 30,
});

let peakHarnessRss = 0;
let rampStart = 0;
let rampEnd = 0;
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss + rssOf('dist/client/worker-entry.js');
  peakHarnessRss = Math.max(peakHarnessRss, rss);
}, 1000);

console.log(`scale: ${clients} clients × ${fps} fps of 480p WebP (requested ${clients * fps} frames/s), ramp ${values.ramp}, ${values.seconds}s measured, workers ${values.workers}`);
const { results } = await runScenario(
  { file: 'bench/scale', scenario },
  {
    command: 'bench:scale',
    outDir: 'reports/bench-scale',
    workers: parseWorkers(values.workers),
    onProgress: (p) => {
      if (p.type === 'phase' && p.phase === 'ramp-up') rampStart = performance.now();
      if (p.type === 'phase' && p.phase === 'warm-up') rampEnd = performance.now();
      if (p.type === 'tick') {
        process.stderr.write(
          `  t=${p.point.t.toFixed(0)}s ${p.connections} connections ${p.point.framesPerSec.toFixed(0)} frames/s p99 ${p.point.p99.toFixed(1)} ms harness CPU ${p.point.harnessCpuPct ?? '?'}% loop p99 ${p.point.loopDelayP99Ms ?? '?'} ms\n`,
        );
      }
      if (p.type === 'log') process.stderr.write(`${p.message}\n`);
    },
  },
);
clearInterval(sampler);
const cell = results.cells[0];
const c = cell.counts;
const rampSec = ((rampEnd || performance.now()) - rampStart) / 1000;
console.log(`delivered     : ${cell.throughput.framesPerSec} frames/s of ${clients * fps} requested (${((cell.throughput.framesPerSec / (clients * fps)) * 100).toFixed(1)} %)`);
console.log(
  `accounting    : expected ${c.framesExpected} = received ${c.framesReceived} + lost ${c.framesLost} (${c.framesExpected === c.framesReceived + c.framesLost ? 'exact' : 'MISMATCH'}), duplicates ${c.framesDuplicated}, errors ${c.errors}`,
);
console.log(`connect ramp  : ${c.connects} connections in ≈${rampSec.toFixed(1)} s (${(c.connects / rampSec).toFixed(0)} new connections/s), connect p99 ${cell.latencyMs.connect.p99} ms, failures ${c.connectFailures}`);
console.log(`frame latency : p50 ${cell.latencyMs.frame.p50} ms · p99 ${cell.latencyMs.frame.p99} ms · max ${cell.latencyMs.frame.max} ms`);
console.log(
  `harness       : peak RSS ${mb(peakHarnessRss)} (main + client workers) · workers ${cell.harness?.workers} · max CPU ${cell.harness?.maxCpuPct}% · max loop delay p99 ${cell.harness?.maxLoopDelayMs} ms · saturated: ${cell.harnessSaturated ? `YES — ${cell.harness?.reason}` : 'no'}`,
);

// Memory per idle connection: clients that connect and ask for one frame a minute.
const idle = Number(values.idle);
const server = await spawnEmbeddedServer({ prewarm: [{ format: 'webp', width: 854, height: 480, quality: 75, frames: 30 }], corpusFrames: 30 });
global.gc?.();
const before = process.memoryUsage();
const pool = new ClientPool({
  url: server.url,
  params: { ...scenario, clients: idle, rampUp: '2s', warmup: '0s', duration: '3s', drainTimeout: '1s', fps: 1 / 60, framesPerRequest: 'continuous' },
  offsetUs: 0,
  wsOptions: {},
});
let idleRss = 0;
pool.on('tick', () => {
  global.gc?.();
  idleRss = Math.max(idleRss, process.memoryUsage().rss);
});
await pool.run();
await server.stop();
console.log(`idle clients  : ${idle} connections add ≈${((idleRss - before.rss) / idle / 1024).toFixed(1)} KiB RSS each to the harness process`);
