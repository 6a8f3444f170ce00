// A minimal protocol client for topology tests: one generate (or resume) on a raw WebSocket,
// counting distinct frames by seq so a test can check expected = received + lost by hand.
import WebSocket from 'ws';

export interface StreamRun {
  ws: WebSocket;
  seqs: Set<number>;
  lastSeq: number;
  done: Promise<{ type: string; frames?: number; code?: string }>;
  messages: Array<Record<string, unknown>>;
}

export function openStream(url: string, first: Record<string, unknown>, seqs = new Set<number>()): Promise<StreamRun> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: Array<Record<string, unknown>> = [];
    let settle!: (m: { type: string; frames?: number; code?: string }) => void;
    const done = new Promise<{ type: string; frames?: number; code?: string }>((r) => (settle = r));
    const run: StreamRun = { ws, seqs, lastSeq: -1, done, messages };
    for (const s of seqs) run.lastSeq = Math.max(run.lastSeq, s);
    ws.on('open', () => {
      ws.send(JSON.stringify(first));
      resolve(run);
    });
    ws.on('error', (err) => reject(err));
    ws.on('close', () => settle({ type: 'closed' }));
    ws.on('message', (d: Buffer, binary: boolean) => {
      if (binary) {
        const seq = d.readUInt32BE(8);
        seqs.add(seq);
        if (seq > run.lastSeq) run.lastSeq = seq;
        return;
      }
      const m = JSON.parse(d.toString()) as Record<string, unknown>;
      messages.push(m);
      if (m.type === 'done' || m.type === 'error') settle(m as { type: string });
    });
  });
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
