// The run-level record of results.json (framebench/results@1): the one record every output is
// rendered from, with its codecs, shard and merge information.
import type { CellResult } from './cell.js';
import type { RESULTS_SCHEMA } from './schema-version.js';
import type { SoakResults } from './soak.js';

/** Codec cost of one corpus entry, shown beside the latency results. */
export interface CodecResult {
  format: string;
  resolution: string;
  width: number;
  height: number;
  quality: number;
  meanBytes: number;
  /** A foreign target's frames: the image bytes per frame it really sent in cells of this format and size. */
  targetBytesPerFrame?: number;
  encodeMs: number;
  decodeMs: number;
  /** dB against the uncompressed source; null when lossless. */
  psnr: number | null;
}

/** One shard of a distributed run (`--shard I/N`): who it was and how its clock compared. */
export interface ShardInfo {
  /** 0-based, as JOB_COMPLETION_INDEX. */
  index: number;
  count: number;
  /** "index+1/count", as people count shards. */
  label: string;
  /** Hash of the resolved scenario; every shard of one run has the same. */
  scenarioHash: string;
  /** The synchronised start (--start-at), when given. */
  startAt?: string;
  host: string;
  /** This shard's clock offset estimate to the target (server − client) and its uncertainty. */
  clock: { offsetMs: number; uncertaintyMs: number; samples: number };
  sourceAddresses?: string[];
}

/** How a merged result was made from its shards. */
export interface MergeInfo {
  shards: Array<ShardInfo & { file: string; startedAt: string; endedAt: string; ok: boolean; harnessSaturated?: boolean; harnessSaturatedReason?: string; interrupted?: boolean }>;
  /** Largest minus smallest clock offset estimate across shards, and the largest uncertainty. */
  clockSpreadMs: number;
  clockUncertaintyMs: number;
  /** Windows that only some shards had (a shard started late, stopped early or lost windows). */
  partialWindows: number;
  /** Cells some shard has no results for (it was interrupted): the merged result fails. */
  incompleteCells?: string[];
}

export interface Results {
  schema: typeof RESULTS_SCHEMA;
  tool: { name: string; version: string };
  runId: string;
  command: string;
  startedAt: string;
  endedAt: string;
  scenario: Record<string, unknown>;
  environment: { node: string; os: string; cpus: number; cpuModel: string; target: string; embeddedServer: boolean };
  cells: CellResult[];
  codecs?: CodecResult[];
  /** Soak runs: stages, scraped series, drift of the hold phase. */
  soak?: SoakResults;
  /** True when any cell's harness was saturated; the reason names the cells. */
  harnessSaturated?: boolean;
  harnessSaturatedReason?: string;
  interrupted?: boolean;
  /** Set when this file is one shard of a distributed run. */
  shard?: ShardInfo;
  /** Set on the result `bench merge` made from shards. */
  merge?: MergeInfo;
  /** Results rebuilt from another engine's output (`bench import k6`): the engine and its files. */
  imported?: { engine: string; files: Array<{ file: string; samples: number; ignored: number }> };
  /** True only when every cell measured something, no cell failed and every threshold held (or was skipped). */
  ok: boolean;
}
