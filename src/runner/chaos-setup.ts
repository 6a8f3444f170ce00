// Wires a scenario's chaos list to the engine: a fault proxy in front of the target when network
// faults (or proxy drops) need one, and per cell a ChaosRunner whose targets are the client pool,
// the reference server's admin channel and the managed embedded server.
import { ChaosRunner, type ChaosTargets } from '../chaos/runner.js';
import { planFaults } from '../chaos/schedule.js';
import { startFaultProxy, type FaultProxy } from '../chaos/proxy.js';
import type { ChaosEntry } from '../chaos/schema.js';
import type { LoadPool } from '../client/pool-options.js';
import type { RunEvent } from '../results/types.js';
import { adminDrop } from '../server/admin-client.js';
import type { EmbeddedServer } from '../server/launcher.js';

export interface ChaosSetup {
  /** Where clients connect: the proxy when there is one, else the target. */
  clientUrl: string;
  startCell(pool: LoadPool, measureMs: number, seed: number, events: RunEvent[]): ChaosRunner;
  close(): Promise<void>;
}

export async function setupChaos(entries: readonly ChaosEntry[], targetUrl: string, embedded: EmbeddedServer | undefined, log: (line: string) => void = () => undefined): Promise<ChaosSetup> {
  const commands = entries.filter((e) => e.kind === 'command').length;
  if (commands > 0) log(`chaos: this scenario runs ${commands} shell command${commands === 1 ? '' : 's'} on this machine (each is printed before it runs)`);
  const url = new URL(targetUrl);
  const needsProxy = entries.some((e) => e.kind === 'network') || (entries.some((e) => e.kind === 'drop-connections') && !embedded?.adminToken);
  let proxy: FaultProxy | undefined;
  if (needsProxy) {
    const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 80));
    proxy = await startFaultProxy({ targetHost: url.hostname.replace(/^\[|\]$/g, ''), targetPort: port, allowRemote: true });
  }
  const clientUrl = proxy ? `${url.protocol}//127.0.0.1:${proxy.port}${url.pathname}${url.search}` : targetUrl;
  return {
    clientUrl,
    startCell(pool, measureMs, seed, events) {
      const targets: ChaosTargets = {
        killClients: (pick) => pool.killClients(pick),
        proxy,
      };
      if (embedded?.adminToken) {
        const token = embedded.adminToken;
        targets.dropConnections = (fraction, count) => adminDrop(targetUrl, token, count !== undefined ? { count } : { fraction: fraction ?? 0 });
      }
      if (embedded) targets.restartServer = (mode, downtimeMs) => embedded.restart(mode, downtimeMs);
      const runner = new ChaosRunner(
        planFaults(entries, { seed, windowMs: measureMs }),
        targets,
        (e) => {
          const ev: RunEvent = { t: e.t, kind: e.kind, detail: e.detail };
          if (e.hit !== undefined) ev.hit = e.hit;
          if (e.endsAt !== undefined) ev.endsAt = e.endsAt;
          if (e.output) ev.output = e.output;
          events.push(ev);
        },
        undefined,
        log,
      );
      runner.start();
      return runner;
    },
    close: async () => {
      await proxy?.close();
    },
  };
}
