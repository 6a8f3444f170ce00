// Runs one planned cell: a client pool (with chaos during its measured window when the scenario
// has any) and its CellResult.
import type { ClockEstimate } from '../client/clock-sync.js';
import type { ClientOptions } from 'ws';
import type { ChaosRunner } from '../chaos/runner.js';
import { stagesDurationMs, type Stage } from '../scenario/stages.js';
import type { TimeseriesLog } from '../metrics/timeseries-log.js';
import { chaosSummary } from '../metrics/chaos-impact.js';
import type { ReconnectPolicy } from '../client/client-context.js';
import { ClientPool } from '../client/pool.js';
import type { LoadPool, PoolOptions } from '../client/pool-options.js';
import { WorkerPool } from '../client/worker-pool.js';
import { processTreeCpuMs } from '../metrics/process-cpu.js';
import { detectSaturation, markPauses, PAUSE_BOUND_MS } from '../metrics/saturation.js';
import { TargetError } from '../errors.js';
import type { BrowserResult, CellResult } from '../results/types.js';
import { attachViewers } from './browser-cell.js';
import { parseDuration } from '../text/duration.js';
import type { ReconnectConfig, Scenario } from '../scenario/schema.js';
import type { CellPlan } from '../scenario/sweep.js';
import { redactUrl } from '../text/redact.js';
import { toCellResult } from './cell-result.js';
import { describeProtocol } from '../protocol/adapters/index.js';
import type { ChaosSetup } from './chaos-setup.js';
import type { RunProgress } from './run-options.js';
import { samplePhases, type RunSampler } from './run-hooks.js';

export interface CellContext {
  url: string;
  /** Client worker processes; 0 runs the clients in this process. */
  workers: number;
  localAddresses?: string[];
  wsOptions?: ClientOptions;
  stages?: Stage[];
  log?: TimeseriesLog;
  scenario: Scenario;
  clock: ClockEstimate & { applied: boolean };
  chaos?: ChaosSetup;
  signal?: AbortSignal;
  emit: (p: RunProgress) => void;
  total: number;
  /** Global index of the first client (a shard's clients follow the other shards'). */
  indexOffset?: number;
  /** Wall-clock pool start (epoch ms) of a synchronised start. */
  startAtMs?: number;
  sessionTag?: string;
  /** Process of a local server (the embedded one): its CPU over the measured window goes into cell.cpu. */
  serverPid?: number;
  /** A mode's samplers (soak's scraper): started with the measured window, stopped at drain. */
  samplers?: readonly RunSampler[];
}

export function reconnectPolicy(r: ReconnectConfig): ReconnectPolicy {
  return { enabled: r.enabled, baseMs: parseDuration(r.base) ?? 100, capMs: parseDuration(r.cap) ?? 5000, maxAttempts: r.maxAttempts, resume: r.resume };
}

