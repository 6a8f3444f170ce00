// Exact merging of results pieces: latency summaries (through their HDR histograms), playback
// summaries and whole collector snapshots from worker processes.
import { mergeBrowserResults } from './browser-merge.js';
import { mergeErrorKinds } from './error-kinds.js';
import type { CollectorSnapshot } from './collector.js';
import { lossRatio } from './collector.js';
import { decodeHistogram, mergeHistograms, summarize } from './hdr.js';
import type { CellResult, LatencySummary, PlaybackSummary, StreamSummary } from '../results/types.js';
import { alignSeries } from './slots.js';
import { HOP_KEYS, type HopSummaries } from './hops.js';

export function mergeSummaries(parts: Array<LatencySummary | undefined>): LatencySummary {
  const hs = parts.filter((p): p is LatencySummary => p !== undefined).map((p) => decodeHistogram(p.hdr));
  const merged = mergeHistograms(hs);
  const out = summarize(merged);
  for (const h of [...hs, merged]) h.destroy();
  return out;
}

/** Merges the optional latency summaries (present when any part has them). */
export function mergeOptionalLatency<K extends string>(parts: Array<Partial<Record<K, LatencySummary>>>, keys: readonly K[]): Partial<Record<K, LatencySummary>> {
  const out: Partial<Record<K, LatencySummary>> = {};
  for (const k of keys) if (parts.some((p) => p[k])) out[k] = mergeSummaries(parts.map((p) => p[k]));
  return out;
}

export function mergeStreams(parts: Array<StreamSummary | undefined>): StreamSummary | undefined {
  const ss = parts.filter((p): p is StreamSummary => p !== undefined);
  if (ss.length === 0) return undefined;
  return {
    count: sumBy(ss, (s) => s.count),
    framesAsked: sumBy(ss, (s) => s.framesAsked),
    deliveredFps: mergeSummaries(ss.map((s) => s.deliveredFps)),
    framesPerRequest: mergeSummaries(ss.map((s) => s.framesPerRequest)),
  };
}

/** The topology hops present in any of the parts, each merged exactly through its HDR histogram. */
export function mergeHops(parts: ReadonlyArray<HopSummaries>): HopSummaries {
  const out: HopSummaries = {};
  for (const k of HOP_KEYS) if (parts.some((p) => p[k])) out[k] = mergeSummaries(parts.map((p) => p[k]));
  return out;
}

const sumBy = <T>(items: readonly T[], f: (t: T) => number): number => items.reduce((n, t) => n + f(t), 0);

export function mergePlayback(parts: Array<PlaybackSummary | undefined>): PlaybackSummary | undefined {
  const ps = parts.filter((p): p is PlaybackSummary => p !== undefined);
  if (ps.length === 0) return undefined;
  const stallMs = sumBy(ps, (p) => p.stallMs);
  const playedMs = sumBy(ps, (p) => p.playedMs ?? 0);
  const out: PlaybackSummary = {
    startupMs: mergeSummaries(ps.map((p) => p.startupMs)),
    stalls: sumBy(ps, (p) => p.stalls),
    stallRatio: stallMs + playedMs > 0 ? Math.round((stallMs / (stallMs + playedMs)) * 1e6) / 1e6 : 0,
    stallMs: Math.round(stallMs * 1000) / 1000,
    playedMs: Math.round(playedMs * 1000) / 1000,
  };
  if (ps.some((p) => p.displayLatency)) out.displayLatency = mergeSummaries(ps.map((p) => p.displayLatency));
  return out;
}

/** Field-by-field sum of records of counters (all fields numeric). */
export function sumRecords<T extends { [K in keyof T]: number }>(records: readonly T[]): T {
  const out = { ...(records[0] as T) };
  for (const key of Object.keys(out) as Array<keyof T>) out[key] = sumBy(records, (r) => r[key]) as T[keyof T];
  return out;
}

/** Snapshots of the same cell from several worker processes, running side by side (windows merged slot by slot, `stepSec` long). */
export function mergeSnapshots(snaps: readonly CollectorSnapshot[], stepSec = 1): CollectorSnapshot {
  const first = snaps[0];
  if (!first) throw new Error('mergeSnapshots needs at least one snapshot');
  if (snaps.length === 1) return first;
  const counts = sumRecords(snaps.map((s) => s.counts));
  counts.lossRatio = lossRatio(counts.framesLost, counts.framesExpected);
  const errorsByKind = mergeErrorKinds(snaps.map((x) => x.errorsByKind));
  const timeseries = alignSeries(
    snaps.map((s) => s.timeseries),
    stepSec,
  );
  const optional = mergeOptionalLatency(
    snaps.map((s) => s.latencyMs),
    ['reconnect', 'gap', 'timeToDone'] as const,
  );
  const streams = mergeStreams(snaps.map((s) => s.streams));
  return {
    counts,
    window: { frames: sumBy(snaps, (s) => s.window.frames), bytes: sumBy(snaps, (s) => s.window.bytes) },
    errorsByKind,
    latencyMs: {
      frame: mergeSummaries(snaps.map((s) => s.latencyMs.frame)),
      lateness: mergeSummaries(snaps.map((s) => s.latencyMs.lateness)),
      connect: mergeSummaries(snaps.map((s) => s.latencyMs.connect)),
      firstFrame: mergeSummaries(snaps.map((s) => s.latencyMs.firstFrame)),
      ...optional,
      ...mergeHops(snaps.map((s) => s.latencyMs)),
    },
    payloadBytes: sumBy(snaps, (s) => s.payloadBytes ?? 0),
    ...(streams ? { streams } : {}),
    playback: mergePlayback(snaps.map((s) => s.playback)) ?? first.playback,
    timeseries,
    events: snaps.flatMap((s) => s.events).sort((a, b) => a.t - b.t),
    measuredSec: Math.max(...snaps.map((s) => s.measuredSec)),
  };
}

/** What any set of cells measured together, exactly: counts and errors added, histograms merged (repeats, shards). */
export function mergeMeasurements(cells: readonly CellResult[]): Pick<CellResult, 'counts' | 'errorsByKind' | 'latencyMs' | 'playback' | 'streams' | 'browser'> {
  const counts = sumRecords(cells.map((c) => c.counts));
  counts.lossRatio = lossRatio(counts.framesLost, counts.framesExpected);
  const errorsByKind = mergeErrorKinds(cells.map((c) => c.errorsByKind));
  const playback = mergePlayback(cells.map((c) => c.playback));
  const streams = mergeStreams(cells.map((c) => c.streams));
  const browser = mergeBrowserResults(
    cells.map((c) => c.browser),
    Number(cells[0]?.params.fps) || 30,
  );
  return {
    counts,
    errorsByKind,
    latencyMs: {
      frame: mergeSummaries(cells.map((c) => c.latencyMs.frame)),
      lateness: mergeSummaries(cells.map((c) => c.latencyMs.lateness)),
      connect: mergeSummaries(cells.map((c) => c.latencyMs.connect)),
      firstFrame: mergeSummaries(cells.map((c) => c.latencyMs.firstFrame)),
      ...mergeOptionalLatency(
        cells.map((c) => c.latencyMs),
        ['reconnect', 'gap', 'timeToDone'] as const,
      ),
      ...mergeHops(cells.map((c) => c.latencyMs)),
    },
    ...(playback ? { playback } : {}),
    ...(streams ? { streams } : {}),
    ...(browser ? { browser } : {}),
  };
}
