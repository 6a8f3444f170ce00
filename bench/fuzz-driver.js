// Hostile-client fuzzer for a framebench reference server on loopback: families of hostile messages
// and behaviours (garbage, binary, bad fields, deep nesting, unknown ids, over-budget and cache-churning
// requests, floods, peers that never read, idle sockets, abandoned encodes) against the server while a
// well-behaved viewer streams beside them. Returns per-family figures, the viewer's frame rate and
// the server's RSS and limit counters from /metrics. Only `ws` and Node built-ins: it speaks to the
// server as any outside client would. Used by test/hardening/fuzz.test.ts and bench/fuzz.js.
import { fork } from 'node:child_process';
import { connect as netConnect } from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

/** Deterministic PRNG (mulberry32). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];

function garbage(rnd, max) {
  const n = 1 + Math.floor(rnd() * max);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(rnd() * 0x7f));
  return s;
}

const WEIRD = [null, true, -1, 1e308, -0.5, 'x'.repeat(16384), '\u001b[2J\u0007', [], {}, [1, [2, [3]]], 'NaN', 2 ** 53, '480p'];

/** Message makers per family: (rnd, i) => string | Buffer. */
const MAKERS = {
  'bad-json': (rnd) => garbage(rnd, 200),
  binary: (rnd) => Buffer.from(garbage(rnd, 512), 'latin1'),
  'bad-fields': (rnd, i) =>
    JSON.stringify({
      type: 'generate',
      requestId: rnd() < 0.2 ? pick(rnd, WEIRD) : i,
      format: rnd() < 0.5 ? pick(rnd, WEIRD) : 'webp',
      resolution: rnd() < 0.5 ? pick(rnd, WEIRD) : '99999x99999',
      quality: pick(rnd, WEIRD),
      fps: pick(rnd, WEIRD),
      frames: pick(rnd, WEIRD),
      transport: rnd() < 0.5 ? pick(rnd, WEIRD) : 'binary',
      session: rnd() < 0.3 ? pick(rnd, WEIRD) : undefined,
    }),
  'deep-json': (rnd) => {
    const d = 100 + Math.floor(rnd() * 5000);
    return `{"type":"generate","requestId":1,"format":${'['.repeat(d)}${']'.repeat(d)}}`;
  },
  'unknown-ids': (rnd, i) => (rnd() < 0.5 ? JSON.stringify({ type: 'cancel', requestId: i }) : JSON.stringify({ type: 'resume', session: `s${Math.floor(rnd() * 1e9)}`, requestId: i, lastSeq: Math.floor(rnd() * 100) })),
  'over-budget': (rnd, i) => JSON.stringify({ type: 'generate', requestId: i, format: pick(rnd, ['png', 'webp', 'jpeg']), resolution: pick(rnd, ['7680x4320', '4096x4096', '3840x2160']), quality: 75, fps: 30, frames: 10 }),
};

function open(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends `msgs` on one connection, then a clock marker; resolves with the replies seen and how it closed. */
async function burst(url, msgs, { settleMs = 10_000, chunked = true } = {}) {
  const ws = await open(url);
  const seen = { errors: 0, codes: {}, close: undefined, maxReplyBytes: 0 };
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.terminate();
      resolve(seen);
    };
    const timer = setTimeout(finish, settleMs);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      seen.maxReplyBytes = Math.max(seen.maxReplyBytes, data.length);
      let m;
      try {
        m = JSON.parse(String(data));
      } catch {
        return;
      }
      if (m.type === 'error') {
        seen.errors++;
        seen.codes[m.code] = (seen.codes[m.code] ?? 0) + 1;
      }
      if (m.type === 'clock' && m.t0 === -42) finish();
    });
    ws.on('close', (code) => {
      seen.close = code;
      finish();
    });
    ws.on('error', () => undefined);
    (async () => {
      for (let i = 0; i < msgs.length; i++) {
        if (done) return;
        ws.send(msgs.at(i));
        if (chunked && i % 50 === 49) await new Promise((r) => setImmediate(r));
      }
      ws.send(JSON.stringify({ type: 'clock', t0: -42 }));
    })();
  });
}

function mergeSeen(into, s) {
  into.connections++;
  into.replies += s.errors;
  into.maxReplyBytes = Math.max(into.maxReplyBytes, s.maxReplyBytes);
  for (const [k, n] of Object.entries(s.codes)) into.codes[k] = (into.codes[k] ?? 0) + n;
  if (s.close !== undefined) into.closes[s.close] = (into.closes[s.close] ?? 0) + 1;
}

