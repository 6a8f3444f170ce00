// `bench serve --ingest` (the reference ingestion server) and `bench serve --model-api` (the mock
// model API): flags, their checks, and running until SIGINT/SIGTERM.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { INGEST_DEFAULTS, startIngestServer } from '../ingest/ingest-server.js';
import { MODEL_API_DEFAULTS, startModelApi, type ModelApi } from '../ingest/model-api.js';
import { untilStopped } from './common.js';
import { intFlag, numberFlag } from './flags.js';

export interface IngestServeFlags {
  port: string;
  host: string;
  ingest?: boolean;
  modelApi?: boolean;
  modelUrl?: string;
  model?: string;
  interval: string;
  batchSize: string;
  bufferFrames: string;
  contextChars: string;
  maxFps: string;
  maxFrameBytes: string;
  maxInflight: string;
  retries: string;
  rpm: string;
  tpm: string;
  latency: string;
  perImage: string;
}

export function addIngestServeFlags(cmd: Command): Command {
  const d = INGEST_DEFAULTS;
  const m = MODEL_API_DEFAULTS;
  return cmd
    .option('--ingest', 'run the reference ingestion server (cameras upload frames; batches go to a model API) instead of the frame server')
    .option('--model-api', 'run the mock model API (OpenAI-style POST /v1/chat/completions with rate limits and 429s)')
    .option('--model-url <url>', '--ingest: chat-completions URL of the model API (default: start the mock in this process); key from FRAMEBENCH_MODEL_KEY')
    .option('--model <name>', '--ingest: model name sent in each request', d.model)
    .option('--interval <ms>', '--ingest: dispatcher interval per connection', String(d.intervalMs))
    .option('--batch-size <n>', '--ingest: most frames per model request', String(d.batchSize))
    .option('--buffer-frames <n>', '--ingest: frames buffered per connection; the oldest is dropped (and counted) beyond it', String(d.bufferFrames))
    .option('--context-chars <n>', '--ingest: characters of previous answers sent with each request (0 = none)', String(d.contextChars))
    .option('--max-fps <n>', '--ingest: frames/s one connection may send; more are answered rate_limited', String(d.maxFps))
    .option('--max-frame-bytes <n>', '--ingest: largest image per frame; bigger ones are answered frame_too_large', String(d.maxFrameBytes))
    .option('--max-inflight <n>', '--ingest: model calls in flight over all connections', String(d.maxInflight))
    .option('--retries <n>', '--ingest: retries of a model call after 429 / 5xx (Retry-After honoured, else backoff)', '4')
    .option('--rpm <n>', '--model-api: requests per minute before 429 (0 = no limit)', String(m.rpm))
    .option('--tpm <n>', '--model-api: tokens per minute before 429 (0 = no budget)', String(m.tpm))
    .option('--latency <ms>', '--model-api: median latency of a call with no image', String(m.baseMs))
    .option('--per-image <ms>', '--model-api: extra latency per image', String(m.perImageMs));
}

export async function runIngestServe(f: IngestServeFlags, io: { out?: (l: string) => void; signal?: AbortSignal } = {}): Promise<void> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (f.ingest && f.modelApi) throw new UsageError('--ingest and --model-api start different servers: run two `bench serve` processes (the ingestion server starts a mock itself when --model-url is not given)');
  const port = intFlag('--port', f.port, 0, 65535);
  const log = (line: string): void => void process.stderr.write(`bench serve: ${line}\n`);
  const apiOptions = {
    host: f.host,
    rpm: intFlag('--rpm', f.rpm, 0, 1e9),
    tpm: intFlag('--tpm', f.tpm, 0, 1e12),
    baseMs: numberFlag('--latency', f.latency, 0, 600_000),
    perImageMs: numberFlag('--per-image', f.perImage, 0, 600_000),
    onLog: log,
  };
  if (f.modelApi) {
    const api = await startModelApi({ ...apiOptions, port });
    out(`bench serve: mock model API at ${api.url} (rate limit ${apiOptions.rpm || 'none'} req/min, token budget ${apiOptions.tpm || 'none'}/min)`);
    out(`bench serve: chaos at POST ${api.url.replace('/v1/chat/completions', '/admin/chaos')} {"mode":"throttle"|"slow"|"fail","durationMs":N} · stats at GET /admin/stats · Ctrl-C to stop`);
    await untilStopped(io.signal);
    await api.close();
    return;
  }
  if (f.modelUrl !== undefined && !/^https?:\/\/\S+$/.test(f.modelUrl)) throw new UsageError(`--model-url ${f.modelUrl}: expected an http:// or https:// URL of a chat-completions endpoint`);
  let mock: ModelApi | undefined;
  if (!f.modelUrl) mock = await startModelApi({ ...apiOptions, host: '127.0.0.1', port: 0 });
  const server = await startIngestServer({
    host: f.host,
    port,
    modelUrl: f.modelUrl ?? mock!.url,
    model: f.model,
    apiKey: f.modelUrl ? process.env.FRAMEBENCH_MODEL_KEY : undefined,
    intervalMs: intFlag('--interval', f.interval, 10, 3_600_000),
    batchSize: intFlag('--batch-size', f.batchSize, 1, 1000),
    bufferFrames: intFlag('--buffer-frames', f.bufferFrames, 1, 1_000_000),
    contextChars: intFlag('--context-chars', f.contextChars, 0, 10_000_000),
    maxFps: numberFlag('--max-fps', f.maxFps, 0.01, 100_000),
    maxFrameBytes: intFlag('--max-frame-bytes', f.maxFrameBytes, 64, 2 ** 30),
    maxInflight: intFlag('--max-inflight', f.maxInflight, 1, 100_000),
    retry: { maxRetries: intFlag('--retries', f.retries, 0, 100), baseMs: 250, capMs: 10_000 },
    onLog: log,
  });
  const http = server.url.replace(/^ws/, 'http');
  out(`bench serve: ingestion server listening on ${server.url} (cameras upload frames here)`);
  out(`bench serve: model API ${mock ? `${mock.url} (embedded mock)` : (f.modelUrl ?? '')} · stats at ${http}stats · Ctrl-C to stop`);
  await untilStopped(io.signal);
  out('bench serve: shutting down');
  await server.close({ graceful: true });
  await mock?.close();
  const s = server.stats();
  out(`bench serve: stopped · received ${s.framesReceived} · answered for ${s.framesCovered} · dropped ${s.framesDropped} · 429s ${s.api429} · retries ${s.retries}`);
}
