// Wall-clock time in microseconds with sub-millisecond resolution, shared by server and clients.
import { performance } from 'node:perf_hooks';

const origin = performance.timeOrigin;

export function nowUs(): number {
  return (origin + performance.now()) * 1000;
}
