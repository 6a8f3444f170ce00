// The transport comparison: one row per cell when a run varies `transport` (or `connection`):
// bytes on the wire per frame (and against binary WebSocket with the other fields equal), frame
// latency, lateness, time to first frame, connections per request and their connect time, HTTP
// requests per frame and CPU per frame.
import type { CellResult, Results } from '../results/types.js';

export interface TransportRow {
  cell: string;
  transport: string;
  connection?: string;
  bytesPerFrame: number;
  /** bytesPerFrame over the binary cell with the same other fields. */
  vsBinary?: number;
  p50: number;
  p99: number;
  latenessP99: number;
  firstFrameP50: number;
  firstFrameP99: number;
  /** Connections opened per measured request (1 or more with `connection: per-request`). */
  connectsPerRequest: number;
  connectP99: number;
  requestsPerFrame?: number;
  clientCpuMsPerFrame?: number;
  serverCpuMsPerFrame?: number;
}

const VARIED = ['transport', 'connection'] as const;

function others(c: CellResult): string {
  const { transport: _t, ...rest } = c.params;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
}

/** Rows of the comparison, or [] when the run does not vary transport or connection. */
export function transportRows(results: Results): TransportRow[] {
  const cells = results.cells;
  const varied = VARIED.some((k) => new Set(cells.map((c) => String(c.params[k] ?? ''))).size > 1);
  if (!varied) return [];
  const binary = new Map<string, number>();
  for (const c of cells) if ((c.params.transport ?? 'binary') === 'binary') binary.set(others(c), c.throughput.bytesPerFrame);
  return cells.map((c) => {
    const base = binary.get(others(c));
    const row: TransportRow = {
      cell: c.id,
      transport: String(c.params.transport ?? 'binary'),
      bytesPerFrame: c.throughput.bytesPerFrame,
      p50: c.latencyMs.frame.p50,
      p99: c.latencyMs.frame.p99,
      latenessP99: c.latencyMs.lateness.p99,
      firstFrameP50: c.latencyMs.firstFrame.p50,
      firstFrameP99: c.latencyMs.firstFrame.p99,
      connectsPerRequest: c.counts.requests > 0 ? Math.round((c.counts.connects / c.counts.requests) * 100) / 100 : 0,
      connectP99: c.latencyMs.connect.p99,
    };
    if (c.params.connection !== undefined) row.connection = String(c.params.connection);
    if (base && base > 0) row.vsBinary = Math.round((c.throughput.bytesPerFrame / base) * 1000) / 1000;
    if (c.requestsPerFrame !== undefined) row.requestsPerFrame = c.requestsPerFrame;
    if (c.cpu) {
      row.clientCpuMsPerFrame = c.cpu.clientMsPerFrame;
      if (c.cpu.serverMsPerFrame !== undefined) row.serverCpuMsPerFrame = c.cpu.serverMsPerFrame;
    }
    return row;
  });
}
