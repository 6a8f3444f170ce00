// Frames the server streams: corpus entries fetched on demand and prepared for the hot path (format
// code, payload list, base64 computed once per entry on first use), held in a bounded LRU cache.
// Bounds: entries and bytes in memory (least recently used evicted first; a stream keeps the entry it
// plays until it ends), encodes running at once (each in a worker thread) and waiting; a build nobody
// waits for any more is cancelled. Refusals are BusyErrors, answered server_busy.
import type { CorpusEntry, CorpusKey } from '../frames/corpus.js';
import { formatCode, type FormatCode, type FrameFormat } from '../protocol/header.js';
import type { StatsCounters } from './stats.js';

/** What the server needs from the frame corpus (FrameCorpus implements it). */
export interface CorpusSource {
  /** The entry without memoising it; aborting stops its build. */
  fetch(key: CorpusKey, signal?: AbortSignal): Promise<CorpusEntry>;
}

export class PreparedFrames {
  readonly formatCode: FormatCode;
  readonly count: number;
  readonly bytes: number;
  private b64: Buffer[] | undefined;
  private b64Bytes = 0;

  constructor(
    readonly format: FrameFormat,
    readonly width: number,
    readonly height: number,
    readonly payloads: readonly Buffer[],
  ) {
    if (payloads.length === 0) throw new Error(`corpus entry ${format} ${width}x${height} has no frames`);
    this.formatCode = formatCode(format);
    this.count = payloads.length;
    this.bytes = payloads.reduce((n, p) => n + p.length, 0);
  }

  /** Told the size of the base64 copy when it is made (the cache counts it against its byte bound). */
  onBase64?: (bytes: number) => void;

  /** Base64 of each payload as ASCII bytes, computed on first use. */
  base64(): readonly Buffer[] {
    if (!this.b64) {
      this.b64 = this.payloads.map((p) => Buffer.from(p.toString('base64'), 'latin1'));
      this.b64Bytes = this.b64.reduce((n, b) => n + b.length, 0);
      this.onBase64?.(this.b64Bytes);
    }
    return this.b64;
  }

  /** Bytes held: payloads plus the base64 copy once made. */
  get heldBytes(): number {
    return this.bytes + this.b64Bytes;
  }
}

/** The server cannot take the request now; the message says which limit and how to raise it. */
export class BusyError extends Error {
  override name = 'BusyError';
}

export interface FrameSourceLimits {
  maxEntries: number;
  maxBytes: number;
  encodeConcurrency: number;
  maxQueuedEncodes: number;
}

/** One wait for an entry; release() when the answer is no longer wanted (cancel, connection closed). */
export interface FramesLease {
  readonly frames: Promise<PreparedFrames>;
  release(): void;
}

interface Slot {
  id: string;
  frames?: PreparedFrames;
  loading?: Promise<PreparedFrames>;
  waiters: number;
  abort: AbortController;
}

export class FrameSource {
  /** Map order is recency order: a hit moves its slot to the end. */
  private readonly slots = new Map<string, Slot>();
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly corpus: CorpusSource,
    private readonly corpusFrames: number,
    private readonly limits: FrameSourceLimits,
    private readonly stats: StatsCounters,
  ) {}

  /** The corpus key the server uses for a request; prewarm and requests go through here alike. */
  keyFor(format: FrameFormat, width: number, height: number, quality: number): CorpusKey {
    return { format, width, height, quality, frames: this.corpusFrames };
  }

  /** Waits for an entry (shared by concurrent callers); rejects with BusyError when a limit is full. */
  lease(key: CorpusKey, force = false): FramesLease {
    const full = this.keyFor(key.format, key.width, key.height, key.format === 'png' ? 75 : key.quality);
    const id = `${full.format}:${full.width}x${full.height}:q${full.quality}:n${full.frames}`;
    let slot = this.slots.get(id);
    if (slot?.frames) {
      this.slots.delete(id);
      this.slots.set(id, slot);
      return { frames: Promise.resolve(slot.frames), release: () => undefined };
    }
    if (!slot) {
      const busy = force ? undefined : this.refusal();
      if (busy) {
        this.stats.requestsRejected++;
        return { frames: Promise.reject(busy), release: () => undefined };
      }
      slot = { id, waiters: 0, abort: new AbortController() };
      slot.loading = this.load(slot, full);
      const failed = slot;
      // A failed load is forgotten, so the next request tries again.
      slot.loading.catch(() => {
        if (this.slots.get(id) === failed && !failed.frames) this.slots.delete(id);
      });
      this.slots.set(id, slot);
    }
    const s = slot;
    s.waiters++;
    let released = false;
    return {
      frames: s.loading!,
      release: () => {
        if (released) return;
        released = true;
        if (--s.waiters === 0 && !s.frames && this.slots.get(s.id) === s) {
          this.slots.delete(s.id);
          s.abort.abort();
          this.stats.encodesCancelled++;
        }
      },
    };
  }

  /** Loads entries ahead of requests (prewarm): waits like a request, never cancelled. */
  async get(key: CorpusKey): Promise<PreparedFrames> {
    return this.lease(key, true).frames;
  }

  private refusal(): BusyError | undefined {
    const loading = [...this.slots.values()].filter((s) => !s.frames).length;
    if (loading >= this.limits.encodeConcurrency + this.limits.maxQueuedEncodes) {
      return new BusyError(`corpus: ${loading} entries are being prepared, the most this server queues (bench serve --encode-concurrency / --max-queued-encodes); retry later`);
    }
    return undefined;
  }

  private async load(slot: Slot, key: CorpusKey): Promise<PreparedFrames> {
    await this.acquire(slot.abort.signal);
    let entry: CorpusEntry;
    try {
      entry = await this.corpus.fetch(key, slot.abort.signal);
    } finally {
      this.releaseSlot();
    }
    if (!entry.cached) this.stats.encodes++;
    const frames = new PreparedFrames(key.format, key.width, key.height, entry.frames);
    if (this.slots.get(slot.id) !== slot) return frames;
    slot.frames = frames;
    slot.loading = undefined;
    this.stats.corpusEntries++;
    this.stats.corpusBytes += frames.bytes;
    frames.onBase64 = (bytes) => {
      if (this.slots.get(slot.id) !== slot) return;
      this.stats.corpusBytes += bytes;
      this.evict(slot);
    };
    this.evict(slot);
    return frames;
  }

  /** Drops least recently used ready entries until both bounds hold (the new entry stays). */
  private evict(keep: Slot): void {
    for (const s of this.slots.values()) {
      if (this.stats.corpusEntries <= this.limits.maxEntries && this.stats.corpusBytes <= this.limits.maxBytes) return;
      if (s === keep || !s.frames) continue;
      this.slots.delete(s.id);
      this.stats.corpusEntries--;
      this.stats.corpusBytes -= s.frames.heldBytes;
      s.frames.onBase64 = undefined;
      this.stats.corpusEvictions++;
    }
  }

  private acquire(signal: AbortSignal): Promise<void> {
    if (this.running < this.limits.encodeConcurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const start = (): void => {
        signal.removeEventListener('abort', onAbort);
        this.running++;
        resolve();
      };
      const onAbort = (): void => {
        const i = this.queue.indexOf(start);
        if (i >= 0) this.queue.splice(i, 1);
        reject(new BusyError('corpus: request cancelled while waiting for an encoder'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(start);
    });
  }

  private releaseSlot(): void {
    this.running--;
    const next = this.queue.shift();
    if (next) next();
  }
}