/** One message family: `count` messages over connections of `perConn`, `parallel` at a time. */
async function family(url, name, count, { perConn = 400, parallel = 4, seed = 1 } = {}) {
  const rnd = prng(seed);
  const make = MAKERS[name];
  const out = { family: name, messages: 0, connections: 0, replies: 0, maxReplyBytes: 0, codes: {}, closes: {} };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = Math.min(perConn, count - next);
      const start = next;
      next += n;
      const msgs = { length: n, at: (i) => make(rnd, start + i) };
      mergeSeen(out, await burst(url, msgs));
      out.messages += n;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}

/** Floods one connection after another with `count` clock messages in total, `perConn` each. */
async function flood(url, count, perConn) {
  const out = { family: 'flood', messages: 0, connections: 0, replies: 0, maxReplyBytes: 0, codes: {}, closes: {} };
  for (let sent = 0; sent < count; sent += perConn) {
    const msgs = Array.from({ length: Math.min(perConn, count - sent) }, (_, i) => JSON.stringify({ type: 'clock', t0: i }));
    mergeSeen(out, await burst(url, msgs, { chunked: false }));
    out.messages += msgs.length;
  }
  return out;
}

function maskedText(text) {
  const payload = Buffer.from(text);
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x81, 0x80 | len]) : Buffer.from([0x81, 0x80 | 126, len >> 8, len & 0xff]);
  return Buffer.concat([head, Buffer.alloc(4), payload]);
}

/** Peers that upgrade, ask for fast frames, send bad requests, and never read a byte. */
async function noRead(port, conns, msgsEach) {
  const out = { family: 'no-read', messages: 0, connections: 0 };
  await Promise.all(
    Array.from({ length: conns }, async () => {
      const socket = netConnect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
      socket.pause();
      out.connections++;
      socket.write(maskedText(JSON.stringify({ type: 'generate', requestId: 1, format: 'png', resolution: '480p', quality: 75, fps: 200, frames: 0 })));
      // Frames fill the send buffer past its cap; bad requests keep coming in batches while it stays
      // there, so their replies must be dropped, until the server closes the connection.
      const bad = maskedText(JSON.stringify({ type: 'generate', requestId: 2, format: 'z'.repeat(2000) }));
      let closed = false;
      socket.on('close', () => (closed = true));
      const batch = Math.max(1, Math.ceil(msgsEach / 40));
      for (let sent = 0; sent < msgsEach && !closed; sent += batch) {
        await new Promise((r) => setTimeout(r, 250));
        for (let i = 0; i < batch && !closed; i++) socket.write(bad);
      }
      out.messages += msgsEach + 1;
    }),
  );
  return out;
}

/** Connections that never send anything. */
async function idle(url, conns, waitMs) {
  const out = { family: 'idle', connections: 0, closes: {} };
  await Promise.all(
    Array.from({ length: conns }, async () => {
      const ws = await open(url);
      out.connections++;
      const code = await new Promise((resolve) => {
        const t = setTimeout(() => resolve('still open'), waitMs);
        ws.once('close', (c) => {
          clearTimeout(t);
          resolve(c);
        });
      });
      ws.terminate();
      out.closes[code] = (out.closes[code] ?? 0) + 1;
    }),
  );
  return out;
}

/** Answers to generate requests on one connection: done or error per requestId. */
function answers(ws, out) {
  const waiting = new Map();
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const m = JSON.parse(String(data));
    if (m.type === 'error') out.codes[m.code] = (out.codes[m.code] ?? 0) + 1;
    if (m.type === 'done') out.done++;
    if (m.type === 'done' || m.type === 'error') waiting.get(m.requestId)?.();
  });
  ws.on('close', (code) => {
    out.closed = code;
    for (const wake of waiting.values()) wake();
  });
  return (id) =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, 30_000);
      waiting.set(id, () => {
        clearTimeout(t);
        resolve();
      });
    });
}

/** Distinct small entries at once (busy encoder), then one after another (cache churn), then abandoned encodes (cancellation). */
async function encodes(url, distinct, abandoned) {
  const out = { family: 'encodes', requests: 0, codes: {}, done: 0, closed: undefined };
  const ws = await open(url);
  const answer = answers(ws, out);
  const req = (id, quality) => {
    out.requests++;
    ws.send(JSON.stringify({ type: 'generate', requestId: id, format: 'jpeg', resolution: '64x36', quality, fps: 100, frames: 1 }));
    return answer(id);
  };
  await Promise.all(Array.from({ length: 8 }, (_, i) => req(i, 1 + i)));
  for (let i = 8; i < distinct; i++) await req(i, 1 + (i % 100));
  ws.terminate();
  const waits = [];
  for (let i = 0; i < abandoned; i++) {
    const a = await open(url);
    a.send(JSON.stringify({ type: 'generate', requestId: 1, format: 'png', resolution: `${640 + 16 * i}x360`, quality: 75, fps: 30, frames: 1 }));
    waits.push(new Promise((r) => setTimeout(r, 150)).then(() => a.terminate()));
  }
  await Promise.all(waits);
  return out;
}

