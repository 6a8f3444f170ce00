// One stream in flight on a virtual client's connection: its request, the id on the wire, the
// arrival of its last frame and its playback model. A connection carries one slot, or several when
// the protocol matches every message to its stream by request id.
import type { PlaybackModel } from './playback-model.js';
import type { RequestState } from './request-state.js';

export class StreamSlot {
  req: RequestState | undefined = undefined;
  /** The request's id as sent on the wire. */
  wireId: string | number = 0;
  /** Arrival time (µs) of the request's last frame. */
  lastFrameUs = 0;
  /** A stream kept across warm-up → measure without a cancel: server seq numbers are shifted to start at 0. */
  adopted = false;
  seqShift = 0;

  constructor(readonly playback: PlaybackModel) {}
}

/** The slot whose request has this wire id; undefined for a missing id or one of no stream in flight. */
export function slotById(slots: readonly StreamSlot[], id: string | number | undefined): StreamSlot | undefined {
  if (id === undefined) return undefined;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (s.req !== undefined && (s.wireId === id || (typeof s.wireId !== typeof id && String(s.wireId) === String(id)))) return s;
  }
  return undefined;
}
