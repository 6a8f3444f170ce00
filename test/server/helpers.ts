// Test helpers for the reference server: temp corpus cache, a recording WebSocket client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { nowUs } from '../../src/protocol/clock.js';
import { isFrame, readRequestId } from '../../src/protocol/header.js';

/** One cache folder for the whole test file so corpus entries are encoded once. */
export function tempCacheDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'framebench-server-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Received {
  atUs: number;
  binary: boolean;
  data: Buffer;
  json?: Record<string, unknown>;
}

/** A WebSocket client that records every message with its receive time. */
export class Recorder {
  readonly messages: Received[] = [];
  private waiters: Array<() => void> = [];
  closeCode: number | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const atUs = nowUs();
      const buf = data as Buffer;
      const r: Received = { atUs, binary: isBinary, data: buf };
      if (!isBinary) r.json = JSON.parse(buf.toString('utf8')) as Record<string, unknown>;
      this.messages.push(r);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(msg: object | string): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Resolves when `pred` holds (checked after each message or close, and every 20 ms). */
  async until(pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 20));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  json(type: string, requestId?: number): Record<string, unknown>[] {
    return this.messages.filter((m) => m.json?.type === type && (requestId === undefined || m.json.requestId === requestId)).map((m) => m.json!);
  }

  async next(type: string, requestId?: number, timeoutMs?: number): Promise<Record<string, unknown>> {
    await this.until(() => this.json(type, requestId).length > 0, `a ${type} message`, timeoutMs);
    return this.json(type, requestId)[0]!;
  }

  frames(requestId?: number): Received[] {
    return this.messages.filter((m) => m.binary && isFrame(m.data) && (requestId === undefined || readRequestId(m.data) === requestId));
  }

  async closed(timeoutMs?: number): Promise<number> {
    await this.until(() => this.closeCode !== undefined, 'the close event', timeoutMs);
    return this.closeCode!;
  }

  close(): void {
    this.ws.terminate();
  }
}

export async function connect(url: string, opts: WebSocket.ClientOptions = {}): Promise<Recorder> {
  const ws = new WebSocket(url, opts);
  const rec = new Recorder(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return rec;
}

export function generate(requestId: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'generate', requestId, format: 'webp', resolution: '160x90', quality: 75, fps: 100, frames: 10, ...extra };
}
