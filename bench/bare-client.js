#!/usr/bin/env node
// The bare `ws` client loop that bench:engine holds framebench against: N sockets, one continuous
// generate request each, a frame counter and one HDR histogram of frame latency (receive time −
// the header's due time). Nothing else; imports nothing from framebench. Prints "measure" and
// "drain" on stderr at the edges of the measured window, then one JSON line on stdout.
//
// With --release it also empties ws's per-message fragments array when each message arrives (what
// framebench's client does, see src/protocol/ws-message-release.ts), written out here in three lines.
//
//   node bench/bare-client.js --url ws://127.0.0.1:PORT/ --clients 1000 --fps 10 --ramp 1 --warmup 2 --seconds 10 [--address 127.0.0.12 ...] [--release]
import { parseArgs } from 'node:util';
import * as hdr from 'hdr-histogram-js';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    clients: { type: 'string', default: '1000' },
    fps: { type: 'string', default: '10' },
    format: { type: 'string', default: 'jpeg' },
    resolution: { type: 'string', default: '360p' },
    quality: { type: 'string', default: '75' },
    ramp: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '10' },
    address: { type: 'string', multiple: true },
    release: { type: 'boolean', default: false },
  },
});
const clients = Number(values.clients);
const origin = performance.timeOrigin;
const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });
let measuring = false;
let frames = 0;
let errors = 0;
const sockets = [];
const request = JSON.stringify({ type: 'generate', requestId: 1, format: values.format, resolution: values.resolution, quality: Number(values.quality), fps: Number(values.fps), frames: 0 });

const addresses = values.address ?? [];
function open(i) {
  const ws = new WebSocket(values.url, { perMessageDeflate: false, ...(addresses.length ? { localAddress: addresses[i % addresses.length] } : {}) });
  ws.binaryType = 'nodebuffer';
  ws.on('open', () => ws.send(request));
  let carrier;
  ws.on('message', (data, isBinary) => {
    if (values.release) {
      if (carrier) carrier.length = 0;
      carrier = ws._receiver?._fragments;
    }
    if (!isBinary || !measuring) return;
    frames++;
    const us = (origin + performance.now()) * 1000 - data.readDoubleBE(12);
    hist.recordValue(us < 0 ? 0 : us);
  });
  ws.on('error', () => errors++);
  sockets.push(ws);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rampMs = Number(values.ramp) * 1000;
const t0 = performance.now();
for (let i = 0; i < clients; i++) {
  open(i);
  const due = t0 + ((i + 1) / clients) * rampMs;
  if (i % 50 === 49 && performance.now() < due) await sleep(due - performance.now());
}
await sleep(Math.max(0, t0 + rampMs - performance.now()) + Number(values.warmup) * 1000);
measuring = true;
process.stderr.write('measure\n');
const start = performance.now();
await sleep(Number(values.seconds) * 1000);
measuring = false;
const wall = (performance.now() - start) / 1000;
process.stderr.write('drain\n');
const ms = (us) => Math.round(us) / 1000;
const out = { frames, wallSec: wall, p50: ms(hist.getValueAtPercentile(50)), p99: ms(hist.getValueAtPercentile(99)), max: ms(hist.maxValue), errors, open: sockets.filter((s) => s.readyState === WebSocket.OPEN).length };
for (const ws of sockets) ws.terminate();
process.stdout.write(`${JSON.stringify(out)}\n`);
await sleep(200);
process.exit(0);
