// Runs an upload scenario (direction: upload): per cell, the mock model API and the reference
// ingestion server in child processes of their own (with the cell's dispatch interval, batch size and
// API rate limit) — or the team's own server (--target) and model API (ingest.modelUrl) — then the
// cameras, chaos during the measured window, and one CellResult with its `ingest` block.
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { ChaosRunner, type ChaosTargets } from '../chaos/runner.js';
import { planFaults } from '../chaos/schedule.js';
import { startFaultProxy, type FaultProxy } from '../chaos/proxy.js';
import { ScenarioError, TargetError, UsageError } from '../errors.js';
import { FrameCorpus } from '../frames/corpus.js';
import { parseResolution } from '../frames/resolution.js';
import { launchIngestProcess, type IngestProcess } from '../ingest/launcher.js';
import type { ModelApiChaos, ModelApiStats } from '../ingest/model-api.js';
import { fetchJson, ServerStatsTracker } from '../ingest/server-stats-poll.js';
import { UploadPool } from '../ingest/upload-pool.js';
import { BinaryFrameTemplate, JsonFrameTemplate } from '../ingest/wire.js';
import { DEFAULT_WIRE, type WireShape } from '../ingest/wire-shape.js';
import type { IngestCellResult } from '../results/ingest.js';
import { RESULTS_SCHEMA, type CellResult, type Results, type RunEvent } from '../results/types.js';
import { newRunId, writeResults } from '../results/write.js';
import { detectSaturation, markPauses, PAUSE_BOUND_MS } from '../metrics/saturation.js';
import { addCell, judgeCell, overallOk } from '../metrics/cell-verdict.js';
import { parseThresholds } from '../metrics/thresholds.js';
import { parseDuration } from '../text/duration.js';
import type { LoadedScenario } from '../scenario/load.js';
import { ingestSchema, type IngestConfig, type Scenario } from '../scenario/schema.js';
import { planCells, type CellPlan } from '../scenario/sweep.js';
import { redactDeep, redactUrl } from '../text/redact.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import { toIngestCellResult } from './ingest-cell.js';
import { redactResults } from './redact-results.js';
import { reconnectPolicy } from './run-cell.js';
import type { RunOptions, RunOutcome } from './run-options.js';
import { codecResults } from './target.js';
import { samplePhases, stopSamplers, type RunSampler } from './run-hooks.js';

const ms = (d: string | number | undefined, fallback: number): number => (d === undefined ? fallback : (parseDuration(d) ?? fallback));

interface CellServers {
  url: string;
  ingest?: IngestProcess;
  modelApi?: IngestProcess;
  statsUrl?: string;
  stop(): Promise<void>;
}

function settingsOf(plan: CellPlan, cfg: IngestConfig): IngestCellResult['settings'] {
  const p = plan.params;
  return {
    fps: p.fps,
    transport: p.transport,
    format: p.format,
    resolution: p.resolution,
    dispatchIntervalMs: ms(p.dispatchInterval, 2000),
    batchSize: p.batchSize ?? 8,
    apiRateLimit: p.apiRateLimit ?? 0,
    bufferFrames: cfg.bufferFrames,
    contextChars: cfg.contextChars,
    maxFps: cfg.maxFps,
  };
}

