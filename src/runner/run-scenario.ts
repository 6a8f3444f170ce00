// Runs a scenario end to end: plan → corpus → target → one pool per cell → results.json.
// Progress is reported through a callback; nothing here prints or exits.
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { isLoopbackUrl } from '../client/clock-sync.js';
import { ClientPool } from '../client/pool.js';
import { probeTarget } from '../client/probe.js';
import { TargetError } from '../errors.js';
import { FrameCorpus } from '../frames/corpus.js';
import { writeResults, newRunId } from '../metrics/results-writer.js';
import { RESULTS_SCHEMA, type CellResult, type Results, type TimeseriesPoint } from '../metrics/results-types.js';
import { evaluateThresholds, parseThresholds } from '../metrics/thresholds.js';
import type { LoadedScenario } from '../scenario/load.js';
import { parseDuration } from '../scenario/duration.js';
import type { ReconnectConfig } from '../scenario/schema.js';
import { planCells, type CellPlan } from '../scenario/sweep.js';
import type { ReconnectPolicy } from '../client/client-context.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import { aggregateRepeats } from './aggregate.js';
import { toCellResult } from './cell-result.js';
import { codecResults, externalTarget, startEmbedded, type ResolvedTarget } from './target.js';

export type RunProgress =
  | { type: 'log'; message: string }
  | { type: 'corpus'; message: string; done: number; total: number }
  | { type: 'target'; url: string; embedded: boolean }
  | { type: 'cell-start'; index: number; total: number; plan: CellPlan }
  | { type: 'phase'; plan: CellPlan; phase: string }
  | { type: 'tick'; plan: CellPlan; point: TimeseriesPoint; connections: number }
  | { type: 'cell-end'; index: number; total: number; result: CellResult }
  | { type: 'written'; file: string };

export interface RunOptions {
  command: string;
  target?: string;
  outDir?: string;
  cacheDir?: string;
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
}

export interface RunOutcome {
  results: Results;
  file: string;
  outDir: string;
}

export async function runScenario(loaded: LoadedScenario, opts: RunOptions): Promise<RunOutcome> {
  const { scenario } = loaded;
  const emit = opts.onProgress ?? (() => undefined);
  const plans = planCells(scenario);
  const specs = parseThresholds(scenario.thresholds);
  const startedAt = new Date();
  const runId = newRunId(scenario.name, startedAt);
  const outDir = opts.outDir ?? join('reports', runId);
  const targetUrl = opts.target ?? scenario.target;

  const preflight = targetUrl ? await probeTarget(targetUrl) : undefined;
  const corpus = new FrameCorpus({ cacheDir: opts.cacheDir, onProgress: (message, done, total) => emit({ type: 'corpus', message, done, total }) });
  const codecs = await codecResults(corpus, plans, scenario.corpusFrames);
  const target: ResolvedTarget = targetUrl
    ? externalTarget(targetUrl)
    : await startEmbedded({ cacheDir: opts.cacheDir, corpusFrames: scenario.corpusFrames, plans, onLog: (message) => emit({ type: 'log', message }) });
  emit({ type: 'target', url: target.url, embedded: !targetUrl });

  const results: Results = {
    schema: RESULTS_SCHEMA,
    tool: { name: TOOL_NAME, version: toolVersion() },
    runId,
    command: opts.command,
    startedAt: startedAt.toISOString(),
    endedAt: startedAt.toISOString(),
    scenario: { ...scenario, file: loaded.file },
    environment: {
      node: process.version,
      os: `${platform()} ${release()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      target: target.url,
      embeddedServer: !targetUrl,
    },
    cells: [],
    codecs,
    ok: true,
  };

  let file = '';
  try {
    const clock = preflight ?? (await probeTarget(target.url));
    const applied = !isLoopbackUrl(target.url);
    let group: CellResult[] = [];
    const flush = async (): Promise<void> => {
      if (group.length === 0) return;
      const cell = aggregateRepeats(group);
      group = [];
      cell.thresholds = evaluateThresholds(specs, cell);
      results.cells.push(cell);
      results.ok = results.cells.every((c) => c.thresholds.every((t) => t.ok));
      results.endedAt = new Date().toISOString();
      if (opts.signal?.aborted) results.interrupted = true;
      file = await writeResults(outDir, results);
    };
    for (const plan of plans) {
      if (opts.signal?.aborted) break;
      emit({ type: 'cell-start', index: plan.index, total: plans.length, plan });
      const pool = new ClientPool({
        url: target.url,
        params: plan.params,
        offsetUs: applied ? clock.offsetUs : 0,
        wsOptions: {},
        signal: opts.signal,
        reconnect: reconnectPolicy(scenario.reconnect),
        heartbeat: { intervalMs: parseDuration(scenario.heartbeat.interval) ?? 5000, timeoutMs: parseDuration(scenario.heartbeat.timeout) ?? 10_000 },
        seed: scenario.seed * 1000 + plan.index,
      });
      pool.on('phase', (phase) => emit({ type: 'phase', plan, phase }));
      pool.on('tick', (point) => emit({ type: 'tick', plan, point, connections: pool.connections }));
      const cellStart = new Date();
      const collector = await pool.run();
      const run = toCellResult(plan, collector.snapshot(), { ...clock, applied }, { startedAt: cellStart, endedAt: new Date() });
      if (run.counts.connects === 0 && run.counts.connectFailures > 0) {
        throw new TargetError(`no client could connect to ${target.url} (${Object.entries(run.errorsByKind).map(([k, n]) => `${k}×${n}`).join(', ')})`);
      }
      emit({ type: 'cell-end', index: plan.index, total: plans.length, result: run });
      group.push(run);
      if (plans[plan.index + 1]?.id === plan.id && !opts.signal?.aborted) continue;
      await flush();
    }
    await flush();
  } finally {
    await target.stop();
  }
  if (opts.signal?.aborted) results.interrupted = true;
  results.endedAt = new Date().toISOString();
  file = await writeResults(outDir, results);
  emit({ type: 'written', file });
  return { results, file, outDir };
}

function reconnectPolicy(r: ReconnectConfig): ReconnectPolicy {
  return { enabled: r.enabled, baseMs: parseDuration(r.base) ?? 100, capMs: parseDuration(r.cap) ?? 5000, maxAttempts: r.maxAttempts, resume: r.resume };
}
