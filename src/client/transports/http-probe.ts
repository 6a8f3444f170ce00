// Preflight for a team's server reached only over HTTP (SSE, polling): one TCP connection to the
// target's host and port, so an unreachable target fails fast with a clear message. Nothing is
// sent (starting a stream could cost the server work); no clock exchange (no server time).
import { connect } from 'node:net';
import { TargetError } from '../../errors.js';
import type { ClockEstimate } from '../clock-sync.js';

export function probeHttpTarget(url: string, timeoutMs = 5000): Promise<ClockEstimate> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || (u.protocol === 'wss:' || u.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    function fail(why: string): void {
      clearTimeout(timer);
      socket.destroy();
      reject(new TargetError(`cannot connect to ${u.protocol}//${u.host}: ${why}`));
    }
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve({ offsetUs: 0, rttUs: 0, uncertaintyUs: 0, samples: 0 });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => fail(`${err.code ?? err.message}${err.code === 'ECONNREFUSED' ? ' (is the server running?)' : ''}`));
  });
}
