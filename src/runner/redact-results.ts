// Keeps secrets (tokens, passwords) out of results: every text part of a results record is
// redacted, but not the encoded histograms, where a short secret could match by chance.
import type { CellResult, Results } from '../results/types.js';
import { redactDeep } from '../text/redact.js';

function redactCell(cell: CellResult, secrets: string[]): CellResult {
  const { latencyMs, playback, timeseries, repeats, ...rest } = cell;
  return {
    ...redactDeep(rest, secrets),
    latencyMs,
    ...(playback ? { playback } : {}),
    timeseries,
    ...(repeats ? { repeats: repeats.map((r) => redactCell(r, secrets)) } : {}),
  } as CellResult;
}

export function redactResults(results: Results, secrets: string[]): Results {
  if (!secrets.length) return results;
  const { cells, ...rest } = results;
  return { ...redactDeep(rest, secrets), cells: cells.map((c) => redactCell(c, secrets)) } as Results;
}
