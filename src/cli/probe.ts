// `bench probe TARGET`: first contact with a server framebench did not write. Sends one request,
// prints the messages that come back classified, the delivered fps and time to first frame, and
// (with -o) writes a starter scenario whose protocol: block measures that server.
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseResolution } from '../frames/resolution.js';
import { createAdapter, withQuery } from '../protocol/adapters/index.js';
import { Classified } from '../protocol/adapters/types.js';
import { infer } from '../probe/infer.js';
import { observe } from '../probe/observe.js';
import { probeReport, starterScenario, starterYaml } from '../probe/report.js';
import { loadScenario, validateScenario } from '../scenario/load.js';
import { parseDuration } from '../text/duration.js';
import { requestContext } from '../client/stream-context.js';
import { checkTarget } from './common.js';
import { collect, parseHeaders } from './flags.js';

interface ProbeFlags {
  request?: string;
  header: string[];
  scenario?: string;
  seconds: string;
  maxMessages: string;
  out?: string;
}

/** framebench's own generate request, used when no --request is given. */
const REFERENCE_REQUEST = JSON.stringify({ type: 'generate', requestId: 1, session: 'probe', format: 'webp', resolution: '480p', quality: 75, fps: 30, frames: 30 });

export function probeCommand(): Command {
  return new Command('probe')
    .description('first contact with a server: send one request, classify what comes back, and write a starter scenario with a matching protocol: block')
    .argument('<target>', 'ws:// or wss:// URL of the server, e.g. ws://127.0.0.1:8000/generate')
    .option('-r, --request <json>', 'the request to send, as your clients send it (JSON or text); "none" sends nothing (servers that stream on connect). Default: framebench\'s generate request')
    .option('-H, --header <header>', 'upgrade header, e.g. "Authorization: Bearer $TOKEN" (repeatable; secrets are not written to the scenario)', collect, [])
    .option('--scenario <file>', "check an existing scenario's protocol: block against the server instead of guessing one")
    .option('--seconds <duration>', 'how long to watch at most', '10s')
    .option('--max-messages <n>', 'messages to keep at most', '2000')
    .option('-o, --out <file>', 'write a starter scenario (YAML) that bench run accepts as it is')
    .addHelpText(
      'after',
      `\nExamples:\n  bench probe ws://127.0.0.1:8000/ws --request '{"type":"generate","request_id":"r1","prompt":"a fox","count":30}' -o my-server.yaml\n  bench run my-server.yaml\n  bench probe ws://127.0.0.1:8000/ws --scenario my-server.yaml     # does the block still fit?\n\nExit codes: 0 the stream fits a protocol block · 1 what the server sent does not fit · 2 bad usage · 3 target unreachable`,
    )
    .action(async (target: string, flags: ProbeFlags) => {
      checkTarget(target);
      const timeoutMs = parseDuration(flags.seconds);
      if (timeoutMs === undefined || timeoutMs <= 0) throw new UsageError(`--seconds ${flags.seconds}: expected a duration such as 5s or 1500ms`);
      const maxMessages = Number(flags.maxMessages);
      if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > 100_000) throw new UsageError(`--max-messages ${flags.maxMessages}: expected a whole number from 1 to 100000`);
      const headers = parseHeaders(flags.header);
      if (flags.scenario) return checkScenario(target, flags.scenario, headers, timeoutMs, maxMessages);
      const request = flags.request === 'none' ? undefined : (flags.request ?? REFERENCE_REQUEST);
      if (flags.request === undefined) process.stderr.write("no --request given: sending framebench's own generate request\n");
      const obs = await observe(target, request, { wsOptions: { headers }, timeoutMs, maxMessages });
      const inf = infer(obs);
      process.stdout.write(`${probeReport(obs, inf)}\n`);
      if (flags.out) {
        const doc = starterScenario(inf, { url: target, name: `probe-${new URL(target).hostname}`, headers: flags.header });
        validateScenario(flags.out, doc);
        await writeFile(flags.out, starterYaml(doc, obs, inf));
        process.stdout.write(`\nwrote ${flags.out}: run it with \`bench run ${flags.out}\`; check it later with \`bench probe ${target} --scenario ${flags.out}\`\n`);
      }
      process.exitCode = inf.problems.length || inf.frames === 0 ? 1 : 0;
    });
}

async function checkScenario(target: string, file: string, headers: Record<string, string>, timeoutMs: number, maxMessages: number): Promise<void> {
  const { scenario } = await loadScenario(file);
  const adapter = await createAdapter(scenario.protocol);
  const dims = parseResolution(scenario.resolution) ?? { width: 0, height: 0 };
  const frames = scenario.framesPerRequest === 'continuous' ? 0 : scenario.framesPerRequest;
  const wire = adapter.wireId(1, 'probe');
  const request = adapter.request(requestContext(adapter, scenario, dims, 0, 'probe', 1, wire, frames));
  const kinds: Record<string, number> = {};
  const m = new Classified();
  const obs = await observe(withQuery(target, adapter.upgrade.query), request, {
    wsOptions: { headers: { ...adapter.upgrade.headers, ...headers } },
    subprotocols: adapter.upgrade.subprotocols,
    timeoutMs,
    maxMessages,
    onRaw: (data, isBinary) => {
      adapter.classify(data, isBinary, m);
      const k = m.kind === 'unrecognized' || m.kind === 'error' ? `${m.kind} (${m.code})` : m.kind;
      kinds[k] = (kinds[k] ?? 0) + 1;
    },
  });
  const inf = infer(obs);
  process.stdout.write(
    `${probeReport(obs, inf)}\n\n${file} protocol (${adapter.name}) reads them as: ${
      Object.entries(kinds)
        .map(([k, n]) => `${k} ×${n}`)
        .join(', ') || 'nothing (no message)'
    }\n`,
  );
  const bad = Object.entries(kinds).filter(([k]) => !/^(frame|done|ignore)$/.test(k));
  const got = kinds.frame ?? 0;
  if (got === 0) process.stdout.write(`does not fit: no message was read as a frame; run without --scenario to see what the server sends\n`);
  else if (bad.length) process.stdout.write(`does not fit: ${bad.map(([k, n]) => `${n} ${k}`).join(', ')}\n`);
  else if (frames > 0 && got !== frames) process.stdout.write(`does not fit: the request asked for ${frames} frames and ${got} were read as frames\n`);
  else process.stdout.write('fits: every message was read as a frame, the end of the stream or a message to ignore\n');
  process.exitCode = got === 0 || bad.length || (frames > 0 && got !== frames) ? 1 : 0;
}
