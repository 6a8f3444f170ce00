// Runs an upload scenario (direction: upload): per cell, its servers (ingest-servers.ts), then the
// cameras (in this process or in worker processes; following soak stages when given), chaos during
// the measured window, and one CellResult with its `ingest` block; repeats merged into one cell.
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { ChaosRunner, type ChaosTargets } from '../chaos/runner.js';
import { planFaults } from '../chaos/schedule.js';
import { startFaultProxy, type FaultProxy } from '../chaos/proxy.js';
import { TargetError } from '../errors.js';
import { FrameCorpus } from '../frames/corpus.js';
import { parseResolution } from '../frames/resolution.js';
import type { ModelApiChaos, ModelApiStats } from '../ingest/model-api.js';
import { fetchJson, ServerStatsTracker } from '../ingest/server-stats-poll.js';
import { UploadPool } from '../ingest/upload-pool.js';
import { UploadWorkerPool } from '../ingest/upload-worker-pool.js';
import { buildTemplates, type TemplateSpec } from '../ingest/frame-templates.js';
import { stagesDurationMs } from '../scenario/stages.js';
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
import { aggregateIngestRepeats } from './ingest-repeats.js';
import { ms, startServers, settingsOf, type CellServers } from './ingest-servers.js';
import { checkCapacity, resolveWorkers } from './capacity.js';
import { uploadTargetOf, type UploadTarget } from './upload-protocol.js';
import { redactResults } from './redact-results.js';
import { reconnectPolicy } from './run-cell.js';
import type { RunOptions, RunOutcome } from './run-options.js';
import { codecResults } from './target.js';
import { samplePhases, stopSamplers, type RunSampler } from './run-hooks.js';

/** A fault proxy in front of the ingestion server when the scenario has network faults; cameras connect through it. */
async function proxyFor(scenario: Scenario, url: string): Promise<{ proxy?: FaultProxy; url: string }> {
  if (!scenario.chaos.some((e) => e.kind === 'network')) return { url };
  const u = new URL(url);
  const proxy = await startFaultProxy({ targetHost: u.hostname.replace(/^\[|\]$/g, ''), targetPort: Number(u.port || (u.protocol === 'wss:' ? 443 : 80)), allowRemote: true });
  return { proxy, url: `${u.protocol}//127.0.0.1:${proxy.port}${u.pathname}${u.search}` };
}

