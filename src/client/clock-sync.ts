// Clock offset estimation from ping/pong exchanges (NTP-style): the sample with the smallest
// round trip wins; its half round trip bounds the error.

export interface ClockSample {
  /** Client send time, µs. */
  t0: number;
  /** Server time, µs. */
  t1: number;
  /** Client receive time, µs. */
  t2: number;
}

export interface ClockEstimate {
  /** Server time minus client time, µs. */
  offsetUs: number;
  rttUs: number;
  /** Half the best round trip: the true offset lies within ± this. */
  uncertaintyUs: number;
  samples: number;
}

export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate {
  let best: ClockSample | undefined;
  for (const s of samples) if (!best || s.t2 - s.t0 < best.t2 - best.t0) best = s;
  if (!best) return { offsetUs: 0, rttUs: 0, uncertaintyUs: 0, samples: 0 };
  const rtt = best.t2 - best.t0;
  return { offsetUs: best.t1 - (best.t0 + rtt / 2), rttUs: rtt, uncertaintyUs: rtt / 2, samples: samples.length };
}

/** True for targets on this machine, where client and server read one clock. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
