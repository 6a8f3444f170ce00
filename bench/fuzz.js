#!/usr/bin/env node
// Long-form fuzz of the reference server: 100 000 messages of each hostile message family (and a
// 100 000-message flood), peers that never read, idle sockets and encode churn, against the embedded
// server in a child process on loopback, with a well-behaved 30 frames/s viewer in its own process.
// Prints per-family figures, the viewer's frame rate, the server's peak RSS against a stated bound,
// and every limit counter from /metrics; exits 1 when the viewer lost its rate, RSS went over the
// bound, or a limit was never hit.
//
//   npm run bench:fuzz -- [--messages 100000] [--rss-bound-mib 400] [--seed 1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnEmbeddedServer } from '../dist/server/launcher.js';
import { runFuzz } from './fuzz-driver.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    'rss-bound-mib': { type: 'string', default: '400' },
    seed: { type: 'string', default: '1' },
  },
});
const scale = Number(values.messages);
const rssBound = Number(values['rss-bound-mib']) * 2 ** 20;
const cacheDir = mkdtempSync(join(tmpdir(), 'framebench-fuzz-'));
const limits = {
  idleTimeoutMs: 5000,
  slowClientMs: 2000,
  maxBufferBytes: 256 * 1024,
  maxCorpusEntries: 4,
  maxQueuedEncodes: 2,
  maxMessageBytes: 256 * 1024,
  maxMessagesPerSec: 500,
};
const server = await spawnEmbeddedServer({ host: '127.0.0.1', port: 0, cacheDir, corpusFrames: 2, prewarm: [{ format: 'png', width: 854, height: 480, quality: 75 }], ...limits });
process.stdout.write(`bench:fuzz: server ${server.url} (pid ${server.pid}) with ${JSON.stringify(limits)}\n`);
const started = performance.now();
let r;
try {
  r = await runFuzz({
    port: server.port,
    scale,
    floodMessages: scale,
    seed: Number(values.seed),
    idleWaitMs: 20_000,
    log: (line) => process.stdout.write(`  ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  ${line}\n`),
  });
  // Slow-client closes land a grace period after the run.
  await new Promise((res) => setTimeout(res, 4000));
  r.metrics = await (await import('./fuzz-driver.js')).serverMetrics(server.port);
} finally {
  await server.stop();
  rmSync(cacheDir, { recursive: true, force: true });
}

const pad = (s, n) => String(s).padEnd(n);
process.stdout.write(`\n${pad('family', 14)}${pad('messages', 10)}${pad('conns', 7)}${pad('replies', 9)}${pad('max reply B', 13)}codes · closes\n`);
for (const f of r.families) {
  const codes = Object.entries(f.codes ?? {})
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const closes = Object.entries(f.closes ?? {})
    .map(([k, n]) => `${k}×${n}`)
    .join(', ');
  process.stdout.write(`${pad(f.family, 14)}${pad(f.messages ?? f.requests ?? '-', 10)}${pad(f.connections ?? 1, 7)}${pad(f.replies ?? '-', 9)}${pad(f.maxReplyBytes ?? '-', 13)}${codes}${closes ? ` · ${closes}` : ''}\n`);
}
const m = r.metrics;
const sent = r.families.reduce((n, f) => n + (f.messages ?? 0), 0);
const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;
process.stdout.write(
  `\n${sent} hostile messages in ${r.seconds.toFixed(1)} s (${(sent / r.seconds).toFixed(0)}/s)\n` +
    `viewer: ${r.viewer.fps.toFixed(1)} frames/s of 30 requested, largest gap ${r.viewer.maxGapMs.toFixed(0)} ms, ${r.viewer.closed === null ? 'never closed' : `closed ${r.viewer.closed}`}\n` +
    `server: peak RSS ${mib(r.maxRssBytes)} (bound ${mib(rssBound)}), worst sampled event-loop delay p99 ${r.serverLoopLagP99Ms.toFixed(0)} ms\n\n`,
);
const counters = [
  ['requests_rejected_total', 'limit_exceeded / server_busy answers'],
  ['rate_limit_closes_total', 'rate_limited + close 1008'],
  ['idle_closes_total', 'no request in time, close 1008'],
  ['slow_client_closes_total', 'send buffer stuck over the cap, close 1008'],
  ['replies_dropped_total', 'replies over the send cap'],
  ['frames_dropped_total', 'frames over the send cap'],
  ['encodes_cancelled_total', 'encodes nobody waited for'],
  ['corpus_evictions_total', 'LRU evictions'],
];
for (const [k, what] of counters) process.stdout.write(`  ${pad(`framebench_server_${k}`, 46)}${pad(m[`framebench_server_${k}`], 10)}${what}\n`);
process.stdout.write(`  ${pad('framebench_server_corpus_entries', 46)}${pad(m.framebench_server_corpus_entries, 10)}in memory (cap ${limits.maxCorpusEntries})\n\n`);

const checks = [
  ['viewer kept ≥ 90 % of its frame rate', r.viewer.fps >= 27 && r.viewer.closed === null],
  [`server RSS stayed under ${mib(rssBound)}`, r.maxRssBytes < rssBound],
  ['every limit was hit and counted', counters.filter(([k]) => k !== 'frames_dropped_total').every(([k]) => m[`framebench_server_${k}`] > 0)],
  ['corpus cache within its cap', m.framebench_server_corpus_entries <= limits.maxCorpusEntries],
  ['replies stayed short (< 600 bytes)', r.families.every((f) => (f.maxReplyBytes ?? 0) < 600)],
];
for (const [what, ok] of checks) process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
