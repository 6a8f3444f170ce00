// The harness watching itself: event-loop delay and CPU of this process, sampled once per window.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface HarnessSample {
  /** CPU of this process over the window, % of one core. */
  cpuPct: number;
  /** Event-loop delay p99 over the window, ms. */
  loopDelayP99Ms: number;
}

export class HarnessMonitor {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();

  start(): void {
    this.delay.enable();
    this.lastCpu = process.cpuUsage();
    this.lastAt = performance.now();
  }

  sample(): HarnessSample {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedMs = Math.max(1, now - this.lastAt);
    const out: HarnessSample = {
      cpuPct: Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 1000) / 10,
      loopDelayP99Ms: this.delay.count > 0 ? Math.round(this.delay.percentile(99) / 1e4) / 100 : 0,
    };
    this.delay.reset();
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    return out;
  }

  stop(): void {
    this.delay.disable();
  }
}
