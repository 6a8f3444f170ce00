// Where the load goes: a given ws:// / wss:// target, or the embedded reference server in a child process.
import { codecTable, type FrameCorpus, type CorpusKey } from '../frames/corpus.js';
import { parseResolution } from '../frames/resolution.js';
import type { CellResult, CodecResult } from '../results/types.js';
import type { CellPlan } from '../scenario/sweep.js';
import { spawnEmbeddedServer, type EmbeddedServer } from '../server/launcher.js';
import { SERVER_DEFAULTS } from '../server/options.js';

export interface ResolvedTarget {
  url: string;
  embedded?: EmbeddedServer;
  stop(): Promise<void>;
}

export function corpusKeys(plans: CellPlan[], frames: number): CorpusKey[] {
  const seen = new Map<string, CorpusKey>();
  for (const { params } of plans) {
    const dims = parseResolution(params.resolution);
    if (!dims) continue;
    const key: CorpusKey = { format: params.format, width: dims.width, height: dims.height, quality: params.quality, frames };
    seen.set(JSON.stringify(key), key);
  }
  return [...seen.values()];
}

/** Codec cost per corpus entry the plan uses (builds missing entries once, then reads the cache). */
export async function codecResults(corpus: FrameCorpus, plans: CellPlan[], frames: number): Promise<CodecResult[]> {
  const rows = await codecTable(corpus, corpusKeys(plans, frames));
  return rows.map(({ cached: _cached, ...row }) => row);
}

export interface EmbeddedOptions {
  cacheDir?: string;
  corpusFrames: number;
  plans: CellPlan[];
  onLog?: (line: string) => void;
  /** Reference server processes (node:cluster) for the embedded server; default 1. */
  workers?: number;
}

/** Limits of the embedded server raised to fit the plan: every entry it asks for is served and stays cached. */
function limitsFor(keys: CorpusKey[]): { maxPixels: number; maxCorpusEntries: number } {
  const d = SERVER_DEFAULTS;
  const pixels = keys.reduce((m, k) => Math.max(m, k.width * k.height), 0);
  return { maxPixels: Math.max(d.maxPixels, pixels), maxCorpusEntries: Math.max(d.maxCorpusEntries, keys.length) };
}

export async function startEmbedded(opts: EmbeddedOptions): Promise<ResolvedTarget> {
  const prewarm = corpusKeys(opts.plans, opts.corpusFrames);
  const embedded = await spawnEmbeddedServer({
    ...limitsFor(prewarm),
    host: '127.0.0.1',
    port: 0,
    cacheDir: opts.cacheDir,
    corpusFrames: opts.corpusFrames,
    prewarm,
    onLog: opts.onLog,
    workers: opts.workers,
  });
  return { url: embedded.url, embedded, stop: () => embedded.stop('SIGTERM') };
}

export function externalTarget(url: string): ResolvedTarget {
  return { url, stop: async () => undefined };
}

/**
 * A foreign target sends its own frames, not the corpus: each codec row gets the image bytes per
 * frame that target really sent in the cells of that format, resolution and quality.
 */
export function withTargetBytes(rows: CodecResult[], cells: CellResult[]): CodecResult[] {
  return rows.map((row) => {
    let frames = 0;
    let bytes = 0;
    for (const c of cells) {
      const p = c.params;
      const dims = parseResolution(String(p.resolution));
      if (p.format !== row.format || p.quality !== row.quality || dims?.width !== row.width || dims?.height !== row.height) continue;
      const n = c.throughput.framesPerSec * c.durationSec;
      frames += n;
      bytes += n * (c.throughput.payloadBytesPerFrame ?? c.throughput.bytesPerFrame);
    }
    return frames > 0 ? { ...row, targetBytesPerFrame: Math.round(bytes / frames) } : row;
  });
}
