// Prometheus metrics of the reference server (GET /metrics, text format 0.0.4). The framebench_server_*
// metrics live in a registry per server instance and are read from the existing stats counters when
// scraped (collect callbacks), so nothing is counted twice on the frame path. prom-client's default
// process metrics describe the process, not an instance: they are collected once per process in a
// registry of their own (not prom-client's global one) and appended to every instance's output.
// In a cluster worker the framebench_server_* values are the cluster totals (asked from the primary)
// while the process metrics describe the answering worker, labelled with its pid.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ServerStats } from './options.js';

type StatKey = keyof ServerStats;

const GAUGES: ReadonlyArray<[string, string, StatKey]> = [
  ['framebench_server_connections', 'Open WebSocket connections.', 'connections'],
  ['framebench_server_active_requests', 'Requests streaming right now.', 'activeRequests'],
  ['framebench_server_detached_streams', 'Streams kept resumable after their connection was lost.', 'detachedStreams'],
  ['framebench_server_corpus_entries', 'Frame corpus entries held in memory.', 'corpusEntries'],
  ['framebench_server_corpus_bytes', 'Bytes of encoded frames held in memory.', 'corpusBytes'],
];

const COUNTERS: ReadonlyArray<[string, string, StatKey]> = [
  ['framebench_server_connections_total', 'WebSocket connections accepted.', 'connectionsTotal'],
  ['framebench_server_requests_total', 'Generate requests accepted.', 'requests'],
  ['framebench_server_frames_sent_total', 'Frames written to clients (including replays after a resume).', 'framesSent'],
  ['framebench_server_frames_dropped_total', 'Frames dropped because a send buffer was over its cap (backpressure).', 'framesDropped'],
  ['framebench_server_bytes_sent_total', 'WebSocket payload bytes of the frames sent.', 'bytesSent'],
  ['framebench_server_errors_total', 'Error messages sent to clients plus socket errors.', 'errors'],
  ['framebench_server_resumes_total', 'Streams resumed on a new connection.', 'resumes'],
  ['framebench_server_frames_detached_total', 'Frames generated while their stream was detached.', 'framesDetached'],
  ['framebench_server_admin_drops_total', 'Connections destroyed through POST /admin/drop.', 'adminDrops'],
  ['framebench_server_requests_rejected_total', 'Requests refused by a limit (resolution, quality, pixel budget, busy encoder, full cache).', 'requestsRejected'],
  ['framebench_server_encodes_total', 'Frame corpus entries encoded.', 'encodes'],
  ['framebench_server_encodes_cancelled_total', 'Corpus encodes cancelled because no request waited for them.', 'encodesCancelled'],
  ['framebench_server_corpus_evictions_total', 'Corpus entries evicted from memory (least recently used).', 'corpusEvictions'],
  ['framebench_server_replies_dropped_total', 'Control replies not sent because the send buffer was over its cap.', 'repliesDropped'],
  ['framebench_server_slow_client_closes_total', 'Connections closed with 1008: send buffer over the cap for too long.', 'slowClientCloses'],
  ['framebench_server_rate_limit_closes_total', 'Connections closed with 1008: message rate limit exceeded.', 'rateLimitCloses'],
  ['framebench_server_idle_closes_total', 'Connections closed with 1008: no request within the idle limit.', 'idleCloses'],
];

let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class ServerMetrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  /** Taken once per scrape; every collect callback reads it (kept while any scrape is rendering). */
  private current: ServerStats | undefined;
  private rendering = 0;

  constructor(
    private readonly stats: () => ServerStats | Promise<ServerStats>,
    processLabels?: Record<string, string>,
  ) {
    const registers = [this.registry];
    const read = async (key: StatKey): Promise<number> => (this.current ?? (await this.stats()))[key];
    for (const [name, help, key] of GAUGES) {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.set(await read(key));
        },
      });
    }
    for (const [name, help, key] of COUNTERS) {
      new Counter({
        name,
        help,
        registers,
        async collect() {
          const value = await read(key);
          this.reset();
          this.inc(value);
        },
      });
    }
    if (processLabels) processMetrics().setDefaultLabels(processLabels);
    else processMetrics();
  }

  /** The exposition text of this server's metrics followed by the process metrics. */
  async render(): Promise<string> {
    this.current = await this.stats();
    this.rendering++;
    try {
      const [own, proc] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
      return `${own}\n${proc}`;
    } finally {
      if (--this.rendering === 0) this.current = undefined;
    }
  }
}
