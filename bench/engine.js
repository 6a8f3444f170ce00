#!/usr/bin/env node
// Engine benchmark: what users run (`bench run --target` started as `npx bench` starts it: the
// executable bin/bench.js with its first line's node flags, plus its default client workers) against a bare `ws` client loop (bench/bare-client.js) receiving the same stream from the
// same embedded reference server. Server pinned to core 0, every client process to core 1; rounds
// alternate which engine goes first. Source addresses (127.0.0.x) only where one address has too
// few ports (28 231 per address towards one target): binding a source address makes every connect
// search for a free port, and loopback reuses TIME_WAIT ports only for unbound connects.
// Per load it prints frames per client CPU-second (all client processes, from /proc) and the ratio,
// frame latency p50/p99/max of both, peak RSS of both (process trees, sampled every 250 ms), the
// longest event-loop stall framebench saw in a measured window, how long the client main threads
// sat runnable waiting for core 1 (other processes on the machine), and the load average; then the
// in-process client pool (ClientPool in this process) as a second line.
// A third engine is `bench run` through a declarative protocol adapter (the reference frames read
// as plain binary images: arrival-time metrics, gaps, 1 in 50 image headers checked), as against
// a server framebench did not write; its ratio to the bare loop is printed too.
//
//   npm run bench:engine -- [--loads 1000x10,5000x2,10000x2] [--rounds 2] [--seconds 12] [--long] [--format jpeg] [--resolution 360p] [--no-in-process] [--no-adapter] [--no-bare] [--bare-release] [--cli-args="--workers 1"]
//
// --bare-release adds a fourth engine: the bare loop that also empties ws's per-message fragments
// array (as framebench's client does), so framebench's own cost can be read against a bare loop
// without ws's retention of every frame until a major GC.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ClientPool } from '../dist/client/pool.js';
import { FrameCorpus } from '../dist/frames/corpus.js';
import { parseResolution } from '../dist/frames/resolution.js';
import { spawnEmbeddedServer } from '../dist/server/launcher.js';
import { loadAverage, treeUsage } from './proc.js';

const { values } = parseArgs({
  options: {
    loads: { type: 'string', default: '1000x10,5000x2,10000x2' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    long: { type: 'boolean', default: false },
    resolution: { type: 'string', default: '360p' },
    format: { type: 'string', default: 'jpeg' },
    quality: { type: 'string', default: '75' },
    'no-in-process': { type: 'boolean', default: false },
    'no-adapter': { type: 'boolean', default: false },
    'no-bare': { type: 'boolean', default: false },
    'bare-release': { type: 'boolean', default: false },
    'cli-args': { type: 'string', default: '' },
  },
});
const rounds = Number(values.rounds ?? (values.long ? 3 : 2));
const seconds = Number(values.seconds ?? (values.long ? 60 : 12));
const { format, resolution } = values;
const quality = Number(values.quality);
const loads = values.loads.split(',').map((s) => {
  const [c, f] = s.split('x').map(Number);
  if (!(c > 0 && f > 0)) throw new Error(`--loads: "${s}" is not CLIENTSxFPS, e.g. 1000x10`);
  return { clients: c, fps: f };
});
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'bench.js');
const BARE = join(ROOT, 'bench', 'bare-client.js');
const rampSec = (clients) => Math.max(1, Math.ceil(clients / 2000));
/** Warm-up long enough for the connection storm to settle before the measured window. */
const warmupSec = (clients) => Math.max(2, Math.ceil(clients / 2500));
const PORTS_PER_ADDRESS = 28_000;

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
const work = mkdtempSync(join(tmpdir(), 'fb-engine-'));
let current; // the client process running now
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    current?.kill('SIGKILL');
    await server.stop();
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  });
}
console.log(
  `server ${server.url} · ${format} ${resolution} q${quality} ≈ ${Math.round(summary.stats.meanBytes / 1024)} KiB/frame · ${seconds}s measured per run, ${rounds} rounds per load, alternating · pinned: ${pinned ? 'server core 0, client processes core 1' : 'no (taskset unavailable)'}`,
);
console.log('machine is shared: figures are medians over rounds; the load average is printed beside each run');