async function startServers(plan: CellPlan, cfg: IngestConfig, scenario: Scenario, target: string | undefined, log: (m: string) => void): Promise<CellServers> {
  if (target) {
    return { url: target, statsUrl: cfg.statsUrl, stop: async () => undefined };
  }
  const s = settingsOf(plan, cfg);
  const seed = scenario.seed * 1000 + plan.index;
  let modelApi: IngestProcess | undefined;
  let modelUrl = cfg.modelUrl;
  if (!modelUrl) {
    modelApi = await launchIngestProcess(
      { role: 'model-api', options: { port: 0, baseMs: ms(cfg.apiLatency, 250), perImageMs: ms(cfg.apiPerImage, 30), perKCharMs: ms(cfg.apiPerKChars, 4), rpm: s.apiRateLimit, tpm: cfg.apiTokensPerMin, seed } },
      { onLog: (l) => log(`model API: ${l}`) },
    );
    modelUrl = modelApi.url;
  }
  let ingest: IngestProcess;
  try {
    ingest = await launchIngestProcess(
      {
        role: 'ingest',
        options: {
          port: 0,
          modelUrl,
          model: cfg.model,
          intervalMs: s.dispatchIntervalMs,
          batchSize: s.batchSize,
          bufferFrames: cfg.bufferFrames,
          contextChars: cfg.contextChars,
          maxFps: cfg.maxFps,
          maxFrameBytes: cfg.maxFrameBytes,
          maxInflight: cfg.maxInflight,
          retry: { maxRetries: cfg.retries, baseMs: ms(cfg.retryBase, 250), capMs: ms(cfg.retryCap, 10_000) },
          seed,
        },
      },
      { apiKey: cfg.modelUrl ? process.env.FRAMEBENCH_MODEL_KEY : undefined, onLog: (l) => log(`ingestion server: ${l}`) },
    );
  } catch (err) {
    await modelApi?.stop();
    throw err;
  }
  const http = ingest.url.replace(/^ws/, 'http');
  return {
    url: ingest.url,
    ingest,
    modelApi,
    statsUrl: `${http}stats`,
    stop: async () => {
      await ingest.stop();
      await modelApi?.stop();
    },
  };
}

async function templatesFor(corpus: FrameCorpus, plan: CellPlan, frames: number, shape: WireShape): Promise<Array<JsonFrameTemplate | BinaryFrameTemplate>> {
  const p = plan.params;
  const dims = parseResolution(p.resolution)!;
  const entry = await corpus.get({ format: p.format, width: dims.width, height: dims.height, quality: p.quality, frames });
  return entry.frames.map((f) => (p.transport === 'binary' ? new BinaryFrameTemplate(f) : new JsonFrameTemplate(f.toString('base64'), p.format, dims.width, dims.height, shape)));
}

/** A fault proxy in front of the ingestion server when the scenario has network faults; cameras connect through it. */
async function proxyFor(scenario: Scenario, url: string): Promise<{ proxy?: FaultProxy; url: string }> {
  if (!scenario.chaos.some((e) => e.kind === 'network')) return { url };
  const u = new URL(url);
  const proxy = await startFaultProxy({ targetHost: u.hostname.replace(/^\[|\]$/g, ''), targetPort: Number(u.port || (u.protocol === 'wss:' ? 443 : 80)), allowRemote: true });
  return { proxy, url: `${u.protocol}//127.0.0.1:${proxy.port}${u.pathname}${u.search}` };
}

function chaosFor(scenario: Scenario, servers: CellServers, pool: UploadPool, measureMs: number, seed: number, events: RunEvent[], proxy?: FaultProxy): ChaosRunner | undefined {
  if (scenario.chaos.length === 0) return undefined;
  const targets: ChaosTargets = { killClients: (pick) => pool.killClients(pick), proxy };
  if (servers.ingest) targets.restartServer = (mode, downtimeMs) => servers.ingest!.restart(mode, downtimeMs);
  if (servers.modelApi) {
    const admin = servers.modelApi.url.replace(/\/v1\/chat\/completions$/, '/admin/chaos');
    targets.modelApi = async (effect, durationMs, amount) => {
      const order: ModelApiChaos = effect === 'slow' ? { mode: 'slow', durationMs, factor: amount.factor } : effect === 'fail' ? { mode: 'fail', durationMs, rate: amount.rate } : { mode: 'throttle', durationMs };
      const res = await fetch(admin, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order), signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`model API chaos order: HTTP ${res.status} ${await res.text()}`);
    };
  }
  const runner = new ChaosRunner(planFaults(scenario.chaos, { seed, windowMs: measureMs }), targets, (e) => {
    const ev: RunEvent = { t: e.t, kind: e.kind, detail: e.detail };
    if (e.hit !== undefined) ev.hit = e.hit;
    if (e.endsAt !== undefined) ev.endsAt = e.endsAt;
    events.push(ev);
  });
  runner.start();
  return runner;
}

