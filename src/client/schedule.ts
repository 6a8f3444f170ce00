// Lateness against a stream's own schedule: frame seq should arrive at anchor + seq/fps, where the
// anchor comes from the first frame's arrival. Needs no clock sync with the server, and measures
// from when a frame should have arrived, not from when a stalled loop got round to it.

/** Arrival time (µs) that seq 0 would have had, given the first arrival of frame `seq`. */
export function scheduleAnchor(firstArrivalUs: number, seq: number, intervalUs: number): number {
  return firstArrivalUs - seq * intervalUs;
}

/** How late frame `seq` arrived (µs); negative when early. */
export function latenessUs(arrivalUs: number, anchorUs: number, seq: number, intervalUs: number): number {
  return arrivalUs - (anchorUs + seq * intervalUs);
}