let lastAddress = 10;
/** Fresh loopback source addresses for a run that needs more ports than one address has; none otherwise. */
const addresses = (clients) => {
  if (clients <= PORTS_PER_ADDRESS) return [];
  return Array.from({ length: Math.ceil(clients / PORTS_PER_ADDRESS) }, () => {
    lastAddress = lastAddress >= 250 ? 11 : lastAddress + 1;
    return `127.0.0.${lastAddress}`;
  });
};

/** Runs a client command pinned to core 1; CPU of its process tree between its "measure" and "drain" lines; peak tree RSS. */
function runClient(args, { direct = false } = {}) {
  return new Promise((resolve, reject) => {
    // direct: the file is run as an executable, as `npx bench` runs bin/bench.js (its first line's node flags apply)
    const child = spawn('taskset', ['-c', '1', ...(direct ? [] : [process.execPath]), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    let stdout = '';
    let stderr = '';
    let cpu0;
    let cpu1;
    let peakRss = 0;
    const poll = setInterval(() => {
      peakRss = Math.max(peakRss, treeUsage(child.pid).rss);
    }, 250);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      const text = d.toString();
      stderr += text;
      if (cpu0 === undefined && /^\s*measure$/m.test(text)) cpu0 = treeUsage(child.pid);
      if (cpu0 !== undefined && cpu1 === undefined && /^\s*drain$/m.test(text)) cpu1 = treeUsage(child.pid);
    });
    child.on('close', (code) => {
      clearInterval(poll);
      if (cpu0 === undefined || cpu1 === undefined) return reject(new Error(`client run exited with ${code} without a measured window:\n${stderr.slice(-2000)}`));
      resolve({ code, stdout, stderr, cpuSec: cpu1.cpuSec - cpu0.cpuSec, userSec: cpu1.userSec - cpu0.userSec, waitSec: cpu1.waitSec - cpu0.waitSec, peakRss });
    });
  });
}

async function bare({ clients, fps }, release = false) {
  const r = await runClient([
    BARE,
    ...(release ? ['--release'] : []),
    '--url',
    server.url,
    '--clients',
    String(clients),
    '--fps',
    String(fps),
    '--format',
    format,
    '--resolution',
    resolution,
    '--quality',
    String(quality),
    '--ramp',
    String(rampSec(clients)),
    '--warmup',
    String(warmupSec(clients)),
    '--seconds',
    String(seconds),
    ...addresses(clients).flatMap((a) => ['--address', a]),
  ]);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  return { frames: out.frames, framesPerSec: out.frames / out.wallSec, cpuSec: r.cpuSec, userSec: r.userSec, p50: out.p50, p99: out.p99, max: out.max, peakRss: r.peakRss, waitSec: r.waitSec, errors: out.errors, open: out.open };
}

// The reference server's frames seen as a foreign server's: a binary image after 32 opaque bytes,
// no timestamp or sequence read; done and error matched in JSON; cancel described by a template.
const ADAPTER_PROTOCOL = {
  request: { template: { type: 'generate', requestId: '${requestId}', format: '${format}', resolution: '${resolution}', quality: '${quality}', fps: '${fps}', frames: '${frames}' } },
  frames: { binary: { payloadOffset: 32 } },
  done: { match: { type: 'done' }, requestId: 'requestId', frames: 'frames' },
  error: { match: { type: 'error' }, code: 'code', message: 'message', requestId: 'requestId' },
  cancel: { template: { type: 'cancel', requestId: '${requestId}' } },
  validate: 50,
};

async function cli({ clients, fps }, n, protocol) {
  const dir = join(work, `run-${n}`);
  const file = join(work, `engine-${n}.yaml`);
  writeFileSync(
    file,
    [
      `name: engine`,
      `clients: ${clients}`,
      `rampUp: ${rampSec(clients)}s`,
      `warmup: ${warmupSec(clients)}s`,
      `duration: ${seconds}s`,
      `drainTimeout: 2s`,
      `fps: ${fps}`,
      `framesPerRequest: continuous`,
      `format: ${format}`,
      `resolution: ${resolution}`,
      `quality: ${quality}`,
      ...(protocol ? [`protocol: ${JSON.stringify(protocol)}`] : []),
      '',
    ].join('\n'),
  );
  const ips = addresses(clients);
  const extra = values['cli-args'].split(' ').filter(Boolean);
  const r = await runClient([BIN, 'run', file, '--target', server.url, '--out', dir, ...(ips.length ? ['--source-ips', ips.join(',')] : []), ...extra], { direct: true });
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  const cell = results.cells[0];
  const frames = cell.throughput.framesPerSec * cell.durationSec;
  const f = cell.latencyMs.frame;
  const workers = cell.harness?.workers ?? 0;
  return {
    frames,
    framesPerSec: cell.throughput.framesPerSec,
    cpuSec: r.cpuSec,
    userSec: r.userSec,
    p50: f.p50,
    p99: f.p99,
    max: f.max,
    peakRss: r.peakRss,
    waitSec: r.waitSec,
    stallMs: cell.harness?.maxStallMs ?? 0,
    affected: (cell.harness?.pausedWindows ?? []).length,
    lost: cell.counts.framesLost,
    workers,
    open: Math.min(...cell.timeseries.map((p) => p.connections)),
    connectFailures: cell.counts.connectFailures,
    gapP99: cell.latencyMs.gap?.p99,
    lateP99: cell.latencyMs.lateness.p99,
    frameSamples: f.count,
    errors: cell.counts.errors,
  };
}

