// One virtual camera: connects, sends frame seq at anchor + seq / fps (base64 JSON or binary), and
// books the server's messages (upload-answers.ts). Lateness is measured from
// the scheduled send time: a camera that could not send on time (socket not open, bufferedAmount
// over its cap because the server reads slowly) sends late and records by how much, and never skips
// silently; only a backlog over `maxBacklog` frames is given up, and counted as unsent.
import WebSocket from 'ws';
import { backoffDelayMs } from '../client/backoff.js';
import { destroyWithoutClose } from '../client/reconnecting-socket.js';
import type { UploadContext } from './upload-context.js';
import { UploadLedger } from './upload-ledger.js';
import { dueMs, trimBacklog } from './upload-schedule.js';
import { applyServerMessage } from './upload-answers.js';

const BACKPRESSURE_POLL_MS = 5;
const EPOCH_OFFSET_MS = performance.timeOrigin;

export class UploadClient {
  phase: 'new' | 'connecting' | 'open' | 'waiting' | 'closed' = 'new';
  private ws: WebSocket | undefined;
  private anchorMs = 0;
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private sending = true;
  private parked = false;
  private stopping = false;
  private attempt = 0;
  private openedAtMs = 0;
  private awaitingFirstAnswer = false;
  private idle: (() => void) | undefined;
  private readonly intervalMs: number;
  private readonly ledger: UploadLedger;
  /** The server said it finished this camera's stream. */
  private serverDone = false;

  constructor(
    readonly index: number,
    private readonly ctx: UploadContext,
    phaseMs: number,
  ) {
    this.intervalMs = 1000 / ctx.fps;
    this.anchorMs = performance.now() + phaseMs;
    this.ledger = new UploadLedger(8192, (n) => ctx.collector.framesLost(n));
  }

  start(): void {
    this.connect();
    this.schedule();
  }

  private measured(seq: number): boolean {
    const due = dueMs(this.anchorMs, seq, this.intervalMs);
    return due >= this.ctx.window.startMs && due < this.ctx.window.endMs;
  }

  private connect(): void {
    this.phase = 'connecting';
    const began = performance.now();
    const addrs = this.ctx.localAddresses;
    const ws = new WebSocket(this.ctx.url, addrs?.length ? { ...this.ctx.wsOptions, localAddress: addrs[this.index % addrs.length] } : this.ctx.wsOptions);
    this.ws = ws;
    ws.on('open', () => {
      this.phase = 'open';
      this.ctx.onConnection?.(1);
      const c = this.ctx.collector;
      if (this.attempt > 0) c.reconnected();
      else c.connected(performance.now() - began);
      this.attempt = 0;
      this.openedAtMs = performance.now();
      this.awaitingFirstAnswer = true;
      if (!this.sending) return this.sendEnd();
      this.pump();
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on('error', (err: NodeJS.ErrnoException) => {
      if (this.phase === 'connecting') this.ctx.collector.connectFailed(err.code ? `connect_${err.code}` : /handshake has timed out/i.test(err.message) ? 'connect_timeout' : 'connect_error');
      else this.ctx.collector.error(`socket_${err.code ?? 'error'}`);
    });
    ws.on('unexpected-response', (_req, res) => {
      this.ctx.collector.connectFailed(`connect_http_${res.statusCode ?? 0}`);
      res.resume();
      ws.terminate();
    });
    ws.on('close', (code: number) => this.onClose(ws, code));
  }

  private onClose(ws: WebSocket, code: number): void {
    if (ws !== this.ws) return;
    const wasOpen = this.phase === 'open';
    if (wasOpen) {
      this.ctx.onConnection?.(-1);
      if (!this.stopping) this.ctx.collector.error(`closed_${code}`);
    }
    this.ledger.lostAll();
    const policy = this.ctx.reconnect;
    if (this.stopping || !policy.enabled || (policy.maxAttempts > 0 && this.attempt >= policy.maxAttempts)) {
      this.finish();
      return;
    }
    this.phase = 'waiting';
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = undefined;
        if (!this.stopping) this.connect();
      },
      backoffDelayMs(this.attempt++, policy, this.ctx.random()),
    );
    this.notifyIfIdle();
  }