async function runIngestCell(plan: CellPlan, loaded: LoadedScenario, opts: RunOptions, corpus: FrameCorpus, cfg: IngestConfig, target: string | undefined, samplers: readonly RunSampler[]): Promise<CellResult> {
  const { scenario } = loaded;
  const emit = opts.onProgress ?? (() => undefined);
  const p = plan.params;
  const seed = scenario.seed * 1000 + plan.index;
  const shape = cfg.wire ? (cfg.wire as WireShape) : DEFAULT_WIRE;
  const templates = await templatesFor(corpus, plan, scenario.corpusFrames, shape);
  const servers = await startServers(plan, cfg, scenario, target, (message) => emit({ type: 'log', message }));
  const tracker = servers.statsUrl ? new ServerStatsTracker(servers.statsUrl) : undefined;
  const front = await proxyFor(scenario, servers.url).catch(async (err: unknown) => {
    await servers.stop();
    throw err;
  });
  const startedAt = new Date();
  const measureMs = ms(p.duration, 10_000);
  const pool = new UploadPool({
    url: front.url,
    clients: p.clients,
    fps: p.fps,
    binary: p.transport === 'binary',
    templates,
    rampUpMs: ms(p.rampUp, 1000),
    warmupMs: ms(p.warmup, 1000),
    durationMs: measureMs,
    drainTimeoutMs: Math.max(ms(p.drainTimeout, 5000), ms(p.dispatchInterval, 2000) * 2),
    maxBufferedBytes: cfg.maxBufferedBytes,
    maxBacklog: cfg.maxBacklog,
    reconnect: reconnectPolicy(scenario.reconnect),
    wsOptions: opts.wsOptions,
    seed,
    localAddresses: opts.sourceIps,
    signal: opts.signal,
    stats: tracker,
    shape,
  });
  let chaos: ChaosRunner | undefined;
  const sample = samplePhases(samplers);
  pool.on('phase', (phase) => {
    emit({ type: 'phase', plan, phase });
    sample(phase);
    if (phase === 'measure') chaos = chaosFor(scenario, servers, pool, measureMs, seed, pool.events, front.proxy);
    if (phase === 'drain') void chaos?.stop();
  });
  pool.on('tick', (point) => emit({ type: 'tick', plan, point, connections: pool.connections }));
  let modelApi: ModelApiStats | undefined;
  let snap: Awaited<ReturnType<UploadPool['run']>>;
  try {
    snap = await pool.run();
    await chaos?.stop();
    await tracker?.poll();
    if (servers.modelApi) modelApi = await fetchJson<ModelApiStats>(servers.modelApi.url.replace(/\/v1\/chat\/completions$/, '/admin/stats')).catch(() => undefined);
  } finally {
    await front.proxy?.close();
    await servers.stop();
  }
  if (snap.connects === 0 && snap.connectFailures > 0) {
    throw new TargetError(`no camera could connect to ${redactUrl(front.url)} (${Object.entries(snap.errorsByKind).map(([k, n]) => `${k}×${n}`).join(', ')})`);
  }
  const cell = toIngestCellResult({
    plan,
    snap,
    settings: settingsOf(plan, cfg),
    budgetBytesPerSec: cfg.budgetBytesPerSec,
    server: tracker?.view(redactUrl(tracker.url)),
    modelApi: modelApi ? { requests: modelApi.requests, answered: modelApi.answered, rateLimited: modelApi.rateLimited, throttled: modelApi.throttled, failed: modelApi.failed, latencyMs: modelApi.latencyMs } : undefined,
    startedAt,
    endedAt: new Date(),
  });
  const sat = detectSaturation(cell.timeseries);
  const pauseBoundMs = parseDuration(scenario.harnessPause) ?? PAUSE_BOUND_MS;
  const pauses = markPauses(cell.timeseries, pauseBoundMs);
  if (sat) {
    const paused = pauses !== undefined && pauses.windows.length > 0;
    const reason = [sat.saturated ? sat.reason : '', paused ? pauses.reason : ''].filter(Boolean).join('; ');
    cell.harness = { workers: 0, maxCpuPct: sat.maxCpuPct, maxLoopDelayMs: sat.maxLoopDelayMs, saturated: sat.saturated, ...(reason ? { reason } : {}) };
    if (pauses) Object.assign(cell.harness, { maxStallMs: pauses.maxStallMs, pauseBoundMs: pauses.boundMs, pausedWindows: pauses.windows, latencyAffected: paused });
    if (sat.saturated || paused) {
      cell.harnessSaturated = true;
      emit({ type: 'log', message: `warning: cell ${plan.id}: ${reason}` });
    }
  }
  emit({ type: 'cell-end', index: plan.index, total: 0, result: cell });
  return cell;
}

