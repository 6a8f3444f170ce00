// Decides whether the harness, not the target, limited a cell: a blocked event loop or a client
// process pinned at full CPU makes its own queueing look like the target's latency; and reads that
// flag back from a results record for the report and diff.
import type { TimeseriesPoint } from '../results/types.js';

export const SATURATION = {
  /** Event-loop delay p99 above this (ms) in a window counts as a blocked loop. */
  loopDelayMs: 100,
  /** CPU of a harness process at or above this (% of one core) counts as pinned. */
  cpuPct: 95,
  /** Share of windows that must show it before the cell is flagged (and at least two windows). */
  share: 0.2,
} as const;

export interface SaturationVerdict {
  saturated: boolean;
  reason: string;
  maxLoopDelayMs: number;
  maxCpuPct: number;
}

export function detectSaturation(series: readonly TimeseriesPoint[], limits = SATURATION): SaturationVerdict | undefined {
  const watched = series.filter((p) => p.loopDelayP99Ms !== undefined || p.harnessCpuPct !== undefined);
  if (!watched.length) return undefined;
  const maxLoopDelayMs = Math.max(...watched.map((p) => p.loopDelayP99Ms ?? 0));
  const maxCpuPct = Math.max(...watched.map((p) => p.harnessCpuPct ?? 0));
  const blocked = watched.filter((p) => (p.loopDelayP99Ms ?? 0) > limits.loopDelayMs).length;
  const pinned = watched.filter((p) => (p.harnessCpuPct ?? 0) >= limits.cpuPct).length;
  const need = Math.min(watched.length, Math.max(2, Math.ceil(watched.length * limits.share)));
  const reasons: string[] = [];
  if (blocked >= need) reasons.push(`the harness event loop was delayed by more than ${limits.loopDelayMs} ms (p99) in ${blocked} of ${watched.length} windows (worst ${maxLoopDelayMs} ms)`);
  if (pinned >= need) reasons.push(`a harness process ran at ≥ ${limits.cpuPct} % CPU in ${pinned} of ${watched.length} windows`);
  return {
    saturated: reasons.length > 0,
    reason: reasons.length ? `${reasons.join('; ')}: latency figures include the harness's own queueing and are not trustworthy (use --workers or fewer clients)` : '',
    maxLoopDelayMs,
    maxCpuPct,
  };
}

/** Default bound on a harness event-loop stall, ms: a window with a longer stall is harness-affected. */
export const PAUSE_BOUND_MS = 100;

export interface PauseVerdict {
  boundMs: number;
  /** Longest stall in any window, ms. */
  maxStallMs: number;
  /** End times (s) of the windows with a stall over the bound. */
  windows: number[];
  /** What to tell the user, empty when no window was affected. */
  reason: string;
}

/**
 * Marks every window in which a harness event loop stalled longer than `boundMs` as
 * harness-affected (its latency includes the harness's own pause). One window is enough.
 */
export function markPauses(series: TimeseriesPoint[], boundMs = PAUSE_BOUND_MS): PauseVerdict | undefined {
  const watched = series.filter((p) => p.loopStallMs !== undefined);
  if (!watched.length) return undefined;
  const windows: number[] = [];
  for (const p of watched) {
    if ((p.loopStallMs as number) > boundMs) {
      p.harnessAffected = true;
      windows.push(p.t);
    } else delete p.harnessAffected;
  }
  const maxStallMs = Math.max(...watched.map((p) => p.loopStallMs as number));
  const worst = watched.find((p) => p.loopStallMs === maxStallMs);
  const cpu = worst?.harnessCpuPct !== undefined ? ` at ${worst.harnessCpuPct} % CPU${worst.harnessCpuPct < 60 ? ' (a loop blocked at low CPU was kept waiting by the machine, not by its own work)' : ''}` : '';
  const at =
    windows
      .slice(0, 10)
      .map((t) => `${t} s`)
      .join(', ') + (windows.length > 10 ? ', …' : '');
  const reason = windows.length
    ? `the harness event loop stalled for up to ${maxStallMs} ms${cpu} (bound ${boundMs} ms) in ${windows.length} of ${watched.length} windows (ending at ${at}): latency in those windows includes the harness's own pause`
    : '';
  return { boundMs, maxStallMs, windows, reason };
}

/** A saturation flag as a report shows it: the reason, or '' when none was given. */
export interface Saturation {
  detail: string;
}

/** Reads an optional `harnessSaturated` flag: boolean, message, or an object with details. */
export function readSaturation(source: unknown): Saturation | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  const flag = (source as Record<string, unknown>).harnessSaturated;
  if (flag === true) {
    const record = source as Record<string, unknown>;
    const reason = record.harnessSaturatedReason ?? (record.harness as Record<string, unknown> | undefined)?.reason;
    return { detail: typeof reason === 'string' ? reason : '' };
  }
  if (typeof flag === 'string' && flag.trim() !== '') return { detail: flag };
  if (flag !== null && typeof flag === 'object') {
    const obj = flag as Record<string, unknown>;
    if (obj.saturated === false) return undefined;
    const text = typeof obj.reason === 'string' ? obj.reason : JSON.stringify(flag);
    return { detail: text.length > 300 ? `${text.slice(0, 300)}…` : text };
  }
  return undefined;
}