  private schedule(): void {
    if (this.timer || !this.sending) return;
    const wait = dueMs(this.anchorMs, this.next, this.intervalMs) - performance.now();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, wait),
    );
  }

  /** Sends every frame that is due, oldest first, as long as the socket takes them. */
  private pump(): void {
    if (!this.sending) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = performance.now();
    const c = this.ctx.collector;
    const trimmed = trimBacklog(now, this.anchorMs, this.next, this.intervalMs, this.ctx.maxBacklog);
    this.countUnsent(this.next, trimmed.next);
    this.next = trimmed.next;
    const ws = this.ws;
    if (this.phase !== 'open' || !ws) return this.schedule();
    const templates = this.ctx.templates;
    for (;;) {
      const due = dueMs(this.anchorMs, this.next, this.intervalMs);
      if (due > now || due >= this.ctx.window.endMs) break;
      if (ws.bufferedAmount > this.ctx.maxBufferedBytes) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, BACKPRESSURE_POLL_MS);
        return;
      }
      const seq = this.next++;
      const t = templates[seq % templates.length]!;
      const buf = t.fill(seq, EPOCH_OFFSET_MS + due);
      ws.send(buf, { binary: this.ctx.binary });
      const measured = this.measured(seq);
      this.ledger.sent(seq, measured);
      if (measured) {
        c.frameDue();
        c.frameSent(performance.now() - due, buf.length);
      }
    }
    this.schedule();
  }

  /** Frames [from, to) were due and will never be sent: counted as due and unsent when measured. */
  private countUnsent(from: number, to: number): void {
    const c = this.ctx.collector;
    for (let s = from; s < to; s++) {
      if (!this.measured(s)) continue;
      c.frameDue();
      c.framesUnsent(1);
    }
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    const c = this.ctx.collector;
    c.message(isBinary);
    const msg = isBinary ? undefined : this.ctx.reader.read(data.toString('utf8'));
    if (!msg) return c.error('unknown_message');
    const now = performance.now();
    const outcome = applyServerMessage(msg, { ledger: this.ledger, collector: c, lagMs: (seq) => now - dueMs(this.anchorMs, seq, this.intervalMs), measured: (seq) => this.measured(seq) });
    if (outcome === 'done') {
      this.serverDone = true;
      this.ledger.lostAll();
    } else if (outcome === 'answer' || outcome === 'measured-answer') {
      if (outcome === 'measured-answer' && this.awaitingFirstAnswer) c.firstAnswerAfter(now - this.openedAtMs);
      this.awaitingFirstAnswer = false;
    }
    this.notifyIfIdle();
  }

  private sendEnd(): void {
    const end = this.ctx.end;
    if (end !== null && this.ws?.readyState === WebSocket.OPEN) this.ws.send(end);
  }

  /**
   * Stops the schedule: due frames never sent are counted unsent; frames due from `cutMs` on (the
   * window's end, or now for a camera a soak stage parks) are cut, not due. Ends the stream unless parked.
   */
  stopSending(cutMs = this.ctx.window.endMs, park = false): void {
    if (!this.sending) {
      if (!park && this.parked) this.sendEnd();
      this.parked = park;
      return;
    }
    this.pump();
    this.sending = false;
    this.parked = park;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const end = Math.min(cutMs, this.ctx.window.endMs);
    let last = this.next;
    while (dueMs(this.anchorMs, last, this.intervalMs) < end) last++;
    this.countUnsent(this.next, last);
    this.next = last;
    if (!park) this.sendEnd();
  }

  /** Soak stage: stops sending at `nowMs`, keeping the connection (answers still count). */
  pause = (nowMs: number): void => this.stopSending(nowMs, true);

  /** Soak stage: sends again from the next frame due; the frames of the pause were never due. */
  resume(): void {
    if (!this.parked || this.stopping) return;
    this.parked = false;
    this.sending = true;
    this.next = Math.max(this.next, Math.ceil((performance.now() - this.anchorMs) / this.intervalMs));
    this.schedule();
  }

  /** Resolves once nothing sent is waiting for an answer (or the connection is gone). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => {
      this.idle = resolve;
    });
  }

  private isIdle(): boolean {
    return this.phase !== 'open' || this.serverDone || this.ledger.pending === 0;
  }

  private notifyIfIdle(): void {
    if (!this.sending && this.idle && this.isIdle()) {
      const r = this.idle;
      this.idle = undefined;
      r();
    }
  }

  /** Ends the camera: anything still unanswered is lost; closes the socket. */
  close(): void {
    this.stopping = true;
    this.sending = false;
    if (this.timer) clearTimeout(this.timer);
    this.ledger.lostAll();
    const ws = this.ws;
    if (!ws || this.phase === 'waiting') return this.finish();
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'done');
    else ws.terminate();
  }

  /** Chaos: destroys the socket without a close frame (a camera losing power or its link). */
  kill(): boolean {
    if (this.phase !== 'open' || !this.ws) return false;
    destroyWithoutClose(this.ws);
    return true;
  }

  private finish(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.phase = 'closed';
    this.notifyIfIdle();
  }
}