async function inProcess({ clients, fps }) {
  const params = {
    clients,
    rampUp: `${rampSec(clients)}s`,
    warmup: `${warmupSec(clients)}s`,
    duration: `${seconds}s`,
    drainTimeout: '2s',
    fps,
    framesPerRequest: 'continuous',
    format,
    resolution,
    quality,
    bufferDepth: 5,
    transport: 'binary',
  };
  const ips = addresses(clients);
  const pool = new ClientPool({ url: server.url, params, offsetUs: 0, wsOptions: {}, ...(ips.length ? { localAddresses: ips } : {}) });
  let c0;
  let cpu;
  let peakRss = 0;
  const poll = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 250);
  pool.on('phase', (p) => {
    if (p === 'measure') c0 = process.cpuUsage();
    if (p === 'drain') cpu = process.cpuUsage(c0);
  });
  const snap = await pool.run();
  clearInterval(poll);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  const frames = snap.window.frames;
  return {
    frames,
    framesPerSec: frames / snap.measuredSec,
    cpuSec,
    p50: snap.latencyMs.frame.p50,
    p99: snap.latencyMs.frame.p99,
    max: snap.latencyMs.frame.max,
    peakRss,
    stallMs: Math.max(0, ...snap.timeseries.map((p) => p.loopStallMs ?? 0)),
  };
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');
const mb = (b) => `${Math.round(b / 2 ** 20)} MB`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const perCpu = (r) => r.frames / r.cpuSec;
const ms1 = (x) => (Math.round(x * 10) / 10).toString();
const line = (r) =>
  `${fmt(r.framesPerSec)} frames/s · CPU ${((r.cpuSec / seconds) * 100).toFixed(0)}% · ${fmt(perCpu(r))} frames per CPU-s · p50 ${ms1(r.p50)} p99 ${ms1(r.p99)} max ${ms1(r.max)} ms · peak RSS ${mb(r.peakRss)}${r.waitSec === undefined ? '' : ` · waited for CPU ${r.waitSec.toFixed(2)} s`}`;

