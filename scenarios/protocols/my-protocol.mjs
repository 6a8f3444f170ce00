// A protocol module: for what a declarative `protocol:` block cannot say. framebench imports it
// once per client process and calls createAdapter(options) with the scenario's protocol.options.
// This one speaks the "binary frames then a JSON done" shape of binary-then-json-done.yaml, with
// an 8-byte little-endian sequence number in front of each image when options.seqHeader is true.
//
//   protocol: { module: ./my-protocol.mjs, options: { seqHeader: false } }
export function createAdapter(options = {}) {
  const seqHeader = options.seqHeader === true;
  return {
    requestId: 'string',          // ctx.requestId is "<session>-<n>"
    correlation: 'single',        // one stream at a time per connection
    endOnFrames: false,           // wait for the done message
    idleMs: 5000,                 // a stream quiet this long ends; its missing frames are lost
    request(ctx) {
      return { type: 'generate', request_id: ctx.requestId, prompt: ctx.prompt, count: ctx.frames, fps: ctx.fps, width: ctx.width, height: ctx.height, format: ctx.format };
    },
    cancel(ctx) {
      return { type: 'cancel', request_id: ctx.requestId };
    },
    // Called for every message: keep it cheap (no JSON.parse of binary, no allocation you can avoid).
    classify(data, isBinary) {
      if (isBinary) {
        if (!seqHeader) return FRAME;
        return { kind: 'frame', seq: Number(data.readBigUInt64LE(0)), payloadOffset: 8 };
      }
      const msg = JSON.parse(data.toString());
      if (msg.type === 'done') return { kind: 'done', requestId: msg.request_id, frames: msg.frames_sent };
      if (msg.type === 'error') return { kind: 'error', requestId: msg.request_id ?? undefined, code: msg.error?.code, message: msg.error?.message };
      if (msg.type === 'heartbeat') return IGNORE;
      return undefined; // counted as unrecognized_message
    },
  };
}

const FRAME = Object.freeze({ kind: 'frame' });
const IGNORE = Object.freeze({ kind: 'ignore' });
