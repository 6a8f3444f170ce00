// The harness watching itself: event-loop delay and CPU of this process, sampled once per window.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface HarnessSample {
  /** CPU of this process over the window, % of one core. */
  cpuPct: number;
  /** Event-loop delay p99 over the window, ms. */
  loopDelayP99Ms: number;
  /**
   * Longest event-loop stall touching the window, ms: the delay monitor's worst sample beyond its
   * interval, or how late the window's own timer fired (closing it or opening it: frames held up by
   * a stall are handled in the window after it).
   */
  loopStallMs: number;
}

const RESOLUTION_MS = 10;

export class HarnessMonitor {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private lastLateMs = 0;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();

  start(): void {
    this.delay.enable();
    this.lastCpu = process.cpuUsage();
    this.lastAt = performance.now();
  }

  /** `lateMs`: how late the timer that closes this window fired. */
  sample(lateMs = 0): HarnessSample {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedMs = Math.max(1, now - this.lastAt);
    const out: HarnessSample = {
      cpuPct: Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 1000) / 10,
      loopDelayP99Ms: this.delay.count > 0 ? Math.round(this.delay.percentile(99) / 1e4) / 100 : 0,
      loopStallMs: Math.round(Math.max(this.delay.count > 0 ? this.delay.max / 1e6 - RESOLUTION_MS : 0, lateMs, this.lastLateMs, 0)),
    };
    this.lastLateMs = Math.max(0, lateMs);
    this.delay.reset();
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    return out;
  }

  stop(): void {
    this.delay.disable();
  }
}
