// Runs a scenario end to end: plan → corpus → target → one pool per cell → results.json.
// Progress is reported through a callback; nothing here prints or exits.
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { isLoopbackUrl } from '../client/clock-sync.js';
import { probeTarget } from '../client/probe.js';
import { FrameCorpus } from '../frames/corpus.js';
import { writeResults, newRunId } from '../results/write.js';
import { RESULTS_SCHEMA, type CellResult, type Results } from '../results/types.js';
import { addCell, judgeCell } from '../metrics/cell-verdict.js';
import { parseThresholds } from '../metrics/thresholds.js';
import type { LoadedScenario } from '../scenario/load.js';
import { planCells } from '../scenario/sweep.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import type { ClientOptions } from 'ws';
import { TimeseriesLog } from '../metrics/timeseries-log.js';
import { redactDeep, redactUrl, secretsFrom } from '../text/redact.js';
import { aggregateRepeats } from '../metrics/aggregate.js';
import { redactResults } from './redact-results.js';
import { setupChaos, type ChaosSetup } from './chaos-setup.js';
import { checkCapacity, resolveWorkers } from './capacity.js';
import { runCell } from './run-cell.js';
import { stopSamplers, type RunSampler } from './run-hooks.js';
import { announceStart, shardInfo, shardPlans } from './shard-setup.js';
import { offsetOf, shardAddresses, shardChaos, shardStages } from '../shard/spec.js';
import { cellSchedule, checkNotPast, DEFAULT_START_TOLERANCE_MS, leadMs } from '../shard/start-at.js';
import { runIngestScenario } from './run-ingest.js';
import type { RunOptions, RunOutcome } from './run-options.js';
import { ScenarioError, UsageError } from '../errors.js';
import { httpTransportProblem, isHttpTransport } from '../client/transports/http-transport-check.js';
import { probeHttpTarget } from '../client/transports/http-probe.js';
import { codecResults, externalTarget, startEmbedded, withTargetBytes, type ResolvedTarget } from './target.js';
import { createAdapter, withQuery } from '../protocol/adapters/index.js';

export async function runScenario(loaded: LoadedScenario, opts: RunOptions): Promise<RunOutcome> {
  try {
    return await runScenarioUnsafe(loaded, opts);
  } catch (err) {
    const secrets = opts.secrets ?? [];
    if (err instanceof Error && secrets.length) err.message = redactDeep(err.message, secrets);
    throw err;
  }
}

