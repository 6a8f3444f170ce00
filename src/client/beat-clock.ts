// When a periodic liveness check judges silence. After a stall of this event loop, timers run
// before the sockets are read, so messages that came during the stall are not counted yet: a beat
// that fired late judges as of its due time, never blaming the server for the harness's own pause.
export class BeatClock {
  private dueMs: number;

  constructor(
    private readonly periodMs: number,
    startMs: number,
  ) {
    this.dueMs = startMs + periodMs;
  }

  /** The time (µs, on the clock of `nowUs`) this beat judges as of; call once per beat. */
  judgeAtUs(nowMs: number, nowUs: number): number {
    const lateMs = Math.max(0, nowMs - this.dueMs);
    this.dueMs = nowMs + this.periodMs;
    return nowUs - lateMs * 1000;
  }
}
