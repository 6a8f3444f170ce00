// One virtual client: connects, streams requests back to back, and accounts for every frame. Every
// message goes through the protocol adapter ("what is this message?"); framebench sends only what
// the adapter describes. On a lost connection it reconnects (exponential backoff, full jitter) and
// resumes by request id where the protocol can, else re-sends the request. A connection carries one
// stream at a time, or several (`correlation.streams`) told apart by the request id of every
// message. The per-frame path reads fields in place and records into HDR without allocating.
import { nowUs } from '../protocol/clock.js';
import { ERROR_CODES } from '../protocol/messages.js';
import type { ReferenceAdapter } from '../protocol/adapters/reference.js';
import { Classified, sameId } from '../protocol/adapters/types.js';
import type { ClientContext } from './client-context.js';
import { StreamClient } from './stream-client.js';
import { type StreamSlot, slotById } from './stream-slot.js';
import { latenessUs, scheduleAnchor } from './schedule.js';
import { checkFrameImage, errorKind } from './stream-context.js';

export type { ClientPhase } from './reconnecting-socket.js';

export class VirtualClient extends StreamClient {
  /** A resume was sent for the current request and neither `resumed` nor an error has answered it. */
  private resumePending = false;
  private validateCountdown: number;
  /** Where the adapter classifies this connection's messages; it also carries the adapter's state between them (a meta message before a binary frame). */
  private readonly msg = new Classified();

  constructor(index: number, ctx: ClientContext) {
    super(index, ctx);
    this.validateCountdown = 1 + (index % Math.max(1, this.adapter.validateEvery));
  }

  protected opened(): void {
    if (this.stopping) return this.close();
    const req = this.only.req;
    this.resumePending = false;
    if (req && this.ctx.reconnect.resume && this.adapter.reference) {
      this.resumePending = true;
      this.send((this.adapter as ReferenceAdapter).resume(this.session, req.id, req.maxSeq));
    } else {
      this.endAll(false);
      for (const slot of this.slots) this.sendGenerate(slot);
    }
  }

  onMessage(data: Buffer, isBinary: boolean): void {
    const m = this.msg;
    if (isBinary) this.ctx.collector.binaryMessage();
    else this.ctx.collector.textMessage();
    this.adapter.classify(data, isBinary, m);
    switch (m.kind) {
      case 'frame':
        this.onFrame(m, data);
        if (m.hopUs !== 0) this.onHops(m.hopUs, m.timeUs);
        return;
      case 'done': {
        this.lastHeardUs = nowUs();
        if (this.multi) {
          const slot = slotById(this.slots, m.requestId);
          if (slot) {
            this.endStream(slot, m.frames, true);
            this.next(slot);
          }
          return;
        }
        const only = this.only;
        // the reference protocol's done always names its request; an adapter's may not (one stream at a time)
        if (only.req && (m.requestId === undefined ? !this.adapter.reference : sameId(m.requestId, only.wireId))) this.endStream(only, m.frames, true);
        this.next(only);
        return;
      }
      case 'error':
        this.lastHeardUs = nowUs();
        this.onError(m);
        return;
      case 'unrecognized':
        this.lastHeardUs = nowUs();
        this.ctx.collector.error(m.code);
        return;
      default:
        this.lastHeardUs = nowUs();
        if (!this.adapter.reference || !this.only.req || !sameId(m.requestId, this.only.wireId)) return;
        if (m.code === 'resumed') {
          this.resumePending = false;
          this.ctx.collector.resumed();
        } else if (m.code === 'generation') {
          this.only.req.accepted = true;
          this.ctx.collector.hop('queueWait', m.queueWaitUs);
        }
        return;
    }
  }

  private onFrame(m: Classified, data: Buffer): void {
    const now = nowUs();
    this.lastHeardUs = now;
    let slot: StreamSlot | undefined = this.only;
    if (this.multi) {
      slot = slotById(this.slots, m.requestId);
      if (!slot) {
        if (m.requestId === undefined) this.ctx.collector.error('frame_without_request_id');
        return;
      }
    } else if (this.adapter.correlateById && !sameId(m.requestId, slot.wireId)) return;
    const req = slot.req;
    if (!req) return;
    let seq = m.seq;
    if (seq < 0) seq = req.received;
    else if (slot.adopted) {
      if (req.received === 0 && req.duplicates === 0) slot.seqShift = seq;
      seq -= slot.seqShift;
      if (seq < 0) return;
    }
    if (!req.mark(seq)) {
      if (!this.adapter.reference && req.requested > 0 && seq >= req.requested) this.ctx.collector.error('frame_beyond_request');
      return;
    }
    req.bytes += data.length;
    this.errorStreak = 0;
    const c = this.ctx.collector;
    // inter-arrival gaps for adapters; the reference protocol's frames carry their due time (frame latency, lateness)
    const gapUs = req.received === 1 || this.adapter.reference ? Number.NaN : now - slot.lastFrameUs;
    slot.lastFrameUs = now;
    if (req.received === 1) {
      req.firstArrivalUs = now;
      req.anchorUs = scheduleAnchor(now, seq, this.frameIntervalUs);
      if (req.measured && !slot.adopted) c.firstFrameOf(now - req.sentAtUs);
    }
    const serverUs = m.timeUs - this.ctx.offsetUs;
    if (req.measured) slot.playback.arrive(now / 1000, serverUs / 1000);
    if (c.measuring) c.frame(now - serverUs, latenessUs(now, req.anchorUs, seq, this.frameIntervalUs), data.length, gapUs, m.payloadBytes);
    const every = this.adapter.validateEvery;
    if (every > 0 && --this.validateCountdown <= 0) {
      this.validateCountdown = every;
      checkFrameImage(m, data, this.ctx.params, this.dims, c);
    }
    if (this.adapter.endOnFrames && req.requested > 0 && req.received >= req.requested) {
      this.endStream(slot, undefined, true, false, now);
      this.next(slot);
    }
  }

  /** Through a gateway topology: generator → gateway from the header stamp, gateway → client the rest. */
  private onHops(generatorToGatewayUs: number, timeUs: number): void {
    const c = this.ctx.collector;
    c.hop('generatorToGateway', generatorToGatewayUs);
    c.hop('gatewayToClient', Math.max(0, nowUs() + this.ctx.offsetUs - timeUs - generatorToGatewayUs));
  }

  private onError(m: Classified): void {
    this.ctx.collector.error(errorKind(m.code));
    let slot: StreamSlot | undefined = this.only;
    if (this.multi) slot = slotById(this.slots, m.requestId);
    else if (m.requestId !== undefined ? !sameId(m.requestId, slot.wireId) : this.adapter.reference) return;
    const req = slot?.req;
    if (!slot || !req) return;
    if (this.resumePending && m.code === ERROR_CODES.unknownRequest && !req.accepted && req.received === 0) {
      // The server never accepted this request (a gateway keeps every request it enqueues resumable),
      // e.g. a generate still on its way when the connection died: nothing of it was due, so it is
      // sent again instead of being counted lost.
      this.resumePending = false;
      const text = this.adapter.request(this.contextOf(slot, req));
      if (text !== undefined) this.send(text);
      return;
    }
    this.resumePending = false;
    this.endStream(slot, undefined, false);
    this.afterStream(slot, !this.adapter.reference);
  }
}
