// The state the live soak progress view renders (the soak's result shapes are in src/results/soak.ts).

/** What the live progress view shows; the engine fills it once a second. */
export interface LiveState {
  elapsedSec: number;
  totalSec: number;
  stage: { index: number; count: number; target: number; name?: string };
  clients: { connected: number; target: number };
  framesPerSec: number;
  /** Frame latency p99 over the last 10 s, ms; null before any frame arrived. */
  p99Last10sMs: number | null;
  errors: number;
  reconnects: number;
  harness: { cpuPct: number; eventLoopP99Ms: number };
  /** Scrape health, when scraping. */
  scrape?: { ok: number; errors: number };
  /** Set while stopping after Ctrl-C. */
  stopping?: boolean;
}
