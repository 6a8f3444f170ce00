// Reads an ingestion server's GET /stats during a cell. A server that restarted counts from zero
// again: the tracker notices (uptime or counters going backwards) and keeps the totals of the
// earlier lives, so the cell's figures cover the whole cell.
import type { IngestStats } from './ingest-stats.js';
import type { IngestServerView } from '../results/ingest.js';

const SUMMED = ['framesReceived', 'framesCovered', 'framesDropped', 'framesAbandoned', 'rateLimited', 'tooLarge', 'batches', 'modelCalls', 'modelFailures', 'api429', 'retries', 'backoffMs', 'deferred'] as const;
type Summed = (typeof SUMMED)[number];

export async function fetchJson<T>(url: string, timeoutMs = 2000): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export class ServerStatsTracker {
  private earlier: Record<Summed, number> = Object.fromEntries(SUMMED.map((k) => [k, 0])) as Record<Summed, number>;
  private earlierDrops: Record<string, number> = {};
  private last: IngestStats | undefined;
  private prevTotals: Record<Summed, number> | undefined;
  restarts = 0;
  failures = 0;
  bufferDepthMax = 0;
  contextCharsMax = 0;

  constructor(readonly url: string) {}

  /** Takes one reading; undefined when the server did not answer (down, restarting). */
  async poll(): Promise<IngestStats | undefined> {
    try {
      this.observe(await fetchJson<IngestStats>(this.url));
      return this.last;
    } catch {
      this.failures++;
      return undefined;
    }
  }

  observe(s: IngestStats): void {
    const prev = this.last;
    if (prev && (s.uptimeSec < prev.uptimeSec || s.framesReceived < prev.framesReceived)) {
      this.restarts++;
      for (const k of SUMMED) this.earlier[k] += prev[k];
      for (const [r, n] of Object.entries(prev.droppedByReason)) this.earlierDrops[r] = (this.earlierDrops[r] ?? 0) + (n ?? 0);
    }
    this.last = s;
    this.bufferDepthMax = Math.max(this.bufferDepthMax, s.bufferDepthMax);
    this.contextCharsMax = Math.max(this.contextCharsMax, s.contextCharsMax);
  }

  totals(): Record<Summed, number> {
    const out = { ...this.earlier };
    if (this.last) for (const k of SUMMED) out[k] += this.last[k];
    return out;
  }

  /** Increase of the summed counters since the previous call (for per-second windows). */
  delta(): Record<Summed, number> {
    const now = this.totals();
    const prev = this.prevTotals ?? now;
    this.prevTotals = now;
    return Object.fromEntries(SUMMED.map((k) => [k, Math.max(0, now[k] - prev[k])])) as Record<Summed, number>;
  }

  view(source: string): IngestServerView | undefined {
    const s = this.last;
    if (!s) return undefined;
    const t = this.totals();
    const drops: Record<string, number> = { ...this.earlierDrops };
    for (const [r, n] of Object.entries(s.droppedByReason)) drops[r] = (drops[r] ?? 0) + (n ?? 0);
    return {
      source,
      ...t,
      droppedByReason: drops,
      bufferDepthMax: this.bufferDepthMax,
      contextCharsMax: this.contextCharsMax,
      modelLatencyMs: s.modelLatencyMs,
      intervalMs: s.intervalMs,
      restarts: this.restarts,
    };
  }
}
