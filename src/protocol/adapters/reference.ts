// framebench's own protocol as an adapter: binary frames with the 32-byte header (see header.ts),
// JSON generate / cancel / resume / clock messages, done / error / resumed replies. The binary
// frame path reads the header in place.
import { HEADER_BYTES, isFrame, readRequestId, readSeq, readTimeUs } from '../header.js';
import type { ServerMessage } from '../messages.js';
import { type Classified, type ProtocolAdapter, type RequestContext, wireText } from './types.js';

export class ReferenceAdapter implements ProtocolAdapter {
  readonly name = 'reference';
  readonly reference = true;
  readonly upgrade = { headers: {}, query: {}, subprotocols: [] };
  readonly endOnFrames = false;
  readonly idleEndUs = 0;
  readonly correlateById = true;
  readonly streams = 1;
  readonly validateEvery = 0;
  readonly doneAfterCancel = true;
  readonly prompts = ['a red fox running through snow'];
  wireId(requestNo: number): number {
    return requestNo;
  }

  request(c: RequestContext): string {
    return JSON.stringify({
      type: 'generate',
      requestId: c.requestId,
      session: c.session,
      format: c.format,
      resolution: c.resolution,
      quality: c.quality,
      fps: c.fps,
      frames: c.frames,
      transport: c.transport,
    });
  }

  cancel(c: RequestContext): string {
    return JSON.stringify({ type: 'cancel', requestId: c.requestId });
  }

  resume(session: string, requestId: number, lastSeq: number): string {
    return JSON.stringify({ type: 'resume', session, requestId, lastSeq });
  }

  classify(data: Buffer, isBinary: boolean, out: Classified): void {
    if (isBinary) {
      if (!isFrame(data)) {
        out.kind = 'unrecognized';
        out.code = 'bad_frame';
        return;
      }
      out.kind = 'frame';
      out.requestId = readRequestId(data);
      out.seq = readSeq(data);
      out.timeUs = readTimeUs(data);
      out.payloadOffset = HEADER_BYTES;
      out.payloadBytes = data.length - HEADER_BYTES;
      // a gateway stamps generator → gateway µs into the header's reserved field (0 elsewhere)
      out.hopUs = data.readUInt32BE(28);
      return;
    }
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data.toString()) as ServerMessage;
    } catch {
      out.kind = 'unrecognized';
      out.code = 'bad_json_from_server';
      return;
    }
    switch (msg.type) {
      case 'frame':
        out.clear('frame');
        out.requestId = msg.requestId;
        out.seq = msg.seq;
        out.timeUs = msg.timeUs;
        out.payloadBytes = data.length;
        return;
      case 'done':
        out.clear('done');
        out.requestId = msg.requestId;
        out.frames = msg.frames;
        return;
      case 'error':
        out.clear('error');
        out.requestId = msg.requestId;
        // a server that is not the reference one may send its own error shape
        out.code = wireText(msg.code, 'error');
        out.message = typeof msg.message === 'string' ? msg.message : '';
        return;
      case 'generation':
        out.clear('ignore');
        out.requestId = msg.requestId;
        out.code = 'generation';
        out.queueWaitUs = msg.queueWaitUs;
        return;
      case 'resumed':
        out.clear('ignore');
        out.requestId = msg.requestId;
        out.code = 'resumed';
        return;
      default:
        out.clear('ignore');
        out.code = '';
        return;
    }
  }
}
