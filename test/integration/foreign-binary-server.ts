// A frame-streaming server written the way its authors would, with plain `ws` and nothing from
// framebench: each JSON request gets `frames`/`count` plain binary images (JPEG-like bytes, no
// header, no timestamp) at ~30 fps, then {"type":"done"}. It records what it sent.
import { WebSocketServer, type WebSocket } from 'ws';

export interface ForeignServer {
  url: string;
  sent: { requests: number; frames: number; dones: number };
  close(): Promise<void>;
}

function image(i: number): Buffer {
  const body = Buffer.alloc(2048, i & 0xff);
  body[0] = 0xff;
  body[1] = 0xd8;
  body[body.length - 2] = 0xff;
  body[body.length - 1] = 0xd9;
  return body;
}

export async function startForeignServer(): Promise<ForeignServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const sent = { requests: 0, frames: 0, dones: 0 };
  const timers = new Set<NodeJS.Timeout>();
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        return;
      }
      const asked = Number(msg.frames ?? msg.count);
      const count = Number.isFinite(asked) && asked > 0 ? Math.min(asked, 60) : 10;
      sent.requests++;
      let i = 0;
      const timer = setInterval(() => {
        if (ws.readyState !== ws.OPEN) {
          clearInterval(timer);
          timers.delete(timer);
          return;
        }
        if (i < count) {
          ws.send(image(i++), { binary: true });
          sent.frames++;
          return;
        }
        clearInterval(timer);
        timers.delete(timer);
        ws.send(JSON.stringify({ type: 'done' }));
        sent.dones++;
      }, 33);
      timers.add(timer);
    });
  });
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/`,
    sent,
    close: () =>
      new Promise((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
