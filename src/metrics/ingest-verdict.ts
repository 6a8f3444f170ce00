// Fail closed for upload cells: a cell whose cameras connected nothing, sent nothing or got no
// answer back has failed with a reason a user can act on, whatever its thresholds; so has one whose
// accounting does not balance (sent = covered + dropped + lost).
import type { CellFailure, CellResult } from '../results/types.js';

export function ingestCellFailures(cell: CellResult, interrupted = false): CellFailure[] {
  const g = cell.ingest;
  if (!g) return [];
  const a = g.accounting;
  const errors = Object.entries(cell.errorsByKind ?? {})
    .map(([k, n]) => `${k}×${n}`)
    .slice(0, 5)
    .join(', ');
  const why = errors ? ` (errors: ${errors})` : '';
  if (interrupted && a.sent === 0) return [{ kind: 'interrupted_empty', reason: 'interrupted before anything was measured: no frame sent in the measured window' }];
  if (cell.counts.connects === 0) return [{ kind: 'no_answers', reason: `no camera could connect to the ingestion server${why}` }];
  if (a.sent === 0) return [{ kind: 'no_answers', reason: `no frame was sent during the ${cell.durationSec} s measured window${why}: check fps and duration` }];
  const out: CellFailure[] = [];
  if (g.answers === 0) {
    out.push({
      kind: 'no_answers',
      reason: `${a.sent} frames sent but no answer came back (${a.dropped} dropped by the server, ${a.lost} lost)${why}: check the model API and the server's log, or how answers name frames (ingest.wire in the README)`,
    });
  }
  if (!a.balanced) out.push({ kind: 'accounting', reason: `accounting does not balance: sent ${a.sent} ≠ covered ${a.covered} + dropped ${a.dropped} + lost ${a.lost}` });
  return out;
}