function chaosFor(scenario: Scenario, servers: CellServers, pool: Pick<UploadPool, 'killClients'>, measureMs: number, seed: number, events: RunEvent[], proxy?: FaultProxy): ChaosRunner | undefined {
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

interface CellContext {
  cfg: IngestConfig;
  target: string | undefined;
  workers: number;
  corpus: FrameCorpus;
  upload: UploadTarget;
  samplers: readonly RunSampler[];
}

async function runIngestCell(plan: CellPlan, loaded: LoadedScenario, opts: RunOptions, cx: CellContext): Promise<CellResult> {
  const { scenario } = loaded;
  const { cfg, target } = cx;
  const emit = opts.onProgress ?? (() => undefined);
  const p = plan.params;
  const seed = scenario.seed * 1000 + plan.index;
  const wire = cx.upload;
  const dims = parseResolution(p.resolution)!;
  const spec: TemplateSpec = { format: p.format, width: dims.width, height: dims.height, quality: p.quality, frames: scenario.corpusFrames, binary: p.transport === 'binary', upload: wire.upload, cacheDir: opts.cacheDir };
  const templates = cx.workers > 0 ? [] : await buildTemplates(spec, cx.corpus);
  const servers = await startServers(plan, cfg, scenario, target, (message) => emit({ type: 'log', message }));
  const tracker = servers.statsUrl ? new ServerStatsTracker(servers.statsUrl) : undefined;
  const front = await proxyFor(scenario, servers.url).catch(async (err: unknown) => {
    await servers.stop();
    throw err;
  });
  const startedAt = new Date();
  const measureMs = opts.stages ? stagesDurationMs(opts.stages) : ms(p.duration, 10_000);
  const options = {
    url: wire.url(front.url),
    clients: p.clients,
    fps: p.fps,
    binary: p.transport === 'binary',
    rampUpMs: ms(p.rampUp, 1000),
    warmupMs: ms(p.warmup, 1000),
    durationMs: measureMs,
    drainTimeoutMs: Math.max(ms(p.drainTimeout, 5000), ms(p.dispatchInterval, 2000) * 2),
    maxBufferedBytes: cfg.maxBufferedBytes,
    maxBacklog: cfg.maxBacklog,
    reconnect: reconnectPolicy(scenario.reconnect),
    wsOptions: wire.wsOptions(opts.wsOptions),
    seed,
    localAddresses: opts.sourceIps,
    signal: opts.signal,
    stats: tracker,
    upload: wire.upload,
    ...(opts.stages ? { stages: opts.stages } : {}),
  };
  const pool = cx.workers > 0 ? new UploadWorkerPool({ ...options, templates: spec }, cx.workers) : new UploadPool({ ...options, templates });
  pool.on('stage', (index, stageTarget) => emit({ type: 'stage', plan, index, target: stageTarget }));
  let chaos: ChaosRunner | undefined;
  const sample = samplePhases(cx.samplers);
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
    throw new TargetError(
      `no camera could connect to ${redactUrl(front.url)} (${Object.entries(snap.errorsByKind)
        .map(([k, n]) => `${k}×${n}`)
        .join(', ')})`,
    );
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
    cell.harness = { workers: cx.workers, maxCpuPct: sat.maxCpuPct, maxLoopDelayMs: sat.maxLoopDelayMs, saturated: sat.saturated, ...(reason ? { reason } : {}) };
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
  const cfg = ingestSchema.parse(scenario.ingest ?? {});
  const emit = opts.onProgress ?? (() => undefined);
  const upload = uploadTargetOf(loaded, cfg, (message) => emit({ type: 'log', message }));
  const plans = planCells(scenario);
  const specs = parseThresholds(scenario.thresholds);
  const startedAt = new Date();
  const runId = newRunId(scenario.name, startedAt);
  const outDir = opts.outDir ?? join('reports', runId);
  const target = opts.target ?? scenario.target;
  const maxClients = Math.max(...plans.map((p) => p.params.clients));
  // the embedded ingestion server and mock API are processes of their own, like the reference server
  const workers = resolveWorkers(opts.workers ?? 0, maxClients, !target);
  checkCapacity({ clients: maxClients, workers, embeddedServer: !target, sourceAddresses: opts.sourceIps?.length ?? 1 });
  const secrets = [...(opts.secrets ?? []), ...upload.secrets];
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
  let group: CellResult[] = [];
  const flush = async (last: boolean): Promise<void> => {
    if (group.length === 0) return;
    const cell = aggregateIngestRepeats(group);
    group = [];
    judgeCell(cell, specs, opts.signal?.aborted === true);
    addCell(results, cell);
    results.endedAt = new Date().toISOString();
    if (opts.signal?.aborted) results.interrupted = true;
    // a checkpoint while more cells follow, so a killed run keeps its finished cells
    if (!last && !opts.signal?.aborted) file = await writeResults(outDir, redactResults(results, secrets));
  };
  try {
    for (const plan of plans) {
      if (opts.signal?.aborted) break;
      emit({ type: 'cell-start', index: plan.index, total: plans.length, plan });
      const run = await runIngestCell(plan, loaded, opts, { cfg, target, workers, corpus, upload, samplers });
      group.push(run);
      if (plans[plan.index + 1]?.id === plan.id && !opts.signal?.aborted) continue;
      await flush(plan === plans.at(-1));
    }
    await flush(true);
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
