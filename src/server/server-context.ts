// What every connection of the reference server shares: counters, the scheduler, the frame
// corpus, timing, resume registry and the per-connection limits.
import type { FrameSource } from './frame-source.js';
import type { RequestLimits } from './request-limits.js';
import type { StreamTiming } from './request-stream.js';
import type { ResumeRegistry } from './resume-registry.js';
import type { FrameScheduler } from './scheduler.js';
import type { StatsCounters } from './stats.js';

/** Server-wide state every connection shares. */
export interface ServerContext {
  readonly stats: StatsCounters;
  readonly scheduler: FrameScheduler;
  readonly frames: FrameSource;
  readonly timing: StreamTiming;
  readonly resume: ResumeRegistry;
  readonly maxBufferBytes: number;
  readonly limits: RequestLimits;
  readonly maxMessagesPerSec: number;
  /** 0 disables the idle limit. */
  readonly idleTimeoutMs: number;
  readonly slowClientMs: number;
  /** False forces every frame through ws.send (one copied Buffer per frame). */
  readonly rawWrites: boolean;
  readonly log: (line: string) => void;
}
