// Builds a corpus entry in a worker thread (rendering is CPU-bound JavaScript, encoding runs in sharp's
// threadpool): the caller's event loop stays free, and aborting the signal terminates the worker, so
// work nobody waits for stops at once.
import { Worker } from 'node:worker_threads';
import type { BuiltEntry } from './build.js';
import type { BuildReply } from './build-worker.js';
import { loadSharp } from './encode.js';
import type { CorpusKey } from './key.js';

// Compiled JS in dist/ (also when this module runs from src/ under a TypeScript test runner).
const ENTRY = new URL('../../dist/frames/build-worker.js', import.meta.url);

/** Thrown when the build was aborted (nobody waits for the entry any more). */
export class BuildCancelledError extends Error {
  constructor(label: string) {
    super(`corpus build of ${label} cancelled: no request waits for it`);
    this.name = 'BuildCancelledError';
  }
}

export async function buildEntryInWorker(key: Required<CorpusKey>, onFrame?: (done: number, total: number) => void, signal?: AbortSignal): Promise<BuiltEntry> {
  // sharp (a Node-API addon) must be loaded by the main thread before any worker loads it, or the
  // addon is unloaded with the first worker that exits.
  await loadSharp();
  const label = `${key.format} ${key.width}x${key.height}`;
  if (signal?.aborted) throw new BuildCancelledError(label);
  return new Promise<BuiltEntry>((resolve, reject) => {
    const worker = new Worker(ENTRY, { workerData: key });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void => {
      finish(() => reject(new BuildCancelledError(label)));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: BuildReply | { type: 'progress'; done: number; total: number }) => {
      if (msg.type === 'progress') {
        onFrame?.(msg.done, msg.total);
        return;
      }
      const all = Buffer.from(msg.data);
      const frames: Buffer[] = [];
      let off = 0;
      for (const n of msg.frameBytes) {
        frames.push(all.subarray(off, off + n));
        off += n;
      }
      finish(() => resolve({ frames, stats: msg.stats, encoder: msg.encoder }));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`corpus build of ${label}: worker exited with code ${code}`))));
  });
}
