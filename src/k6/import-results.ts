// k6 `--out json` of one or many runners → a framebench results file: cells from the cell tag (an
// exported script) or the k6 scenario name, histograms built from the samples (so percentiles are
// those of all runners together, exactly as HDR merges), counts, per-second windows; with the
// scenario, cells get their params and the scenario's thresholds are evaluated.
import { cpus } from 'node:os';
import { stallRatio } from '../metrics/playback.js';
import { lossRatio } from '../metrics/collector.js';
import { summarize } from '../metrics/hdr.js';
import { newRunId } from '../results/write.js';
import { RESULTS_SCHEMA, type CellResult, type Results, type RunEvent } from '../results/types.js';
import { cellFailures } from '../metrics/cell-verdict.js';
import { evaluateThresholds, parseThresholds, thresholdFailed } from '../metrics/thresholds.js';
import { rollUp } from '../metrics/windows.js';
import { aggregateRepeats } from '../metrics/aggregate.js';
import { overallOk } from '../metrics/cell-verdict.js';
import { parseDuration } from '../text/duration.js';
import type { LoadedScenario } from '../scenario/load.js';
import { planCells, type CellPlan } from '../scenario/sweep.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import type { ImportedCell } from './import-cell.js';
import { SampleReader, type FileStats } from './import-samples.js';

export interface ImportOptions {
  files: string[];
  scenario?: LoadedScenario;
  /** Measured seconds per cell when there is no scenario (else the span of the frame samples). */
  durationSec?: number;
  maxLineBytes?: number;
  command: string;
  /** Every million lines of a file. */
  onProgress?: (stats: FileStats) => void;
}

const MAX_WINDOWS = 1200;
const NO_ACCOUNTING = 'the k6 output carries no request accounting (requests_completed, frames_expected): completed requests and lost frames were not measured; run a script written by bench export k6';
const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

function measuredSec(cell: ImportedCell, plan: CellPlan | undefined, loaded: LoadedScenario | undefined, fallback: number | undefined): number {
  if (plan && loaded) {
    const stages = loaded.scenario.stages;
    const ms = stages ? stages.reduce((n, s) => n + (parseDuration(s.duration) ?? 0), 0) : (parseDuration(plan.params.duration) ?? 0);
    return ms / 1000;
  }
  if (fallback !== undefined) return fallback;
  return cell.lastFrameMs > cell.firstFrameMs ? round((cell.lastFrameMs - cell.firstFrameMs) / 1000, 3) : 0;
}

/** Peak VUs (all runners) during the cell's samples: its client count when there is no scenario. */
function peakConnections(cell: ImportedCell, reader: SampleReader): number {
  let peak = 0;
  if (!Number.isFinite(cell.firstMs)) return 0;
  for (let sec = Math.floor(cell.firstMs / 1000); sec <= Math.floor(cell.lastMs / 1000); sec++) peak = Math.max(peak, reader.connectionsAt(sec));
  return peak;
}

function toCell(cell: ImportedCell, plan: CellPlan | undefined, reader: SampleReader, opts: ImportOptions): CellResult {
  const c = cell.counters;
  const seen = (name: string): boolean => cell.seen.has(name);
  const frames = cell.windowFrames;
  const received = seen('framesReceived') ? c.framesReceived : seen('legacyFrames') ? c.legacyFrames : frames;
  const accounted = seen('framesExpected');
  const expected = accounted ? c.framesExpected : received;
  const lost = accounted ? c.framesLost : 0;
  const sec = measuredSec(cell, plan, opts.scenario, opts.durationSec);
  const events: RunEvent[] = [];
  if (!accounted && frames > 0) events.push({ t: 0, kind: 'import-note', detail: 'the k6 output has no frame accounting (frames_expected / frames_lost): lost frames were not measured' });
  if (cell.negative > 0) events.push({ t: 0, kind: 'import-note', detail: `${cell.negative} negative latency samples (k6's clock has 1 ms resolution) recorded as 0` });
  const playback =
    seen('stallTime') || seen('playedTime') || seen('startup')
      ? {
          startupMs: summarize(cell.trends.startup),
          stalls: c.stalls,
          stallRatio: round(stallRatio(c.stallTime, c.playedTime), 6),
          stallMs: round(c.stallTime, 3),
          playedMs: round(c.playedTime, 3),
          ...(cell.trends.displayLatency.totalCount > 0 ? { displayLatency: summarize(cell.trends.displayLatency) } : {}),
        }
      : undefined;
  const first = Number.isFinite(cell.firstMs) ? new Date(cell.firstMs) : new Date(0);
  const last = Number.isFinite(cell.lastMs) ? new Date(cell.lastMs) : first;
  return {
    id: cell.id,
    params: plan ? { ...plan.params } : { k6Scenario: cell.id, clients: peakConnections(cell, reader) },
    ...(cell.repeat > 0 ? { repeat: cell.repeat } : {}),
    startedAt: first.toISOString(),
    endedAt: last.toISOString(),
    durationSec: sec,
    counts: {
      framesExpected: expected,
      framesReceived: received,
      framesLost: lost,
      framesDuplicated: c.framesDuplicated,
      bytesReceived: c.frameBytes,
      requests: c.requests,
      requestsCompleted: c.requestsCompleted,
      connects: cell.trends.connect.totalCount,
      connectFailures: c.connectFailures,
      reconnects: c.reconnects,
      errors: c.errors,
      resumes: 0,
      lossRatio: lossRatio(lost, expected),
      messagesBinary: c.messagesBinary,
      messagesText: c.messagesText,
    },
    errorsByKind: { ...cell.errorsByKind },
    latencyMs: {
      frame: summarize(cell.trends.frame),
      lateness: summarize(cell.trends.lateness),
      connect: summarize(cell.trends.connect),
      firstFrame: summarize(cell.trends.firstFrame),
      ...(cell.trends.gap.totalCount > 0 ? { gap: summarize(cell.trends.gap) } : {}),
      ...(cell.trends.timeToDone.totalCount > 0 ? { timeToDone: summarize(cell.trends.timeToDone) } : {}),
    },
    throughput: {
      framesPerSec: sec > 0 ? round(frames / sec, 1) : 0,
      bytesPerSec: sec > 0 ? Math.round(c.frameBytes / sec) : 0,
      bytesPerFrame: frames > 0 ? Math.round(c.frameBytes / frames) : 0,
    },
    ...(playback ? { playback } : {}),
    clock: { offsetMs: 0, uncertaintyMs: 0, samples: 0, applied: false },
    timeseries: rollUp(
      cell.timeseries((s) => reader.connectionsAt(s)),
      MAX_WINDOWS,
    ),
    events,
    thresholds: [],
  };
}

