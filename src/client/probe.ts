// Preflight: one connection to the target before the load starts, to fail fast with a clear
// message when it cannot be reached, and to estimate the clock offset.
import WebSocket, { type ClientOptions } from 'ws';
import { TargetError } from '../errors.js';
import { nowUs } from '../protocol/clock.js';
import type { ClockReply } from '../protocol/messages.js';
import { redactDeep, redactUrl } from '../text/redact.js';
import { estimateOffset, type ClockEstimate, type ClockSample } from './clock-sync.js';

/**
 * Connects once; with `samples` > 0 also runs clock exchanges (reference protocol only: a foreign
 * target gets no message at all, samples 0).
 */
export async function probeTarget(url: string, wsOptions: ClientOptions = {}, secrets: string[] = [], samples = 8, timeoutMs = 5000, subprotocols: string[] = []): Promise<ClockEstimate> {
  let ws: WebSocket;
  try {
    ws = await open(url, wsOptions, timeoutMs, subprotocols);
  } catch (err) {
    if (err instanceof TargetError) throw new TargetError(redactDeep(err.message.replace(url, redactUrl(url)), secrets));
    throw err;
  }
  try {
    const got: ClockSample[] = [];
    for (let i = 0; i < samples; i++) {
      const sample = await exchange(ws, timeoutMs);
      if (!sample) break;
      got.push(sample);
    }
    return estimateOffset(got);
  } finally {
    ws.close(1000, 'probe done');
  }
}

export function open(url: string, wsOptions: ClientOptions, timeoutMs: number, subprotocols: string[] = []): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, subprotocols, { perMessageDeflate: false, handshakeTimeout: timeoutMs, ...wsOptions });
    const fail = (why: string): void => {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      reject(new TargetError(`cannot connect to ${url}: ${why}`));
    };
    ws.once('open', () => {
      ws.removeAllListeners('error');
      ws.on('error', () => undefined);
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res) => {
      const hint = res.statusCode === 401 || res.statusCode === 403 ? ' (check the token)' : '';
      res.resume();
      fail(`the server answered HTTP ${res.statusCode ?? '?'} instead of upgrading${hint}`);
    });
    ws.once('error', (err: NodeJS.ErrnoException) => {
      const hint =
        err.code === 'ECONNREFUSED' ? ' (is the server running? `npx bench serve` starts one)' : /certificate|self.signed|CERT/i.test(`${err.code} ${err.message}`) ? ' (a private CA? pass --ca FILE; --insecure skips verification)' : '';
      fail(`${err.code ?? err.message}${err.code && err.message && !err.message.includes(err.code) ? `: ${err.message}` : ''}${hint}`);
    });
  });
}

/** One clock exchange; undefined when the server does not answer clock requests in time. */
function exchange(ws: WebSocket, timeoutMs: number): Promise<ClockSample | undefined> {
  return new Promise((resolve) => {
    const t0 = nowUs();
    const timer = setTimeout(() => finish(undefined), Math.min(timeoutMs, 2000));
    function onMessage(data: Buffer, isBinary: boolean): void {
      if (isBinary) return;
      try {
        const msg = JSON.parse(data.toString()) as ClockReply;
        if (msg.type === 'clock' && msg.t0 === t0) finish({ t0, t1: msg.t1, t2: nowUs() });
      } catch {
        /* not a clock reply */
      }
    }
    function finish(s: ClockSample | undefined): void {
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(s);
    }
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'clock', t0 }));
  });
}