let n = 0;
const table = [];
for (const load of loads) {
  console.log(`\n== ${load.clients} clients × ${load.fps} fps (${fmt(load.clients * load.fps)} frames/s offered) ==`);
  const bs = [];
  const cs = [];
  const as = [];
  const rs = [];
  for (let r = 1; r <= rounds; r++) {
    const order = (r % 2 ? ['bare', 'release', 'cli', 'adapter'] : ['adapter', 'cli', 'release', 'bare']).filter(
      (w) => !(w === 'adapter' && values['no-adapter']) && !(w === 'bare' && values['no-bare']) && !(w === 'release' && !values['bare-release']),
    );
    for (const which of order) {
      if (which === 'bare') {
        const b = await bare(load);
        bs.push(b);
        console.log(`round ${r} bare ws loop  : ${line(b)} · ${b.open} open at the end · load ${loadAverage()}`);
      } else if (which === 'release') {
        const b = await bare(load, true);
        rs.push(b);
        console.log(`round ${r} bare + release: ${line(b)} · ${b.open} open at the end · load ${loadAverage()}`);
      } else if (which === 'adapter') {
        const a = await cli(load, n++, ADAPTER_PROTOCOL);
        as.push(a);
        console.log(
          `round ${r} bench run, adapter: ${line(a)} · gap p99 ${a.gapP99} ms · lateness p99 ${a.lateP99} ms · frame latency samples ${a.frameSamples} (none: no timestamp read) · errors ${a.errors} · lost ${a.lost} · load ${loadAverage()}`,
        );
      } else {
        const c = await cli(load, n++);
        cs.push(c);
        console.log(
          `round ${r} bench run     : ${line(c)} · longest stall ${c.stallMs} ms (${c.affected} windows affected) · ${c.workers} worker(s) · ≥ ${c.open} open, ${c.connectFailures} connect failures · lost ${c.lost} · load ${loadAverage()}`,
        );
      }
    }
  }
  const m = (xs, f) => Math.round(median(xs.map(f)) * 10) / 10;
  const medians = (xs) => ({ perCpu: m(xs, perCpu), p50: m(xs, (x) => x.p50), p99: m(xs, (x) => x.p99), max: m(xs, (x) => x.max), rss: m(xs, (x) => x.peakRss) });
  const row = {
    load: `${load.clients}×${load.fps}`,
    bare: medians(bs),
    cli: { ...medians(cs), stall: Math.max(...cs.map((x) => x.stallMs)) },
  };
  table.push(row);
  console.log(`median bare ws loop : ${fmt(row.bare.perCpu)} frames per client CPU-s · p50 ${row.bare.p50} p99 ${row.bare.p99} max ${row.bare.max} ms · peak RSS ${mb(row.bare.rss)}`);
  console.log(`median bench run    : ${fmt(row.cli.perCpu)} frames per client CPU-s · p50 ${row.cli.p50} p99 ${row.cli.p99} max ${row.cli.max} ms · peak RSS ${mb(row.cli.rss)} · longest stall ${row.cli.stall} ms`);
  console.log(
    `ratio bench run / bare: frames per CPU-s ${(row.cli.perCpu / row.bare.perCpu).toFixed(3)} (target ≥ 0.9) · p99 ${(row.cli.p99 / row.bare.p99).toFixed(2)}× (target ≤ 1.25×) · RSS ${(row.cli.rss / row.bare.rss).toFixed(2)}× (target ≤ 1.5×)`,
  );
  if (rs.length) {
    const rel = medians(rs);
    console.log(`median bare + release: ${fmt(rel.perCpu)} frames per client CPU-s · p50 ${rel.p50} p99 ${rel.p99} max ${rel.max} ms · peak RSS ${mb(rel.rss)}`);
    console.log(`ratio bench run / bare + release: frames per CPU-s ${(row.cli.perCpu / rel.perCpu).toFixed(3)} · p99 ${(row.cli.p99 / rel.p99).toFixed(2)}× · RSS ${(row.cli.rss / rel.rss).toFixed(2)}×`);
  }
  if (as.length) {
    const adapterPerCpu = m(as, perCpu);
    console.log(
      `median adapter      : ${fmt(adapterPerCpu)} frames per client CPU-s · ratio adapter / bare ${(adapterPerCpu / row.bare.perCpu).toFixed(3)} (target ≥ 0.9) · adapter / reference ${(adapterPerCpu / row.cli.perCpu).toFixed(3)}`,
    );
  }
  if (!values['no-in-process']) {
    const ip = await inProcess(load);
    console.log(`in-process ClientPool: ${line(ip)} · longest stall ${ip.stallMs} ms · ${(perCpu(ip) / row.bare.perCpu).toFixed(3)} of the bare loop's frames per CPU-s · load ${loadAverage()}`);
  }
}

console.log('\nload        | bare frames/CPU-s | bench run frames/CPU-s | ratio | bare p50/p99/max ms | bench run p50/p99/max ms | bare RSS | bench run RSS | longest stall');
for (const r of table) {
  console.log(
    `${r.load.padEnd(11)} | ${fmt(r.bare.perCpu).padStart(17)} | ${fmt(r.cli.perCpu).padStart(22)} | ${(r.cli.perCpu / r.bare.perCpu).toFixed(2).padStart(5)} | ${`${r.bare.p50}/${r.bare.p99}/${r.bare.max}`.padStart(19)} | ${`${r.cli.p50}/${r.cli.p99}/${r.cli.max}`.padStart(24)} | ${mb(r.bare.rss).padStart(8)} | ${mb(r.cli.rss).padStart(13)} | ${r.cli.stall} ms`,
  );
}
await server.stop();
rmSync(work, { recursive: true, force: true });
