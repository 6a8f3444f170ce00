// Shards of one run → the result one huge machine would have written: cells merged exactly,
// thresholds and drift evaluated on the merged cells, the shards and their clock spread recorded.
import type { CellResult, MergeInfo, Results, RunEvent } from '../results/types.js';
import { judgeCell } from '../metrics/cell-verdict.js';
import { parseThresholds } from '../metrics/thresholds.js';
import { overallOk } from '../metrics/cell-verdict.js';
import { analyzeDrift, evaluateDriftThresholds, parseDriftThresholds } from '../soak/drift.js';
import type { SoakResults } from '../results/types.js';
import { checkShards, type ShardFile } from './check.js';
import { mergeCell, type ShardCell } from './merge-cell.js';

export interface MergeOutcome {
  results: Results;
  warnings: string[];
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function mergeShardResults(files: readonly ShardFile[]): MergeOutcome {
  const { shards, warnings } = checkShards(files);
  const first = (shards[0] as (typeof shards)[number]).results;
  const ids: string[] = [];
  for (const s of shards) for (const c of s.results.cells) if (!ids.includes(c.id)) ids.push(c.id);
  let partialWindows = 0;
  const incomplete: string[] = [];
  const cells: CellResult[] = ids.map((id) => {
    const parts: ShardCell[] = [];
    const absent: string[] = [];
    for (const s of shards) {
      const cell = s.results.cells.find((c) => c.id === id);
      if (cell) parts.push({ label: s.shard.label, cell });
      else absent.push(s.shard.label);
    }
    const { cell, partial } = mergeCell(parts);
    partialWindows += partial;
    if (absent.length) {
      incomplete.push(`${id} (no results from shard ${absent.join(', ')})`);
      const note: RunEvent = { t: 0, kind: 'merge-incomplete', detail: `cell ${id} has no results from shard ${absent.join(', ')} (interrupted?): its figures cover only part of the load` };
      cell.events = [note, ...cell.events];
    }
    return cell;
  });

  const specs = parseThresholds(first.scenario.thresholds ?? {});
  const interrupted = shards.some((s) => s.results.interrupted);
  for (const cell of cells) judgeCell(cell, specs, interrupted);
  const offsets = shards.map((s) => s.shard.clock.offsetMs);
  const merge: MergeInfo = {
    shards: shards.map((s) => ({
      ...s.shard,
      file: s.file,
      startedAt: s.results.startedAt,
      endedAt: s.results.endedAt,
      ok: s.results.ok,
      ...(s.results.harnessSaturated ? { harnessSaturated: true, harnessSaturatedReason: s.results.harnessSaturatedReason ?? '' } : {}),
      ...(s.results.interrupted ? { interrupted: true } : {}),
    })),
    clockSpreadMs: r3(Math.max(...offsets) - Math.min(...offsets)),
    clockUncertaintyMs: r3(Math.max(...shards.map((s) => s.shard.clock.uncertaintyMs))),
    partialWindows,
    ...(incomplete.length ? { incompleteCells: incomplete } : {}),
  };
  const saturated = cells.filter((c) => c.harnessSaturated);
  const results: Results = {
    schema: first.schema,
    tool: first.tool,
    runId: first.runId,
    command: first.command,
    startedAt: shards.map((s) => s.results.startedAt).sort()[0] as string,
    endedAt: shards
      .map((s) => s.results.endedAt)
      .sort()
      .at(-1) as string,
    scenario: first.scenario,
    environment: { ...first.environment, cpus: cpusOfHosts(shards.map((s) => ({ host: s.shard.host, cpus: s.results.environment.cpus }))) },
    cells,
    ...(first.codecs ? { codecs: first.codecs } : {}),
    ...(saturated.length ? { harnessSaturated: true, harnessSaturatedReason: saturated.map((c) => `${c.id}: ${c.harness?.reason ?? ''}`).join(' · ') } : {}),
    ...(interrupted ? { interrupted: true } : {}),
    merge,
    ok: false,
  };
  const soak = first.soak ? mergedSoak(first.soak, cells[0], first.scenario.drift) : undefined;
  if (soak) results.soak = soak;
  results.ok = incomplete.length === 0 && overallOk(cells) && (soak?.driftThresholds ?? []).every((t) => t.ok);
  return { results, warnings };
}

/** CPUs of the machines that ran the shards, each host counted once. */
function cpusOfHosts(list: ReadonlyArray<{ host: string; cpus: number }>): number {
  const byHost = new Map<string, number>();
  for (const { host, cpus } of list) byHost.set(host, Math.max(byHost.get(host) ?? 0, cpus));
  return [...byHost.values()].reduce((a, b) => a + b, 0);
}

/** Drift of the merged hold phase; the target's scraped series come from the first shard (the one that scrapes the shared target). */
function mergedSoak(first: SoakResults, cell: CellResult | undefined, driftSpec: unknown): SoakResults {
  const hold = first.holdWindow ?? (cell ? { fromSec: 0, toSec: cell.durationSec } : undefined);
  const drift = cell && hold ? analyzeDrift(cell.timeseries, first.scrape, { window: hold }) : undefined;
  const driftThresholds = evaluateDriftThresholds(parseDriftThresholds(driftSpec ?? {}), drift);
  const { drift: _d, driftThresholds: _t, ...rest } = first;
  return { ...rest, ...(drift ? { drift } : {}), ...(driftThresholds.length ? { driftThresholds } : {}) };
}