export async function runCell(plan: CellPlan, ctx: CellContext): Promise<CellResult> {
  const { scenario, emit } = ctx;
  const seed = scenario.seed * 1000 + plan.index;
  const options: PoolOptions = {
    url: ctx.url,
    params: plan.params,
    offsetUs: ctx.clock.applied ? ctx.clock.offsetUs : 0,
    wsOptions: ctx.wsOptions ?? {},
    signal: ctx.signal,
    stages: ctx.stages,
    reconnect: reconnectPolicy(scenario.reconnect),
    heartbeat: { intervalMs: parseDuration(scenario.heartbeat.interval) ?? 5000, timeoutMs: parseDuration(scenario.heartbeat.timeout) ?? 10_000 },
    seed: seed + (ctx.indexOffset ?? 0),
    localAddresses: ctx.localAddresses,
    ...(ctx.indexOffset ? { indexOffset: ctx.indexOffset } : {}),
    ...(ctx.startAtMs !== undefined ? { startAtMs: ctx.startAtMs } : {}),
    ...(ctx.sessionTag ? { sessionTag: ctx.sessionTag } : {}),
    protocol: scenario.protocol,
  };
  if (ctx.stages) options.params = { ...options.params, clients: Math.max(1, ...ctx.stages.map((st) => st.target)) };
  const pool: LoadPool = ctx.workers > 0 ? new WorkerPool(options, ctx.workers) : new ClientPool(options);
  let chaos: ChaosRunner | undefined;
  const stopChaos = async (): Promise<void> => {
    const runner = chaos;
    chaos = undefined;
    await runner?.stop();
  };
  let measureStartedAt: Date | undefined;
  let serverCpuStart: number | undefined;
  let serverCpuMs: number | undefined;
  const sample = samplePhases(ctx.samplers ?? []);
  pool.on('phase', (phase, atMs) => {
    if (phase === 'measure') measureStartedAt = new Date(atMs ?? Date.now());
    emit({ type: 'phase', plan, phase });
    sample(phase);
    if (ctx.serverPid && phase === 'measure') serverCpuStart = processTreeCpuMs(ctx.serverPid);
    if (ctx.serverPid && phase === 'drain' && serverCpuStart !== undefined) {
      const end = processTreeCpuMs(ctx.serverPid);
      if (end !== undefined) serverCpuMs = end - serverCpuStart;
    }
    if (phase === 'measure' && ctx.chaos) {
      const measureMs = ctx.stages ? stagesDurationMs(ctx.stages) : (parseDuration(plan.params.duration) ?? 0);
      chaos = ctx.chaos.startCell(pool, measureMs, seed, pool.events);
    }
    if (phase === 'drain') void stopChaos();
  });
  const pauseBoundMs = parseDuration(scenario.harnessPause) ?? PAUSE_BOUND_MS;
  pool.on('tick', (point) => {
    if ((point.loopStallMs ?? 0) > pauseBoundMs) point.harnessAffected = true;
    emit({ type: 'tick', plan, point, connections: pool.connections });
    const { latenessHdr: _live, ...kept } = point;
    ctx.log?.append(plan.id, kept);
  });
  pool.on('stage', (index, target) => emit({ type: 'stage', plan, index, target }));
  const viewers = await attachViewers(pool, plan, ctx.url, scenario, ctx.stages !== undefined);
  const cellStart = new Date();
  let snapshot: Awaited<ReturnType<LoadPool['run']>>;
  let browser: BrowserResult | undefined;
  try {
    snapshot = await pool.run();
    browser = await viewers?.result();
  } finally {
    await viewers?.close();
  }
  await stopChaos();
  const cell = toCellResult(plan, snapshot, ctx.clock, { startedAt: cellStart, endedAt: new Date() });
  if (measureStartedAt) cell.measureStartedAt = measureStartedAt.toISOString();
  cell.protocol = describeProtocol(scenario.protocol);
  if (cell.counts.connects === 0 && cell.counts.connectFailures > 0) {
    throw new TargetError(
      `no client could connect to ${redactUrl(ctx.url)} (${Object.entries(cell.errorsByKind)
        .map(([k, n]) => `${k}×${n}`)
        .join(', ')})`,
    );
  }
  if (cell.cpu && serverCpuMs !== undefined && snapshot.window.frames > 0) {
    cell.cpu.serverMs = Math.round(serverCpuMs);
    cell.cpu.serverMsPerFrame = Math.round((serverCpuMs / snapshot.window.frames) * 1e4) / 1e4;
  }
  if (browser) cell.browser = browser;
  const summary = chaosSummary(cell.events, cell.timeseries);
  if (summary) cell.chaos = summary;
  const sat = detectSaturation(cell.timeseries);
  const pauses = markPauses(cell.timeseries, pauseBoundMs);
  if (sat) {
    const paused = pauses !== undefined && pauses.windows.length > 0;
    const reason = [sat.saturated ? sat.reason : '', paused ? pauses.reason : ''].filter(Boolean).join('; ');
    cell.harness = { workers: ctx.workers, maxCpuPct: sat.maxCpuPct, maxLoopDelayMs: sat.maxLoopDelayMs, saturated: sat.saturated, ...(reason ? { reason } : {}) };
    if (pauses) Object.assign(cell.harness, { maxStallMs: pauses.maxStallMs, pauseBoundMs: pauses.boundMs, pausedWindows: pauses.windows, latencyAffected: paused });
    if (sat.saturated || paused) {
      cell.harnessSaturated = true;
      emit({ type: 'log', message: `warning: cell ${plan.id}: ${reason}` });
    }
  }
  emit({ type: 'cell-end', index: plan.index, total: ctx.total, result: cell });
  return cell;
}
