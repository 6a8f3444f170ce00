// How many samples stand behind a threshold's metric in one cell: a threshold over a metric with
// no samples is "not measured" and must not pass (fail closed).
//
//   frame.* / lateness.* / throughput.*   frames received in the measurement window
//   connect.*                             connects;  reconnect.*: reconnects
//   gap.*                                 inter-arrival gaps (adapters);  timeToDone.*: requests that completed
//   streams.*                             measured requests that ended
//   firstFrame.*                          measured requests that received a frame
//   playback.startupMs.*, stall*, stalls  requests whose playback started (buffer filled)
//   playback.displayLatency.*             frames shown by the playback model
//   counts.frames*, bytesReceived, lossRatio   frames expected by measured requests that ended
//   counts.requests*, resumes             measured requests started
//   counts.connects, errors, messages*, … connection attempts
//   chaos.*                               faults with frames/s before them (a zero baseline has nothing to recover to)
//   ingest.<distribution>.*               its own count (answers, frames sent, acks)
//   ingest.api429, retries                model calls the server made; bufferDepthMax: frames it received
//   ingest.lagDriftPct                    windows in the drift analysis; lagRecoverSec: faults judged
//   ingest.<other>                        frames sent in the measured window
//   browser.*                             see browser-metrics.ts
import type { IngestCellResult } from '../results/ingest.js';
import type { CellResult } from '../results/types.js';
import { browserBasis } from './browser-metrics.js';

export interface SampleBasis {
  n: number;
  /** What was counted, plural, e.g. "frames": the reason reads "0 frames". */
  what: string;
}

const FRAME_COUNTS = new Set(['framesExpected', 'framesReceived', 'framesLost', 'framesDuplicated', 'bytesReceived', 'lossRatio']);
const REQUEST_COUNTS = new Set(['requests', 'requestsCompleted', 'resumes']);

/** Frames received during the measurement window (frame latency may be absent for targets without timestamps). */
export function framesMeasured(cell: CellResult): number {
  const l = cell.latencyMs;
  return Math.max(l.frame?.count ?? 0, l.lateness?.count ?? 0);
}

function countsBasis(cell: CellResult, key: string): SampleBasis {
  const c = cell.counts;
  if (FRAME_COUNTS.has(key)) return { n: c.framesExpected ?? 0, what: 'frames expected' };
  if (REQUEST_COUNTS.has(key)) return { n: c.requests ?? 0, what: 'requests' };
  return { n: (c.connects ?? 0) + (c.connectFailures ?? 0), what: 'connection attempts' };
}

function chaosBasis(cell: CellResult): SampleBasis {
  const chaos = cell.chaos;
  if (!chaos || chaos.faults.length === 0) return { n: 0, what: 'faults injected' };
  return { n: chaos.faults.length - (chaos.notMeasured ?? 0), what: 'faults with frames/s before them' };
}

function ingestBasis(g: IngestCellResult | undefined, a: string, b: string | undefined): SampleBasis {
  if (!g) return { n: 0, what: 'upload frames (not an upload cell)' };
  if (b !== undefined) {
    const s = a === 'batchSize' || a === 'contextChars' ? g[a] : (g.latencyMs as Record<string, { count: number } | undefined>)[a];
    return { n: s?.count ?? 0, what: a === 'answerLag' ? 'frames answered for' : a === 'ack' ? 'acks' : a === 'sendLateness' ? 'frames sent' : 'answers' };
  }
  if (a === 'api429' || a === 'retries') return { n: g.server?.modelCalls ?? 0, what: 'model calls seen in the server stats' };
  if (a === 'bufferDepthMax') return { n: g.server?.framesReceived ?? 0, what: 'frames in the server stats' };
  if (a === 'lagDriftPct') return { n: g.lagDrift && g.lagDrift.verdict !== 'insufficient-data' ? g.lagDrift.points : 0, what: 'windows with answers for the drift analysis' };
  if (a === 'lagRecoverSec') return { n: g.recovery?.length ?? 0, what: 'faults injected' };
  return { n: g.accounting.sent, what: 'frames sent' };
}

/** The samples behind `metric` (a canonical path already validated by the threshold parser). */
export function sampleBasis(cell: CellResult, metric: string): SampleBasis {
  const [group = '', a = '', b] = metric.split('.');
  const l = cell.latencyMs;
  switch (group) {
    case 'frame':
    case 'lateness':
    case 'throughput':
      return { n: group === 'throughput' ? framesMeasured(cell) : group === 'frame' ? (l.frame?.count ?? 0) : (l.lateness?.count ?? 0), what: 'frames' };
    case 'connect':
      return { n: l.connect?.count ?? 0, what: 'connects' };
    case 'firstFrame':
      return { n: l.firstFrame?.count ?? 0, what: 'requests that received a frame' };
    case 'reconnect':
      return { n: l.reconnect?.count ?? 0, what: 'reconnects' };
    case 'gap':
      return { n: l.gap?.count ?? 0, what: 'inter-arrival gaps' };
    case 'timeToDone':
      return { n: l.timeToDone?.count ?? 0, what: 'completed requests' };
    case 'streams':
      return a === 'deliveredFps' ? { n: cell.streams?.deliveredFps.count ?? 0, what: 'streams with two frames or more' } : { n: cell.streams?.count ?? 0, what: 'streams' };
    case 'counts':
      return countsBasis(cell, a);
    case 'chaos':
      return chaosBasis(cell);
    case 'ingest':
      return ingestBasis(cell.ingest, a, b);
    case 'browser':
      return browserBasis(cell, a, b);
    case 'playback': {
      const p = cell.playback;
      if (a === 'displayLatency' && b !== undefined) return { n: p?.displayLatency?.count ?? 0, what: 'frames displayed' };
      return { n: p?.startupMs?.count ?? 0, what: 'playback startups' };
    }
    default:
      return { n: 0, what: 'samples' };
  }
}
