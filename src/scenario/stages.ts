// Load stages (k6 "ramping VUs" semantics): each stage moves the number of active clients linearly
// from the previous stage's target to its own over its duration, starting from 0.

export interface Stage {
  durationMs: number;
  target: number;
}

export interface StagePosition {
  /** Index of the stage at this time (stages.length once they are all over). */
  index: number;
  /** Clients that should be active now. */
  target: number;
}

export function stagesDurationMs(stages: readonly Stage[]): number {
  return stages.reduce((n, s) => n + s.durationMs, 0);
}

export function stageAt(stages: readonly Stage[], elapsedMs: number): StagePosition {
  let from = 0;
  let start = 0;
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i] as Stage;
    if (elapsedMs < start + s.durationMs) {
      const f = s.durationMs > 0 ? (elapsedMs - start) / s.durationMs : 1;
      return { index: i, target: Math.round(from + (s.target - from) * Math.max(0, f)) };
    }
    from = s.target;
    start += s.durationMs;
  }
  return { index: stages.length, target: from };
}

/** The longest stretch where the target stays at its maximum: the hold phase of a soak, ms from start. */
export function holdWindow(stages: readonly Stage[]): { fromMs: number; toMs: number } | undefined {
  const peak = Math.max(0, ...stages.map((s) => s.target));
  let best: { fromMs: number; toMs: number } | undefined;
  let start = 0;
  let prev = 0;
  for (const s of stages) {
    if (s.target === peak && prev === peak && (!best || s.durationMs > best.toMs - best.fromMs)) best = { fromMs: start, toMs: start + s.durationMs };
    prev = s.target;
    start += s.durationMs;
  }
  return best;
}

/** Splits stage targets over workers in proportion to their share of the clients. */
export function scaleStages(stages: readonly Stage[], share: number, total: number): Stage[] {
  return stages.map((s) => ({ durationMs: s.durationMs, target: Math.round((s.target * share) / Math.max(1, total)) }));
}

/** Stages for a soak: ramp to peak × multiplier, hold, ramp down. */
export function soakStages(peakClients: number, rampMs: number, holdMs: number, rampDownMs: number): Stage[] {
  return [
    { durationMs: rampMs, target: peakClients },
    { durationMs: holdMs, target: peakClients },
    { durationMs: rampDownMs, target: 0 },
  ];
}
