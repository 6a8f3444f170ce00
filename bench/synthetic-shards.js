// Synthetic shard results of a long soak, as `bench soak --shard I/N` would write them: one cell,
// windows rolled up to at most 1200 (as the collector does), each window with its own HDR
// histogram, totals that are exactly the union of the windows. Used by `npm run bench:merge` and
// by the merge tests. Values are drawn from a seeded generator: the same arguments give the same files.
import { createHistogram, summarize } from '../dist/metrics/hdr.js';
import { mulberry32 } from '../dist/random.js';
import { RESULTS_SCHEMA } from '../dist/results/types.js';

/** A latency in µs around `medianMs` with a long tail. */
function sample(rand, medianMs) {
  const u = Math.max(1e-9, rand());
  return Math.round(medianMs * 1000 * Math.exp(0.35 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand())));
}

/**
 * @param {{ index: number, count: number, seconds: number, clients: number, fps: number, runId: string, startMs: number, maxWindows?: number, distinct?: number, seed?: number }} o
 */
export function syntheticShard(o) {
  const rand = mulberry32((o.seed ?? 1) * 7919 + o.index);
  const maxWindows = o.maxWindows ?? 1200;
  const windowSec = Math.max(1, Math.ceil(o.seconds / maxWindows));
  const windows = Math.ceil(o.seconds / windowSec);
  const distinct = o.distinct ?? 64;
  const frame = createHistogram();
  const lateness = createHistogram();
  const timeseries = [];
  let frames = 0;
  for (let w = 0; w < windows; w++) {
    const h = createHistogram();
    const inWindow = o.clients * o.fps * windowSec;
    const per = Math.max(1, Math.floor(inWindow / distinct));
    for (let k = 0; k < distinct; k++) {
      h.recordValueWithCount(sample(rand, 40 + 5 * o.index), per);
      lateness.recordValueWithCount(sample(rand, 8), per);
    }
    frame.add(h);
    frames += per * distinct;
    const p = summarize(h);
    timeseries.push({
      t: (w + 1) * windowSec,
      durationSec: windowSec,
      framesPerSec: (per * distinct) / windowSec,
      bytesPerSec: Math.round((per * distinct * 20000) / windowSec),
      p50: p.p50,
      p99: p.p99,
      connections: o.clients,
      errors: 0,
      lost: 0,
      reconnects: 0,
      hdr: p.hdr,
      harnessCpuPct: 40,
      loopDelayP99Ms: 12,
    });
    h.destroy();
  }
  const connect = createHistogram();
  for (let c = 0; c < o.clients; c++) connect.recordValue(sample(rand, 3));
  const startedAt = new Date(o.startMs).toISOString();
  const endedAt = new Date(o.startMs + o.seconds * 1000).toISOString();
  const cell = {
    id: 'default',
    params: { clients: o.clients, fps: o.fps, format: 'webp', resolution: '480p', bufferDepth: 5, quality: 75 },
    startedAt,
    endedAt,
    measureStartedAt: startedAt,
    durationSec: o.seconds,
    counts: {
      framesExpected: frames,
      framesReceived: frames,
      framesLost: 0,
      framesDuplicated: 0,
      bytesReceived: frames * 20000,
      requests: o.clients,
      requestsCompleted: o.clients,
      connects: o.clients,
      connectFailures: 0,
      reconnects: 0,
      errors: 0,
      resumes: 0,
      lossRatio: 0,
    },
    errorsByKind: {},
    latencyMs: { frame: summarize(frame), lateness: summarize(lateness), connect: summarize(connect), firstFrame: summarize(connect) },
    throughput: { framesPerSec: Math.round((frames / o.seconds) * 10) / 10, bytesPerSec: Math.round((frames * 20000) / o.seconds), bytesPerFrame: 20000 },
    clock: { offsetMs: 0.02 * o.index, uncertaintyMs: 0.2, samples: 8, applied: false },
    timeseries,
    events: [{ t: 10, kind: 'kill-clients', detail: 'fraction 0.02', hit: Math.round(o.clients * 0.02) }],
    thresholds: [],
  };
  for (const h of [frame, lateness, connect]) h.destroy();
  return {
    schema: RESULTS_SCHEMA,
    tool: { name: 'framebench', version: '0.1.0' },
    runId: o.runId,
    command: 'soak',
    startedAt,
    endedAt,
    scenario: { name: 'synthetic-soak', thresholds: { 'frame.p99': '< 500', 'counts.framesLost': '== 0' } },
    environment: { node: process.version, os: 'synthetic', cpus: 4, cpuModel: 'synthetic', target: 'ws://127.0.0.1:1/', embeddedServer: false },
    cells: [cell],
    shard: { index: o.index, count: o.count, label: `${o.index + 1}/${o.count}`, scenarioHash: 'synthetic0000', host: `node-${o.index}`, clock: { offsetMs: 0.02 * o.index, uncertaintyMs: 0.2, samples: 8 } },
    ok: true,
  };
}
