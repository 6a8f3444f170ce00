// One cell as N shards measured it, merged exactly: counts add up, histograms merge (percentiles
// of the whole), per-second windows merge by wall-clock second, events interleave with their
// shard named, and a saturated shard's harness flag survives with the shard named.
import { chaosSummary } from '../metrics/chaos-impact.js';
import { mergeMeasurements } from '../metrics/merge.js';
import type { CellResult, RunEvent, TimeseriesPoint } from '../results/types.js';
import { mergeSlot } from '../metrics/slots.js';
import { aggregateRepeats } from '../metrics/aggregate.js';

export interface ShardCell {
  label: string;
  cell: CellResult;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const sumBy = <T>(items: readonly T[], f: (t: T) => number): number => items.reduce((n, t) => n + f(t), 0);
const FAULTS = new Set(['kill-clients', 'drop-connections', 'restart-server', 'command', 'network']);

function originMs(c: CellResult): number | undefined {
  const t = c.measureStartedAt ? Date.parse(c.measureStartedAt) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

/** Windows of all shards keyed by the wall-clock second they end on (by index when a file has no start time). */
export function mergeWindows(parts: readonly ShardCell[], baseMs: number | undefined): { series: TimeseriesPoint[]; partial: number } {
  const groups = new Map<number, TimeseriesPoint[]>();
  for (const { cell } of parts) {
    const o = originMs(cell);
    cell.timeseries.forEach((p, i) => {
      const key = o !== undefined && baseMs !== undefined ? Math.round((o + p.t * 1000) / 1000) : i;
      const g = groups.get(key);
      if (g) g.push(p);
      else groups.set(key, [p]);
    });
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  let partial = 0;
  const series = keys.map((key) => {
    const g = groups.get(key) as TimeseriesPoint[];
    if (g.length < parts.length) partial++;
    const step = Math.max(...g.map((p) => p.durationSec ?? 1));
    const m = {
      ...mergeSlot(
        g.map((point) => ({ point, whole: true })),
        1,
        step,
      ),
    };
    m.t = baseMs !== undefined && parts.every((p) => originMs(p.cell) !== undefined) ? r3(key - baseMs / 1000) : (g[0] as TimeseriesPoint).t;
    if (g.some((p) => p.harnessAffected)) m.harnessAffected = true;
    return m;
  });
  return { series, partial };
}

/** Seconds from the merged time origin to this shard's own (0 without start times). */
function shiftOf(cell: CellResult, baseMs: number | undefined): number {
  const o = originMs(cell);
  return baseMs !== undefined && o !== undefined ? (o - baseMs) / 1000 : 0;
}

/** Every shard's events on the merged time axis, each with its shard. */
export function mergeEvents(parts: readonly ShardCell[], baseMs: number | undefined): RunEvent[] {
  const out: RunEvent[] = [];
  for (const { label, cell } of parts) {
    const shift = shiftOf(cell, baseMs);
    for (const e of cell.events) out.push({ ...e, t: r3(e.t + shift), ...(e.endsAt !== undefined ? { endsAt: r3(e.endsAt + shift) } : {}), shard: label });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** The same scheduled fault fired by several shards (within a second) counts once, its hits added. */
export function distinctFaults(events: readonly RunEvent[]): RunEvent[] {
  const out: RunEvent[] = [];
  for (const e of events) {
    if (!FAULTS.has(e.kind)) continue;
    const same = out.find((f) => f.kind === e.kind && Math.abs(f.t - e.t) < 1 && f.shard !== e.shard && !(f.shard ?? '').split(',').includes(e.shard ?? ''));
    if (same) {
      if (e.hit !== undefined) same.hit = (same.hit ?? 0) + e.hit;
      same.shard = `${same.shard ?? ''},${e.shard ?? ''}`;
    } else out.push({ ...e });
  }
  return out;
}

function mergeOnce(parts: readonly ShardCell[]): { cell: CellResult; partial: number } {
  const first = (parts[0] as ShardCell).cell;
  const cells = parts.map((p) => p.cell);
  const origins = cells.map(originMs);
  const baseMs = origins.every((o) => o !== undefined) ? Math.min(...(origins as number[])) : undefined;
  const frames = sumBy(cells, (c) => c.throughput.framesPerSec * c.durationSec);
  const bytes = sumBy(cells, (c) => c.throughput.bytesPerSec * c.durationSec);
  const { series, partial } = mergeWindows(parts, baseMs);
  const events = mergeEvents(parts, baseMs);
  const cell: CellResult = {
    id: first.id,
    params: { ...first.params, clients: sumBy(cells, (c) => Number(c.params.clients) || 0) },
    ...(first.repeat !== undefined ? { repeat: first.repeat } : {}),
    startedAt: cells.map((c) => c.startedAt).sort()[0] as string,
    endedAt: cells
      .map((c) => c.endedAt)
      .sort()
      .at(-1) as string,
    ...(baseMs !== undefined ? { measureStartedAt: new Date(baseMs).toISOString() } : {}),
    durationSec: Math.max(...cells.map((c) => c.durationSec)),
    ...mergeMeasurements(cells),
    throughput: {
      framesPerSec: Math.round(sumBy(cells, (c) => c.throughput.framesPerSec) * 10) / 10,
      bytesPerSec: Math.round(sumBy(cells, (c) => c.throughput.bytesPerSec)),
      bytesPerFrame: frames > 0 ? Math.round(bytes / frames) : 0,
    },
    ...(first.protocol ? { protocol: first.protocol } : {}),
    clock: { ...first.clock, uncertaintyMs: Math.max(...cells.map((c) => c.clock.uncertaintyMs)), samples: sumBy(cells, (c) => c.clock.samples) },
    timeseries: series,
    events,
    thresholds: [],
  };
  const chaos = chaosSummary(distinctFaults(events), series);
  if (chaos) cell.chaos = chaos;
  const harnessParts = parts.filter((p) => p.cell.harness);
  if (harnessParts.length) {
    const saturated = harnessParts.filter((p) => p.cell.harness?.saturated);
    const hs = harnessParts.map((p) => p.cell.harness as NonNullable<CellResult['harness']>);
    const paused = harnessParts.flatMap((p) => (p.cell.harness?.pausedWindows ?? []).map((t) => r3(t + shiftOf(p.cell, baseMs))));
    cell.harness = {
      workers: sumBy(hs, (h) => h.workers),
      maxCpuPct: Math.max(...hs.map((h) => h.maxCpuPct)),
      maxLoopDelayMs: Math.max(...hs.map((h) => h.maxLoopDelayMs)),
      saturated: saturated.length > 0,
      ...(saturated.length ? { reason: saturated.map((p) => `shard ${p.label}: ${p.cell.harness?.reason ?? 'saturated'}`).join(' · ') } : {}),
      ...(hs.some((h) => h.maxStallMs !== undefined) ? { maxStallMs: Math.max(...hs.map((h) => h.maxStallMs ?? 0)) } : {}),
      ...(hs[0]?.pauseBoundMs !== undefined ? { pauseBoundMs: hs[0].pauseBoundMs } : {}),
      ...(paused.length ? { pausedWindows: [...new Set(paused)].sort((a, b) => a - b) } : {}),
      ...(hs.some((h) => h.latencyAffected) ? { latencyAffected: true } : {}),
    };
  }
  if (parts.some((p) => p.cell.harnessSaturated)) cell.harnessSaturated = true;
  cell.byShard = parts.map(({ label, cell: c }) => ({
    shard: label,
    clients: Number(c.params.clients) || 0,
    framesReceived: c.counts.framesReceived,
    framesLost: c.counts.framesLost,
    errors: c.counts.errors,
    errorsByKind: { ...c.errorsByKind },
    framesPerSec: c.throughput.framesPerSec,
    frameP99: c.latencyMs.frame.p99,
    ...(c.harnessSaturated ? { harnessSaturated: true, reason: c.harness?.reason ?? '' } : {}),
  }));
  return { cell, partial };
}

/** Merges one cell across shards; with repeats, repeat k of every shard merges with repeat k of the others. */
export function mergeCell(parts: readonly ShardCell[]): { cell: CellResult; partial: number } {
  const first = parts[0];
  if (!first) throw new Error('mergeCell needs at least one shard');
  const repeats = first.cell.repeats;
  if (!repeats?.length || parts.some((p) => p.cell.repeats?.length !== repeats.length)) return mergeOnce(parts);
  let partial = 0;
  const merged = repeats.map((_, k) => {
    const m = mergeOnce(parts.map((p) => ({ label: p.label, cell: p.cell.repeats?.[k] as CellResult })));
    partial += m.partial;
    return { ...m.cell, repeat: k };
  });
  const cell = aggregateRepeats(merged);
  const { harness, harnessSaturated, byShard } = mergeOnce(parts).cell;
  return { cell: { ...cell, ...(harness ? { harness } : {}), ...(harnessSaturated ? { harnessSaturated } : {}), ...(byShard ? { byShard } : {}) }, partial };
}
