// Hooks a mode adds to a run (soak: the Prometheus scraper, drift analysis): extra samplers that run
// beside the clients during the measured window, and a last transform of the results before they are
// written, so a run writes its results.json once, complete.
import type { Results } from '../results/types.js';

/** Something that samples during the measured window (e.g. a /metrics scraper). */
export interface RunSampler {
  /** The measured window started (epoch ms: the time origin of what it samples). */
  start(atMs: number): void;
  /** The window ended (drain) or the run is ending; called more than once, must be idempotent. */
  stop(): Promise<void>;
}

export interface RunHooks {
  /** Samplers for this run, made once the target is known (its real URL: keep secrets out of what they keep). */
  samplers?(target: { url: string; embedded: boolean }): RunSampler[];
  /** The finished record (samplers stopped) → the record to write; redaction follows. */
  finish?(results: Results): Results | Promise<Results>;
}

/** Starts and stops samplers with a cell's phases (measure → start, drain → stop). */
export function samplePhases(samplers: readonly RunSampler[]): (phase: string) => void {
  return (phase) => {
    if (phase === 'measure') for (const s of samplers) s.start(Date.now());
    if (phase === 'drain') for (const s of samplers) void s.stop();
  };
}

export async function stopSamplers(samplers: readonly RunSampler[]): Promise<void> {
  await Promise.all(samplers.map((s) => s.stop()));
}