async function runScenarioUnsafe(loaded: LoadedScenario, opts: RunOptions): Promise<RunOutcome> {
  const { scenario } = loaded;
  if (scenario.direction === 'upload') {
    if (opts.shard || opts.startAtMs !== undefined) throw new UsageError('--shard and --start-at apply to streaming (download) scenarios; an upload scenario (direction: upload) runs on one machine');
    return runIngestScenario(loaded, opts);
  }
  const emit = opts.onProgress ?? (() => undefined);
  const shard = opts.shard;
  const tolerance = opts.startToleranceMs ?? DEFAULT_START_TOLERANCE_MS;
  if (opts.startAtMs !== undefined) checkNotPast(opts.startAtMs, Date.now(), tolerance, '--start-at');
  const fullPlans = planCells(scenario);
  const plans = shard ? shardPlans(fullPlans, shard, opts.stages) : fullPlans;
  const stages = shard && opts.stages ? shardStages(opts.stages, shard) : opts.stages;
  const sourceIps = shard ? shardAddresses(opts.sourceIps, shard) : opts.sourceIps;
  const chaosEntries = shard ? shardChaos(scenario.chaos, shard) : scenario.chaos;
  const schedule = opts.startAtMs !== undefined ? cellSchedule(plans, opts.startAtMs, stages) : undefined;
  const specs = parseThresholds(scenario.thresholds);
  const startedAt = new Date();
  const runId = opts.runId ?? newRunId(scenario.name, startedAt);
  const outDir = opts.outDir ?? join('reports', runId);
  const targetUrl = opts.target ?? scenario.target;

  const maxClients = Math.max(...plans.map((p) => p.params.clients));
  const workers = resolveWorkers(opts.workers ?? 0, maxClients, !targetUrl);
  checkCapacity({ clients: maxClients, workers, embeddedServer: !targetUrl, sourceAddresses: sourceIps?.length ?? 1, serverWorkers: opts.serverWorkers });
  const adapter = await createAdapter(scenario.protocol);
  // credentials in protocol.upgrade (a bearer token, ?api_key=…) stay out of results and reports
  const secrets = [...(opts.secrets ?? []), ...secretsFrom({ urls: [withQuery('ws://upgrade/', adapter.upgrade.query)], headers: adapter.upgrade.headers })];
  const upgradeOptions = (): ClientOptions => {
    const headers = adapter.upgrade.headers;
    if (Object.keys(headers).length === 0) return opts.wsOptions ?? {};
    return { ...opts.wsOptions, headers: { ...headers, ...opts.wsOptions?.headers } };
  };
  for (const plan of plans) {
    const problem = httpTransportProblem(plan.params.transport, adapter);
    if (problem) throw new ScenarioError(`${loaded.file}: cell ${plan.id}: ${problem}`);
  }
  // a team's server reached only over HTTP (sse, polling) may not speak WebSocket at all
  const httpOnly = !adapter.reference && plans.every((p) => isHttpTransport(p.params.transport));
  const preflightOf = (url: string) => (httpOnly ? probeHttpTarget(url) : probeTarget(withQuery(url, adapter.upgrade.query), upgradeOptions(), secrets, adapter.reference ? 8 : 0, 5000, adapter.upgrade.subprotocols));
  const preflight = targetUrl ? await preflightOf(targetUrl) : undefined;
  const corpus = new FrameCorpus({ cacheDir: opts.cacheDir, onProgress: (message, done, total) => emit({ type: 'corpus', message, done, total }) });
  const codecs = await codecResults(corpus, plans, scenario.corpusFrames);
  const target: ResolvedTarget = targetUrl
    ? externalTarget(targetUrl)
    : await startEmbedded({ cacheDir: opts.cacheDir, corpusFrames: scenario.corpusFrames, plans, workers: opts.serverWorkers, onLog: (message) => emit({ type: 'log', message }) });
  emit({ type: 'target', url: redactDeep(redactUrl(target.url), secrets), embedded: !targetUrl });

  const results: Results = {
    schema: RESULTS_SCHEMA,
    tool: { name: TOOL_NAME, version: toolVersion() },
    runId,
    command: opts.command,
    startedAt: startedAt.toISOString(),
    endedAt: startedAt.toISOString(),
    scenario: redactDeep({ ...scenario, ...(scenario.target ? { target: redactUrl(scenario.target) } : {}), file: loaded.file }, secrets),
    environment: {
      node: process.version,
      os: `${platform()} ${release()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      target: redactDeep(redactUrl(target.url), secrets),
      embeddedServer: !targetUrl,
    },
    cells: [],
    codecs,
    ok: false,
  };

  let file = '';
  let chaos: ChaosSetup | undefined;
  const samplers: RunSampler[] = opts.hooks?.samplers?.({ url: target.url, embedded: !targetUrl }) ?? [];
  try {
    const clock = preflight ?? (await preflightOf(target.url));
    const log = opts.appendTimeseries ? await TimeseriesLog.open(outDir, { runId, startedAt: results.startedAt, scenario: results.scenario }) : undefined;
    const applied = !isLoopbackUrl(target.url);
    if (shard) results.shard = shardInfo(shard, scenario, clock, sourceIps, opts.startAtMs);
    chaos = chaosEntries.length ? await setupChaos(chaosEntries, target.url, target.embedded, (message) => emit({ type: 'log', message })) : undefined;
    const clientUrl = chaos?.clientUrl ?? target.url;
    let group: CellResult[] = [];
    /** Adds the finished cell; a checkpoint (more cells follow) is written so a killed run keeps its finished cells. */
    const flush = async (checkpoint: boolean): Promise<void> => {
      if (group.length === 0) return;
      const cell = aggregateRepeats(group);
      group = [];
      judgeCell(cell, specs, opts.signal?.aborted === true);
      addCell(results, cell);
      results.endedAt = new Date().toISOString();
      if (opts.signal?.aborted) results.interrupted = true;
      if (checkpoint && !opts.signal?.aborted) file = await writeResults(outDir, redactResults(results, secrets));
    };
    for (const plan of plans) {
      if (opts.signal?.aborted) break;
      emit({ type: 'cell-start', index: plan.index, total: plans.length, plan });
      const scheduled = schedule?.[plan.index];
      const startAtMs = scheduled === undefined ? undefined : announceStart(scheduled, leadMs(plan, stages), plan.index === 0, tolerance, shard, emit);
      const indexOffset = shard ? offsetOf(fullPlans[plan.index]?.params.clients ?? 0, shard) : 0;
      const run = await runCell(plan, {
        url: clientUrl,
        workers,
        localAddresses: sourceIps,
        wsOptions: opts.wsOptions,
        stages,
        log,
        scenario,
        clock: { ...clock, applied },
        chaos,
        signal: opts.signal,
        emit,
        total: plans.length,
        indexOffset,
        ...(startAtMs !== undefined ? { startAtMs } : {}),
        ...(shard ? { sessionTag: `s${shard.index}x` } : {}),
        serverPid: target.embedded?.pid,
        samplers,
      });
      group.push(run);
      if (plans[plan.index + 1]?.id === plan.id && !opts.signal?.aborted) continue;
      await flush(plan !== plans.at(-1));
    }
    await flush(false);
    if (!adapter.reference && results.codecs) results.codecs = withTargetBytes(results.codecs, results.cells);
  } finally {
    await stopSamplers(samplers);
    await chaos?.close();
    await target.stop();
  }
  if (opts.signal?.aborted) results.interrupted = true;
  results.endedAt = new Date().toISOString();
  const safe = redactResults((await opts.hooks?.finish?.(results)) ?? results, secrets);
  file = await writeResults(outDir, safe);
  emit({ type: 'written', file });
  return { results: safe, file, outDir };
}
