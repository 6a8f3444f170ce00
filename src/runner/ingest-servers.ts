// The processes an upload cell runs against: the mock model API and the reference ingestion server
// (each in a child process of its own, with the cell's dispatch interval, batch size and API rate
// limit), or the team's own server (--target) and model API (ingest.modelUrl).
import { launchIngestProcess, type IngestProcess } from '../ingest/launcher.js';
import type { IngestCellResult } from '../results/ingest.js';
import { parseDuration } from '../text/duration.js';
import type { IngestConfig, Scenario } from '../scenario/schema.js';
import type { CellPlan } from '../scenario/sweep.js';

export const ms = (d: string | number | undefined, fallback: number): number => (d === undefined ? fallback : (parseDuration(d) ?? fallback));

export interface CellServers {
  url: string;
  ingest?: IngestProcess;
  modelApi?: IngestProcess;
  statsUrl?: string;
  stop(): Promise<void>;
}

export function settingsOf(plan: CellPlan, cfg: IngestConfig): IngestCellResult['settings'] {
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

export async function startServers(plan: CellPlan, cfg: IngestConfig, scenario: Scenario, target: string | undefined, log: (m: string) => void): Promise<CellServers> {
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