export interface ImportOutcome {
  results: Results;
  files: FileStats[];
  /** With a scenario: cells of the k6 output that match none of its cells (k6 scenario or cell tag names). */
  unmatched: string[];
}

export async function importK6(opts: ImportOptions): Promise<ImportOutcome> {
  const reader = new SampleReader();
  reader.onProgress = opts.onProgress;
  for (const file of opts.files) await reader.read(file, opts.maxLineBytes);
  const plans = opts.scenario ? planCells(opts.scenario.scenario) : [];
  const planOf = (id: string, repeat: number): CellPlan | undefined => plans.find((p) => p.id === id && p.repeat === repeat);
  // With a scenario every planned cell appears (one that got no samples shows as measuring nothing).
  const unmatched = opts.scenario ? [...reader.cells.values()].filter((c) => !planOf(c.id, c.repeat)).map((c) => c.id) : [];
  for (const p of plans) reader.cell(p.id, p.repeat);
  const runs = [...reader.cells.values()].map((c) => toCell(c, planOf(c.id, c.repeat), reader, opts));
  const unaccounted = new Set([...reader.cells.values()].filter((c) => !c.seen.has('requestsCompleted') && !c.seen.has('framesExpected')).map((c) => c.id));
  for (const c of reader.cells.values()) c.destroy();
  const order = [...plans.map((p) => p.id), ...runs.map((r) => r.id)];
  const specs = opts.scenario ? parseThresholds(opts.scenario.scenario.thresholds) : [];
  const cells: CellResult[] = [];
  for (const id of [...new Set(order)]) {
    const group = runs.filter((r) => r.id === id).sort((a, b) => (a.repeat ?? 0) - (b.repeat ?? 0));
    if (!group.length) continue;
    const cell = aggregateRepeats(group);
    cell.thresholds = evaluateThresholds(specs, cell);
    const failures = cellFailures(cell).map((f) => (f.kind === 'no_completed_request' && unaccounted.has(id) ? { ...f, reason: NO_ACCOUNTING } : f));
    if (failures.length > 0) cell.failures = failures;
    cell.ok = failures.length === 0 && !cell.thresholds.some(thresholdFailed);
    cells.push(cell);
  }
  const times = cells.flatMap((c) => [Date.parse(c.startedAt), Date.parse(c.endedAt)]).filter((t) => t > 0);
  const startedAt = new Date(times.length ? Math.min(...times) : Date.now());
  const name = opts.scenario?.scenario.name ?? 'k6';
  const target = opts.scenario?.scenario.target ?? [...reader.urls][0] ?? 'unknown (k6)';
  const results: Results = {
    schema: RESULTS_SCHEMA,
    tool: { name: TOOL_NAME, version: toolVersion() },
    runId: newRunId(`${name}-k6`, startedAt),
    command: opts.command,
    startedAt: startedAt.toISOString(),
    endedAt: new Date(times.length ? Math.max(...times) : Date.now()).toISOString(),
    scenario: opts.scenario ? { ...opts.scenario.scenario, file: opts.scenario.file } : { name },
    environment: { node: process.version, os: 'k6 (imported)', cpus: cpus().length, cpuModel: 'k6 runners', target, embeddedServer: false },
    cells,
    imported: { engine: 'k6', files: reader.files.map((f) => ({ file: f.file, samples: f.samples, ignored: f.ignored })) },
    ok: overallOk(cells),
  };
  return { results, files: reader.files, unmatched };
}
