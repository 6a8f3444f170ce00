// A streaming server as its authors would write it, not speaking framebench's protocol: one JSON
// request { type: "generate", request_id, count, fps, prompt }, then each frame as one plain binary
// JPEG (no header, no timestamp), heartbeats in between, { type: "done", request_id, frames_sent }.
// Needs ?token=abc on the upgrade. Prints {"port":N} once listening on 127.0.0.1 (port 0).
import { WebSocketServer } from 'ws';

const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(4000, 7), Buffer.from([0xff, 0xd9])]);
const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  verifyClient: (info) => new URL(info.req.url ?? '/', 'http://x').searchParams.get('token') === 'abc',
});

wss.on('connection', (ws) => {
  let stream = null;
  const heartbeat = setInterval(() => ws.send(JSON.stringify({ type: 'heartbeat', at: Date.now() })), 300);
  const finish = () => {
    if (!stream) return;
    clearInterval(stream.timer);
    ws.send(JSON.stringify({ type: 'done', request_id: stream.id, frames_sent: stream.sent }));
    stream = null;
  };
  ws.on('message', (data) => {
    let msg;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return ws.send(JSON.stringify({ type: 'error', error: { code: 'BAD_JSON', message: 'not JSON' } }));
    }
    if (msg.type === 'cancel' && stream && msg.request_id === stream.id) return finish();
    if (msg.type !== 'generate' || typeof msg.request_id !== 'string' || !(msg.count > 0) || !(msg.fps > 0)) {
      return ws.send(JSON.stringify({ type: 'error', request_id: msg.request_id, error: { code: 'BAD_REQUEST', message: 'need request_id, count, fps' } }));
    }
    if (stream) return ws.send(JSON.stringify({ type: 'error', request_id: msg.request_id, error: { code: 'BUSY', message: 'one stream at a time' } }));
    stream = { id: msg.request_id, sent: 0, timer: undefined };
    const s = stream;
    const tick = () => {
      if (stream !== s) return;
      ws.send(jpeg);
      s.sent++;
      if (s.sent >= msg.count) finish();
    };
    tick();
    s.timer = setInterval(tick, 1000 / msg.fps);
  });
  ws.on('close', () => {
    clearInterval(heartbeat);
    if (stream) clearInterval(stream.timer);
  });
});
wss.on('listening', () => process.stdout.write(`${JSON.stringify({ port: wss.address().port })}\n`));