/** A well-behaved viewer in a child process: frames/s and the largest gap within a time window. */
export async function startViewer(url, fps = 30) {
  const child = fork(fileURLToPath(new URL('./fuzz-viewer.js', import.meta.url)), [url, String(fps)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const samples = [];
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    const lines = buf.split('\n');
    buf = lines.pop();
    for (const l of lines) samples.push({ at: performance.now(), ...JSON.parse(l) });
  });
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the viewer got no frames')), 30_000);
    const check = setInterval(() => {
      if (samples.at(-1)?.frames > 10) {
        clearInterval(check);
        clearTimeout(t);
        resolve();
      }
    }, 50);
  });
  return {
    figures(fromMs, toMs) {
      const inWindow = samples.filter((s) => s.at >= fromMs && s.at <= toMs);
      if (inWindow.length < 2) return { fps: 0, maxGapMs: Infinity, closed: samples.at(-1)?.closed ?? null };
      const first = inWindow[0];
      const last = inWindow.at(-1);
      return {
        fps: ((last.frames - first.frames) / (last.at - first.at)) * 1000,
        maxGapMs: Math.max(...inWindow.slice(1).map((s) => s.maxGapMs)),
        closed: last.closed,
      };
    },
    stop: () => child.kill('SIGTERM'),
  };
}

export async function serverMetrics(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^(framebench_server_\w+|process_resident_memory_bytes|nodejs_eventloop_lag_max_seconds|nodejs_eventloop_lag_p99_seconds)(?:\{[^}]*\})? (\S+)$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

/**
 * Runs every family against ws://127.0.0.1:port/ with `scale` messages per message family.
 * The server is expected to run with short idle and slow-client limits (see the callers).
 */
export async function runFuzz({ port, scale, seed = 1, idleWaitMs = 3000, only, floodMessages, log = () => undefined }) {
  const on = (name) => !only || only.includes(name);
  const url = `ws://127.0.0.1:${port}/`;
  const viewer = await startViewer(url);
  await new Promise((r) => setTimeout(r, 500));
  const rss = [];
  const lag = [];
  const sampler = setInterval(() => {
    serverMetrics(port).then(
      (m) => {
        rss.push(m.process_resident_memory_bytes);
        lag.push(m.nodejs_eventloop_lag_p99_seconds * 1000);
      },
      () => undefined,
    );
  }, 250);
  const from = performance.now();
  const results = [];
  const names = Object.keys(MAKERS).filter(on);
  const streams = [];
  // Encode churn starts once the no-read peers' entry is being served, so the busy encoder cannot refuse them.
  const later = (ms, fn) => new Promise((r) => setTimeout(r, ms)).then(fn);
  if (on('encodes')) streams.push(later(1500, () => encodes(url, Math.min(40, Math.max(12, Math.floor(scale / 1000))), 3)).then((r) => void results.push(r)));
  streams.push(
    ...names.map((name, i) =>
      family(url, name, scale, { seed: seed + i }).then((r) => {
        log(`${name}: ${r.messages} messages`);
        results.push(r);
      }),
    ),
  );
  if (on('flood')) streams.push(flood(url, floodMessages ?? Math.max(2000, Math.floor(scale / 5)), 2000).then((r) => void results.push(r)));
  if (on('no-read')) streams.push(noRead(port, 4, Math.min(2000, Math.max(100, Math.floor(scale / 50)))).then((r) => void results.push(r)));
  if (on('idle')) streams.push(idle(url, 8, idleWaitMs).then((r) => void results.push(r)));
  await Promise.all(streams);
  const to = performance.now();
  await new Promise((r) => setTimeout(r, 1500));
  clearInterval(sampler);
  const metrics = await serverMetrics(port);
  const view = viewer.figures(from, to);
  viewer.stop();
  return { seconds: (to - from) / 1000, families: results, viewer: view, maxRssBytes: Math.max(...rss, metrics.process_resident_memory_bytes), serverLoopLagP99Ms: Math.max(0, ...lag.filter(Number.isFinite)), metrics };
}
