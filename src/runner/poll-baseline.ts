// The polling baseline: raw request throughput of the polling endpoint, driven by autocannon, at
// the frame sizes the scenarios stream. Per format × resolution one continuous polling stream is
// created; autocannon then hammers `GET /frames/{id}/next` twice: asking for an old frame (every
// answer a 200 with a frame body) and asking past the newest (every answer an empty 204), so the
// figures show what serving frames by polling costs, apart from the transport comparison's pacing.
// Each format × resolution starts with one unrecorded second of the same load (warm-up).
import autocannon from 'autocannon';
import { TargetError } from '../errors.js';
import { parseResolution } from '../frames/resolution.js';
import { processTreeCpuMs } from '../metrics/process-cpu.js';
import type { FrameFormat } from '../protocol/header.js';
import { spawnEmbeddedServer, type EmbeddedServer } from '../server/launcher.js';
import { httpOrigin } from '../client/transports/wire-meter.js';

export interface PollBaselineOptions {
  /** ws:// target whose HTTP side is polled; default: start the embedded reference server. */
  target?: string;
  formats: FrameFormat[];
  resolutions: string[];
  quality: number;
  connections: number;
  durationSec: number;
  pipelining: number;
  cacheDir?: string;
  corpusFrames: number;
  onLog?: (line: string) => void;
  signal?: AbortSignal;
}

export interface PollBaselineRow {
  format: FrameFormat;
  resolution: string;
  quality: number;
  /** `frame`: every poll answered with a frame; `empty`: every poll answered 204. */
  kind: 'frame' | 'empty';
  requestsPerSec: number;
  requests: number;
  /** Response bytes per request (headers + body) as autocannon read them. */
  bytesPerRequest: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU ms of the embedded server per request (absent for an external target). */
  serverCpuMsPerRequest?: number;
}

export interface PollBaselineResult {
  target: string;
  embeddedServer: boolean;
  connections: number;
  pipelining: number;
  durationSec: number;
  rows: PollBaselineRow[];
}

const AFTER_NEWEST = 2 ** 32 - 2;

async function createStream(origin: string, format: FrameFormat, resolution: string, quality: number, token: string | undefined): Promise<string> {
  const q = new URLSearchParams({ format, resolution, quality: String(quality), fps: '30', frames: '0' });
  if (token) q.set('token', token);
  let res: Response;
  try {
    res = await fetch(`${origin}/frames?${q}`, { method: 'POST' });
  } catch (err) {
    throw new TargetError(`cannot reach the polling endpoint at ${origin}/frames: ${err instanceof Error ? err.message : String(err)}`);
  }
  const body = await res.text();
  if (res.status !== 201) throw new TargetError(`POST ${origin}/frames answered ${res.status}: ${body.slice(0, 200)} (does the target serve the framebench polling endpoint?)`);
  return (JSON.parse(body) as { id: string }).id;
}

function drive(url: string, o: PollBaselineOptions): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections: o.connections, duration: o.durationSec, pipelining: o.pipelining }, (err, result) => {
      o.signal?.removeEventListener('abort', stop);
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(result);
    });
    const stop = (): void => instance.stop();
    o.signal?.addEventListener('abort', stop, { once: true });
  });
}

function row(format: FrameFormat, resolution: string, quality: number, kind: 'frame' | 'empty', r: autocannon.Result, cpuMs: number | undefined): PollBaselineRow {
  const requests = r.requests.total;
  const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
  const out: PollBaselineRow = {
    format,
    resolution,
    quality,
    kind,
    requestsPerSec: round(r.duration > 0 ? requests / r.duration : 0, 1),
    requests,
    bytesPerRequest: requests > 0 ? Math.round(r.throughput.total / requests) : 0,
    latencyMs: { mean: round(r.latency.average), p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
  if (cpuMs !== undefined && requests > 0) out.serverCpuMsPerRequest = round(cpuMs / requests, 4);
  return out;
}

export async function runPollBaseline(o: PollBaselineOptions): Promise<PollBaselineResult> {
  let embedded: EmbeddedServer | undefined;
  const dims = o.resolutions.map((r) => {
    const d = parseResolution(r);
    if (!d) throw new TargetError(`unknown resolution ${r}`);
    return d;
  });
  if (!o.target) {
    embedded = await spawnEmbeddedServer({
      host: '127.0.0.1',
      port: 0,
      cacheDir: o.cacheDir,
      corpusFrames: o.corpusFrames,
      prewarm: o.formats.flatMap((format) => dims.map((d) => ({ format, width: d.width, height: d.height, quality: o.quality }))),
      onLog: o.onLog,
    });
  }
  const target = o.target ?? embedded!.url;
  const origin = httpOrigin(target);
  const token = new URL(target).searchParams.get('token') ?? undefined;
  const tokenQ = token ? `&token=${encodeURIComponent(token)}` : '';
  const rows: PollBaselineRow[] = [];
  try {
    for (const format of o.formats) {
      for (const resolution of o.resolutions) {
        const id = await createStream(origin, format, resolution, o.quality, token);
        // An unrecorded second first, so neither side's start-up (JIT, connection setup) lands in the figures.
        await drive(`${origin}/frames/${id}/next?after=-1${tokenQ}`, { ...o, durationSec: 1 });
        for (const kind of ['frame', 'empty'] as const) {
          if (o.signal?.aborted) break;
          o.onLog?.(`${format} ${resolution}: ${kind === 'frame' ? 'polls answered with a frame' : 'empty polls (204)'}, ${o.connections} connections, ${o.durationSec}s`);
          const url = `${origin}/frames/${id}/next?after=${kind === 'frame' ? -1 : AFTER_NEWEST}${tokenQ}`;
          const cpu0 = embedded ? processTreeCpuMs(embedded.pid) : undefined;
          const result = await drive(url, o);
          const cpu1 = embedded ? processTreeCpuMs(embedded.pid) : undefined;
          rows.push(row(format, resolution, o.quality, kind, result, cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined));
        }
        await fetch(`${origin}/frames/${id}${token ? `?token=${encodeURIComponent(token)}` : ''}`, { method: 'DELETE' }).then(
          (r) => r.arrayBuffer(),
          () => undefined,
        );
      }
    }
  } finally {
    await embedded?.stop('SIGTERM');
  }
  return { target, embeddedServer: embedded !== undefined, connections: o.connections, pipelining: o.pipelining, durationSec: o.durationSec, rows };
}

/** The rows as an aligned text table. */
export function formatPollBaseline(r: PollBaselineResult): string {
  const head = ['format', 'resolution', 'answers', 'req/s', 'bytes/req', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'server CPU ms/req'];
  const body = r.rows.map((x) => [
    x.format,
    x.resolution,
    x.kind === 'frame' ? 'frame 200' : 'empty 204',
    String(x.requestsPerSec),
    String(x.bytesPerRequest),
    String(x.latencyMs.p50),
    String(x.latencyMs.p99),
    String(x.latencyMs.max),
    String(x.non2xx),
    String(x.errors),
    x.serverCpuMsPerRequest === undefined ? '—' : String(x.serverCpuMsPerRequest),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return `${[line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n')}\n`;
}
