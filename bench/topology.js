#!/usr/bin/env node
// The cost of each hop, measured in one run on this machine: the same load (N clients, one stream
// each) through nginx → gateways → Redis → generators, straight to one gateway (Redis and the
// generators still behind it), and straight to the reference server. Prints frames/s and end-to-end
// p99 for each, and the ratios.
// Usage: npm run bench:topology [-- --clients 100 --fps 30 --seconds 10 --resolution 360p --format jpeg
//        --gateways 2 --generators 4 --concurrency 32]
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, httpOk, spawnPart, stopPid, BENCH_BIN } from '../dist/topology/parts.js';
import { topologyDown, topologyUp } from '../dist/topology/topology.js';

const { values: a } = parseArgs({
  options: {
    clients: { type: 'string', default: '100' },
    fps: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '10' },
    resolution: { type: 'string', default: '360p' },
    format: { type: 'string', default: 'jpeg' },
    gateways: { type: 'string', default: '2' },
    generators: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '32' },
    'cache-dir': { type: 'string' },
  },
});
const work = mkdtempSync(join(tmpdir(), 'fb-bench-topology-'));
const cache = a['cache-dir'] ? ['--cache-dir', a['cache-dir']] : [];
const scenarioFile = join(work, 'scenario.json');
writeFileSync(
  scenarioFile,
  JSON.stringify({
    name: 'bench-topology',
    clients: Number(a.clients),
    rampUp: '2s',
    warmup: '2s',
    duration: `${a.seconds}s`,
    drainTimeout: '10s',
    fps: Number(a.fps),
    framesPerRequest: 'continuous',
    format: a.format,
    resolution: a.resolution,
    quality: 75,
    bufferDepth: 5,
    corpusFrames: 60,
  }),
);

function run(label, target) {
  const out = join(work, label.replace(/\W+/g, '-'));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BENCH_BIN, 'run', scenarioFile, '--target', target, '-o', out, '-q', ...cache], { maxBuffer: 1 << 24 }, (err, _stdout, stderr) => {
      if (err && err.code !== 1) return reject(new Error(`${label}: bench run failed (${err.code}): ${stderr}`));
      const cell = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).cells[0];
      resolve({ label, fps: cell.throughput.framesPerSec, p99: cell.latencyMs.frame.p99, lost: cell.counts.framesLost, expected: cell.counts.framesExpected, l: cell.latencyMs });
    });
  });
}

const topoDir = join(work, 'topology');
let reference;
try {
  const topo = await topologyUp({
    dir: topoDir,
    gateways: Number(a.gateways),
    generators: Number(a.generators),
    cacheDir: a['cache-dir'],
    generatorArgs: ['--first-frame', '50ms ± 10ms', '--concurrency', a.concurrency],
  });
  const gw = topo.parts.find((p) => p.kind === 'gateway');
  const refPort = await freePort();
  reference = spawnPart('reference', 'gateway', process.execPath, [BENCH_BIN, 'serve', '--port', String(refPort), ...cache], join(work, 'reference.log'), refPort, `http://127.0.0.1:${refPort}/healthz`);
  for (let i = 0; i < 200 && !(await httpOk(reference.health)); i++) await new Promise((r) => setTimeout(r, 100));
  process.stdout.write(`load: ${a.clients} clients × ${a.fps} fps ${a.format} ${a.resolution}, ${a.seconds}s each; topology ${a.gateways} gateways, ${a.generators} generators × ${a.concurrency}\n`);
  const rows = [];
  rows.push(await run('reference server (direct)', `ws://127.0.0.1:${refPort}/`));
  rows.push(await run('one gateway (direct)', `ws://127.0.0.1:${gw.port}/`));
  rows.push(await run('topology (nginx)', topo.url));
  const ref = rows[0];
  process.stdout.write('\npath                         frames/s   e2e p99 ms   lost/expected   frames/s ratio   p99 ratio\n');
  for (const r of rows) {
    process.stdout.write(
      `${r.label.padEnd(28)} ${r.fps.toFixed(1).padStart(8)}   ${r.p99.toFixed(1).padStart(10)}   ${`${r.lost}/${r.expected}`.padStart(13)}   ${(r.fps / ref.fps).toFixed(3).padStart(14)}   ${(r.p99 / ref.p99).toFixed(2).padStart(9)}\n`,
    );
  }
  const t = rows[2].l;
  const hop = (k) => (t[k] ? `${t[k].p50.toFixed(1)} / ${t[k].p99.toFixed(1)}` : 'n/a');
  process.stdout.write(`\nthrough nginx, p50 / p99 ms: queue wait ${hop('queueWait')} · generator → gateway ${hop('generatorToGateway')} · gateway → client ${hop('gatewayToClient')} · end to end ${hop('frame')}\n`);
} finally {
  if (reference) await stopPid(reference.pid);
  await topologyDown(topoDir).catch((e) => process.stderr.write(`topology down: ${e.message}\n`));
  rmSync(work, { recursive: true, force: true });
}
