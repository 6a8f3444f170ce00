// Child process of bench/fuzz-driver.js: a well-behaved viewer in its own process (its own event
// loop, so the fuzzer's work does not show in its figures). Streams one continuous 160x90 WebP
// request and prints a JSON line every 100 ms: frames so far and the largest gap between frames.
import WebSocket from 'ws';

const [url, fpsText] = process.argv.slice(2);
const fps = Number(fpsText ?? 30);
const ws = new WebSocket(url, { perMessageDeflate: false });
let frames = 0;
let last = 0;
let maxGapMs = 0;
let closed = null;
ws.on('open', () => {
  ws.send(JSON.stringify({ type: 'generate', requestId: 1, format: 'webp', resolution: '160x90', quality: 75, fps, frames: 0 }));
});
ws.on('message', (_data, isBinary) => {
  if (!isBinary) return;
  const now = performance.now();
  if (frames > 0) maxGapMs = Math.max(maxGapMs, now - last);
  last = now;
  frames++;
});
ws.on('close', (code) => (closed = code));
ws.on('error', () => undefined);
setInterval(() => {
  process.stdout.write(`${JSON.stringify({ frames, maxGapMs, closed })}\n`);
  maxGapMs = 0;
}, 100);
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