export async function runIngestScenario(loaded: LoadedScenario, opts: RunOptions): Promise<RunOutcome> {
  const { scenario } = loaded;
  if (opts.stages) throw new UsageError('bench soak drives download clients through stages; for an upload soak use `bench run` with a long duration (answer lag drift is analysed per cell, see cells[].ingest.lagDrift)');
  if (opts.workers !== undefined && opts.workers !== 'auto' && opts.workers > 0) throw new UsageError('--workers: upload cameras run in this process (worker processes are not supported for direction: upload); use --workers 0 or auto');
  if (scenario.repeat > 1) throw new ScenarioError(`${loaded.file}: repeat: upload scenarios run each cell once; use repeat: 1 (or run the scenario again and compare with bench diff)`);
  const cfg = ingestSchema.parse(scenario.ingest ?? {});
  const emit = opts.onProgress ?? (() => undefined);
  const plans = planCells(scenario);
  const specs = parseThresholds(scenario.thresholds);
  const startedAt = new Date();
  const runId = newRunId(scenario.name, startedAt);
  const outDir = opts.outDir ?? join('reports', runId);
  const target = opts.target ?? scenario.target;
  const secrets = opts.secrets ?? [];
  const corpus = new FrameCorpus({ cacheDir: opts.cacheDir, onProgress: (message, done, total) => emit({ type: 'corpus', message, done, total }) });
  const codecs = await codecResults(corpus, plans, scenario.corpusFrames);
  const shownTarget = target ? redactDeep(redactUrl(target), secrets) : 'embedded ingestion server + mock model API';
  if (target) emit({ type: 'target', url: shownTarget, embedded: false });
  else emit({ type: 'log', message: 'upload: cameras → embedded ingestion server → mock model API (a fresh pair per cell, with its dispatch interval and rate limit)' });
  const results: Results = {
    schema: RESULTS_SCHEMA,
    tool: { name: TOOL_NAME, version: toolVersion() },
    runId,
    command: opts.command,
    startedAt: startedAt.toISOString(),
    endedAt: startedAt.toISOString(),
    scenario: redactDeep({ ...scenario, ...(scenario.target ? { target: redactUrl(scenario.target) } : {}), file: loaded.file }, secrets),
    environment: { node: process.version, os: `${platform()} ${release()}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', target: shownTarget, embeddedServer: !target },
    cells: [],
    codecs,
    ok: true,
  };
  let file = '';
  const samplers = target ? (opts.hooks?.samplers?.({ url: target, embedded: false }) ?? []) : [];
  try {
    for (const plan of plans) {
      if (opts.signal?.aborted) break;
      emit({ type: 'cell-start', index: plan.index, total: plans.length, plan });
      const cell = await runIngestCell(plan, loaded, opts, corpus, cfg, target, samplers);
      judgeCell(cell, specs, opts.signal?.aborted === true);
      addCell(results, cell);
      results.endedAt = new Date().toISOString();
      if (opts.signal?.aborted) results.interrupted = true;
      // a checkpoint while more cells follow, so a killed run keeps its finished cells
      if (plan !== plans.at(-1) && !opts.signal?.aborted) file = await writeResults(outDir, redactResults(results, secrets));
    }
  } finally {
    await stopSamplers(samplers);
  }
  if (opts.signal?.aborted) results.interrupted = true;
  results.ok = overallOk(results.cells);
  results.endedAt = new Date().toISOString();
  const safe = redactResults((await opts.hooks?.finish?.(results)) ?? results, secrets);
  file = await writeResults(outDir, safe);
  emit({ type: 'written', file });
  return { results: safe, file, outDir };
}
