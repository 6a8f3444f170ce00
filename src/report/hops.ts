// Per-hop latency rows of a run through a gateway topology (queue wait, generator → gateway,
// gateway → client, end to end), shared by the markdown summary and the HTML report.
import type { CellResult, LatencySummary } from '../results/types.js';

export interface HopRow {
  cell: string;
  hop: string;
  summary: LatencySummary;
}

const HOPS: ReadonlyArray<[keyof CellResult['latencyMs'], string]> = [
  ['queueWait', 'queue wait (enqueue → generator)'],
  ['firstFrame', 'time to first frame (request → client)'],
  ['generatorToGateway', 'generator publish → gateway'],
  ['gatewayToClient', 'gateway → client'],
  ['frame', 'end to end (generation → client)'],
];

/** Rows for cells that carry hop figures; none for runs not through a topology. */
export function hopRows(cells: readonly CellResult[]): HopRow[] {
  const rows: HopRow[] = [];
  for (const c of cells) {
    if (!c.latencyMs.generatorToGateway && !c.latencyMs.queueWait) continue;
    for (const [key, hop] of HOPS) {
      const summary = c.latencyMs[key];
      if (summary && summary.count > 0) rows.push({ cell: c.id, hop, summary });
    }
  }
  return rows;
}
