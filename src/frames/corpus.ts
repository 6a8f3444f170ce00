// The frame corpus: encoded synthetic frames per (format, resolution, quality), built once,
// cached on disk by content hash and memoised in-process. Consumers loop over entry.frames;
// nothing is encoded per client at run time.
import { join } from 'node:path';
import { buildEntry, type BuiltEntry } from './build.js';
import { CACHE_SCHEMA, defaultCacheDir, entryFileName, pruneCacheDir, readEntry, readMeta, touchEntry, writeEntry, type CacheMeta } from './cache.js';
import { buildEntryInWorker } from './worker-build.js';
import type { CodecStats } from './codec-stats.js';
import { GENERATOR_VERSION, corpusHash, keyLabel, resolveKey, type CorpusKey } from './key.js';

export type { CodecStats } from './codec-stats.js';
export type { CorpusKey } from './key.js';
export { DEFAULT_FRAMES, DEFAULT_SEED, FRAME_FORMATS, resolutionLabel } from './key.js';
export { defaultCacheDir } from './cache.js';
export { codecTable, formatCodecTable, type CodecRow } from './codec-table.js';

export interface CorpusEntry {
  key: Required<CorpusKey>;
  hash: string;
  /** Encoded frames, in order; play them in a loop (motion is periodic over the entry). */
  frames: Buffer[];
  stats: CodecStats;
  /** True when loaded from the disk cache, false when built by this FrameCorpus. */
  cached: boolean;
}

/** An entry's figures without its frames. */
export interface CorpusSummary {
  key: Required<CorpusKey>;
  hash: string;
  stats: CodecStats;
  cached: boolean;
  file: string;
}

export interface FrameCorpusOptions {
  cacheDir?: string;
  /** Build progress, e.g. ("encoding webp 720p q75 12/60", 12, 60). Never called for cache hits. */
  onProgress?: (msg: string, done: number, total: number) => void;
  /** Render and encode in a worker thread (keeps the caller's event loop free; abortable). */
  inWorker?: boolean;
  /** Bounds of the cache folder: after each write the least recently used files beyond them are deleted. */
  diskLimits?: { maxBytes: number; maxEntries: number };
}

export class FrameCorpus {
  readonly cacheDir: string;
  private readonly onProgress: FrameCorpusOptions['onProgress'];
  private readonly entries = new Map<string, Promise<CorpusEntry>>();
  private readonly builds = new Map<string, Promise<BuiltEntry>>();
  private buildCount = 0;
  private readonly inWorker: boolean;
  private readonly diskLimits: FrameCorpusOptions['diskLimits'];

  constructor(opts: FrameCorpusOptions = {}) {
    this.cacheDir = opts.cacheDir ?? defaultCacheDir();
    this.onProgress = opts.onProgress;
    this.inWorker = opts.inWorker ?? false;
    this.diskLimits = opts.diskLimits;
  }

  /** Entries this instance has encoded (0 when everything came from the cache). */
  get built(): number {
    return this.buildCount;
  }

  /** Cache file of a key (it may not exist yet). */
  fileFor(key: CorpusKey): string {
    const full = resolveKey(key);
    return join(this.cacheDir, entryFileName(full, corpusHash(full)));
  }

  /** The entry for a key: memoised (concurrent calls share one promise), from disk when cached, else built and cached. */
  get(key: CorpusKey): Promise<CorpusEntry> {
    let full: Required<CorpusKey>;
    try {
      full = resolveKey(key);
    } catch (err) {
      return Promise.reject(err);
    }
    const id = JSON.stringify(full);
    let p = this.entries.get(id);
    if (!p) {
      p = this.load(full);
      this.entries.set(id, p);
      p.catch(() => this.entries.delete(id));
    }
    return p;
  }

  /** Stats of an entry without keeping its frames in memory: reads only the metadata when cached. */
  async summary(key: CorpusKey): Promise<CorpusSummary> {
    const full = resolveKey(key);
    const hash = corpusHash(full);
    const file = join(this.cacheDir, entryFileName(full, hash));
    const loaded = this.entries.get(JSON.stringify(full));
    if (loaded) {
      const e = await loaded;
      return { key: full, hash, stats: e.stats, cached: e.cached, file };
    }
    const meta = await readMeta(file, hash);
    if (meta) return { key: full, hash, stats: meta.stats, cached: true, file };
    const built = await this.build(full, hash, file);
    return { key: full, hash, stats: built.stats, cached: false, file };
  }

  /**
   * The entry for a key without memoising it in this instance (the caller keeps or drops it): from disk
   * when cached, else built; aborting `signal` stops a build in a worker (inWorker) and rejects.
   */
  async fetch(key: CorpusKey, signal?: AbortSignal): Promise<CorpusEntry> {
    const full = resolveKey(key);
    const hash = corpusHash(full);
    const file = join(this.cacheDir, entryFileName(full, hash));
    const disk = await readEntry(file, hash);
    if (disk) {
      await touchEntry(file);
      return { key: full, hash, frames: disk.frames, stats: disk.meta.stats, cached: true };
    }
    const built = await this.buildAndStore(full, hash, file, signal);
    return { key: full, hash, frames: built.frames, stats: built.stats, cached: false };
  }

  private async load(key: Required<CorpusKey>): Promise<CorpusEntry> {
    const hash = corpusHash(key);
    const file = join(this.cacheDir, entryFileName(key, hash));
    const disk = await readEntry(file, hash);
    if (disk) return { key, hash, frames: disk.frames, stats: disk.meta.stats, cached: true };
    const built = await this.build(key, hash, file);
    return { key, hash, frames: built.frames, stats: built.stats, cached: false };
  }

  private build(key: Required<CorpusKey>, hash: string, file: string): Promise<BuiltEntry> {
    let p = this.builds.get(hash);
    if (!p) {
      p = this.buildAndStore(key, hash, file).finally(() => this.builds.delete(hash));
      this.builds.set(hash, p);
    }
    return p;
  }

  private async buildAndStore(key: Required<CorpusKey>, hash: string, file: string, signal?: AbortSignal): Promise<BuiltEntry> {
    const label = keyLabel(key);
    const progress = (done: number, total: number): void => this.onProgress?.(`encoding ${label} ${done}/${total}`, done, total);
    const built = this.inWorker ? await buildEntryInWorker(key, progress, signal) : await buildEntry(key, progress);
    this.buildCount++;
    const meta: CacheMeta = {
      schema: CACHE_SCHEMA,
      generator: GENERATOR_VERSION,
      hash,
      key,
      stats: built.stats,
      frameBytes: built.frames.map((f) => f.length),
      encoder: built.encoder,
      createdAt: new Date().toISOString(),
    };
    try {
      await writeEntry(file, meta, built.frames);
    } catch (err) {
      throw new Error(`cannot write frame corpus cache ${file}: ${(err as Error).message} (choose another cache directory)`);
    }
    if (this.diskLimits) await pruneCacheDir(this.cacheDir, this.diskLimits, file);
    return built;
  }
}
