// Mutable server counters, bumped on the hot path and snapshotted as ServerStats.
import type { ServerStats } from './options.js';

export class StatsCounters implements ServerStats {
  connections = 0;
  connectionsTotal = 0;
  requests = 0;
  activeRequests = 0;
  framesSent = 0;
  framesDropped = 0;
  bytesSent = 0;
  errors = 0;
  detachedStreams = 0;
  resumes = 0;
  framesDetached = 0;
  adminDrops = 0;
  requestsRejected = 0;
  encodes = 0;
  encodesCancelled = 0;
  corpusEntries = 0;
  corpusBytes = 0;
  corpusEvictions = 0;
  repliesDropped = 0;
  slowClientCloses = 0;
  rateLimitCloses = 0;
  idleCloses = 0;

  snapshot(): ServerStats {
    return {
      connections: this.connections,
      connectionsTotal: this.connectionsTotal,
      requests: this.requests,
      activeRequests: this.activeRequests,
      framesSent: this.framesSent,
      framesDropped: this.framesDropped,
      bytesSent: this.bytesSent,
      errors: this.errors,
      detachedStreams: this.detachedStreams,
      resumes: this.resumes,
      framesDetached: this.framesDetached,
      adminDrops: this.adminDrops,
      requestsRejected: this.requestsRejected,
      encodes: this.encodes,
      encodesCancelled: this.encodesCancelled,
      corpusEntries: this.corpusEntries,
      corpusBytes: this.corpusBytes,
      corpusEvictions: this.corpusEvictions,
      repliesDropped: this.repliesDropped,
      slowClientCloses: this.slowClientCloses,
      rateLimitCloses: this.rateLimitCloses,
      idleCloses: this.idleCloses,
    };
  }
}

/** Point-in-time values; every other ServerStats field is a counter that only grows. */
const GAUGES: ReadonlySet<keyof ServerStats> = new Set(['connections', 'activeRequests', 'detachedStreams', 'corpusEntries', 'corpusBytes']);

export function emptyStats(): ServerStats {
  return new StatsCounters().snapshot();
}

/** Adds `s` into `into`: every field, or only the counters (what a retired process leaves behind). */
export function addStats(into: ServerStats, s: ServerStats, countersOnly = false): ServerStats {
  for (const key of Object.keys(into) as Array<keyof ServerStats>) {
    if (!countersOnly || !GAUGES.has(key)) into[key] += s[key] ?? 0;
  }
  return into;
}

/** One-line summary for logs: totals plus rates since the previous snapshot. */
export function formatStatsLine(now: ServerStats, prev: ServerStats | undefined, seconds: number): string {
  const dt = seconds > 0 ? seconds : 1;
  const fps = prev ? (now.framesSent - prev.framesSent) / dt : 0;
  const mbps = prev ? (now.bytesSent - prev.bytesSent) / dt / 1e6 : 0;
  return (
    `connections ${now.connections} (total ${now.connectionsTotal}) · requests ${now.activeRequests} active / ${now.requests} total · ` +
    `frames ${now.framesSent} sent, ${now.framesDropped} dropped · ${fps.toFixed(0)} frames/s · ${mbps.toFixed(1)} MB/s · errors ${now.errors}` +
    (now.detachedStreams > 0 || now.resumes > 0 ? ` · ${now.detachedStreams} detached, ${now.resumes} resumed` : '')
  );
}
