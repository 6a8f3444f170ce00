// The server's figures for each one-second window of an upload cell: its /stats read in the
// background (a busy server does not stretch windows); a window takes the latest reading's gauges
// (buffer depth, model calls in flight) and the counters (429s, retries, drops) since the last window.
import type { IngestPoint } from '../results/ingest.js';
import type { ServerStatsTracker } from './server-stats-poll.js';

export type ServerWindow = Pick<IngestPoint, 'bufferDepth' | 'api429' | 'retries' | 'serverDropped' | 'inflight'>;

export class ServerWindows {
  private polling = false;
  private point: ServerWindow | undefined;

  constructor(private readonly tracker?: ServerStatsTracker) {}

  poll(): Promise<void> {
    const tracker = this.tracker;
    if (!tracker || this.polling) return Promise.resolve();
    this.polling = true;
    return tracker
      .poll()
      .then((s) => {
        if (!s) return;
        const d = tracker.delta();
        const prev = this.point;
        this.point = { bufferDepth: s.bufferDepth, inflight: s.inflight, api429: (prev?.api429 ?? 0) + d.api429, retries: (prev?.retries ?? 0) + d.retries, serverDropped: (prev?.serverDropped ?? 0) + d.framesDropped };
      })
      .finally(() => {
        this.polling = false;
      });
  }

  /** The figures for the window closing now; its counters are consumed, the gauges stay until the next reading. */
  take(): ServerWindow | undefined {
    const p = this.point;
    if (p) this.point = { bufferDepth: p.bufferDepth, inflight: p.inflight, api429: 0, retries: 0, serverDropped: 0 };
    return p;
  }
}
