// `bench topology up|down|status`: the production topology (nginx → gateways → Redis → generators)
// from installed redis-server and nginx binaries, on free loopback ports, without Docker.
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { DEFAULT_TOPOLOGY_DIR, topologyDown, topologyStatus, topologyUp } from '../topology/topology.js';

const int = (flag: string, text: string): number => {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} must be a whole number (got ${JSON.stringify(text)})`);
  return n;
};

const out = (line: string): boolean => process.stdout.write(`${line}\n`);

function upCommand(): Command {
  return new Command('up')
    .description('start redis-server, the gateways, the generators and nginx; returns once all are healthy')
    .option('--dir <dir>', 'folder for the state file, logs, pids and the rendered nginx.conf', DEFAULT_TOPOLOGY_DIR)
    .option('--gateways <n>', 'gateway processes behind nginx (1-16)', '2')
    .option('--generators <n>', 'generator processes (1-64)', '4')
    .option('--cache-dir <dir>', 'frame corpus cache folder of gateways and generators')
    .option('--generator-args <flags>', 'extra flags for every `bench generate`, e.g. "--first-frame \'300ms ± 50ms\' --concurrency 8"')
    .option('--gateway-args <flags>', 'extra flags for every `bench serve --gateway`, e.g. "--heartbeat 10000"')
    .action(async (f: { dir: string; gateways: string; generators: string; cacheDir?: string; generatorArgs?: string; gatewayArgs?: string }) => {
      const state = await topologyUp({
        dir: f.dir,
        gateways: int('--gateways', f.gateways),
        generators: int('--generators', f.generators),
        cacheDir: f.cacheDir,
        generatorArgs: splitArgs(f.generatorArgs),
        gatewayArgs: splitArgs(f.gatewayArgs),
        onLog: (line) => out(`bench topology: ${line}`),
      });
      out(`bench topology: up · target ${state.url}`);
      out(`bench topology: logs, pids and nginx.conf in ${state.dir} (state: ${state.dir}/topology.json)`);
      out(`bench topology: try \`bench soak scenarios/topology.yaml --target ${state.url}\`; stop with \`bench topology down --dir ${f.dir}\``);
    });
}

/** Splits "--a 1 --b 'x y'" like a shell would for simple quoting. */
export function splitArgs(text: string | undefined): string[] {
  if (!text) return [];
  const args: string[] = [];
  for (const m of text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) args.push(m[1] ?? m[2] ?? m[3]!);
  return args;
}

function downCommand(): Command {
  return new Command('down')
    .description('stop every part of the topology started from --dir (nothing is left running)')
    .option('--dir <dir>', 'folder given to `bench topology up`', DEFAULT_TOPOLOGY_DIR)
    .action(async (f: { dir: string }) => {
      const stopped = await topologyDown(f.dir);
      out(stopped.length > 0 ? `bench topology: stopped ${stopped.join(', ')}` : `bench topology: nothing running from ${f.dir}`);
    });
}

function statusCommand(): Command {
  return new Command('status')
    .description('list the parts with pid, port and health, and check a WebSocket upgrade through nginx; exit 1 when a part is unhealthy')
    .option('--dir <dir>', 'folder given to `bench topology up`', DEFAULT_TOPOLOGY_DIR)
    .option('--json', 'print the status as JSON')
    .action(async (f: { dir: string; json?: boolean }) => {
      const s = await topologyStatus(f.dir);
      if (!s) {
        out(`bench topology: nothing running from ${f.dir} (start it with \`bench topology up --dir ${f.dir}\`)`);
        process.exitCode = 1;
        return;
      }
      const ok = s.websocket && s.parts.every((p) => p.healthy);
      if (f.json) out(JSON.stringify({ ok, url: s.state.url, websocket: s.websocket, queueDepth: s.queueDepth ?? null, parts: s.parts }, null, 2));
      else {
        out(`target ${s.state.url} · WebSocket through nginx: ${s.websocket ? 'ok' : 'FAILING'} · jobs waiting in the queue: ${s.queueDepth ?? 'unknown'}`);
        for (const p of s.parts) out(`  ${p.name.padEnd(12)} pid ${String(p.pid).padEnd(7)} port ${String(p.port).padEnd(6)} ${p.healthy ? 'healthy' : p.alive ? 'UNHEALTHY' : 'DOWN'}  ${p.log}`);
      }
      if (!ok) process.exitCode = 1;
    });
}

export function topologyCommand(): Command {
  return new Command('topology')
    .description('run the production topology locally: nginx → gateways (bench serve --gateway) → Redis → generators (bench generate)')
    .addCommand(upCommand())
    .addCommand(downCommand())
    .addCommand(statusCommand());
}
