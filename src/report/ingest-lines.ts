// One line per upload cell for the terminal and markdown summaries: the accounting and the figures
// that matter for ingest (answer lag, drops, 429s, buffer, bandwidth against the budget).
import type { CellResult } from '../results/types.js';

export function ingestLine(c: CellResult): string | undefined {
  const g = c.ingest;
  if (!g) return undefined;
  const a = g.accounting;
  const s = g.server;
  const parts = [
    `sent ${a.sent} = answered for ${a.covered} + dropped ${a.dropped} + lost ${a.lost}${a.balanced ? '' : ' (does not balance!)'}${a.unsent ? ` · unsent ${a.unsent}` : ''}`,
    `answer lag p50 ${g.latencyMs.answerLag.p50} ms p99 ${g.latencyMs.answerLag.p99} ms`,
    `send lateness p99 ${g.latencyMs.sendLateness.p99} ms`,
    s ? `buffer max ${s.bufferDepthMax} · 429s ${s.api429} · retries ${s.retries}` : undefined,
    `${Math.round(g.bandwidth.bytesPerSecPerClient / 1000)} kB/s per camera (${Math.round(g.bandwidth.budgetRatio * 100)} % of budget)`,
    ...(c.failures ?? []).map((f) => `FAILED: ${f.reason}`),
  ];
  return `${c.id}: ${parts.filter(Boolean).join(' · ')}`;
}
