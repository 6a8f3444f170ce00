// A small `k6 run` for tests: runs an exported script's scenarios (constant-vus, ramping-vus) in
// Node, each VU with its own module instance (as k6 gives each VU its own runtime), iterations
// that end when their sockets and timers are done, and samples written as k6 --out json NDJSON.
//   node k6-run.mjs SCRIPT --out FILE [-e KEY=VALUE]...
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Iteration, als, flush, sample, setOutput } from './context.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const shim = (f) => pathToFileURL(join(here, f)).href;
const MODULES = {
  'k6/websockets': shim('websockets.mjs'),
  'k6/experimental/websockets': shim('websockets.mjs'),
  'k6/timers': shim('timers.mjs'),
  'k6/experimental/timers': shim('timers.mjs'),
  'k6/metrics': shim('metrics.mjs'),
  'k6/execution': shim('execution.mjs'),
};

const args = process.argv.slice(2);
const env = {};
let script;
let out;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = args[++i];
  else if (args[i] === '-e') {
    const [k, ...v] = args[++i].split('=');
    env[k] = v.join('=');
  } else script = args[i];
}
setOutput(out);
writeFileSync(out, '');
globalThis.__ENV = env;
globalThis.__VU = 0;

let source = readFileSync(script, 'utf8');
for (const [name, url] of Object.entries(MODULES)) source = source.replaceAll(`from '${name}'`, `from '${url}'`);
const moduleFile = join(dirname(script), 'script.shim.mjs');
writeFileSync(moduleFile, source);
const moduleUrl = pathToFileURL(moduleFile).href;

const ms = (d) => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d);
  if (!m) throw new Error(`duration ${d}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2]];
};
const sleep = (t) => new Promise((r) => setTimeout(r, Math.max(0, t)));

const { options } = await import(moduleUrl);
const t0 = Date.now();
let active = 0;
const vusTimer = setInterval(() => sample('vus', 'gauge', 'default', active, {}), 1000);
let nextVu = 1;

/** Samples of iterations k6 interrupted (gracefulStop / gracefulRampDown ran out), for the tests. */
let interrupted = 0;

/** `flag.offAt`: when a ramping-vus executor stopped this VU; its iteration then gets gracefulRampDown. */
async function vuLoop(scenario, fn, flag, endAt, stopAt, rampDownMs) {
  const vu = nextVu++;
  const mod = await import(`${moduleUrl}?vu=${vu}`);
  active++;
  try {
    while (flag.on && Date.now() < endAt) {
      const iteration = new Iteration();
      als.run({ scenario, vu, iteration }, () => mod[fn]());
      for (;;) {
        if ((await Promise.race([iteration.idle().then(() => 'idle'), sleep(50).then(() => 'tick')])) === 'idle') break;
        const now = Date.now();
        if (now > stopAt || (!flag.on && now > flag.offAt + rampDownMs)) {
          interrupted++;
          for (const h of iteration.handles) h.terminate?.();
          return;
        }
      }
    }
  } finally {
    active--;
  }
}

async function runScenario(name, s) {
  await sleep(t0 + ms(s.startTime ?? '0s') - Date.now());
  const scenario = { name, tags: s.tags ?? {}, executor: s.executor, startTime: Date.now() };
  const fn = s.exec ?? 'default';
  const loops = [];
  if (s.executor === 'constant-vus') {
    const endAt = scenario.startTime + ms(s.duration);
    for (let i = 0; i < s.vus; i++) loops.push(vuLoop(scenario, fn, { on: true }, endAt, endAt + ms(s.gracefulStop ?? '30s'), 0));
  } else if (s.executor === 'ramping-vus') {
    const total = s.stages.reduce((n, st) => n + ms(st.duration), 0);
    const endAt = scenario.startTime + total;
    const flags = [];
    const targetAt = (elapsed) => {
      let from = s.startVUs ?? 0;
      let start = 0;
      for (const st of s.stages) {
        const d = ms(st.duration);
        if (elapsed < start + d) return Math.round(from + (st.target - from) * ((elapsed - start) / d));
        from = st.target;
        start += d;
      }
      return from;
    };
    while (Date.now() < endAt) {
      const target = targetAt(Date.now() - scenario.startTime);
      while (flags.filter((f) => f.on).length < target) {
        const flag = { on: true };
        flags.push(flag);
        loops.push(vuLoop(scenario, fn, flag, endAt, endAt + ms(s.gracefulStop ?? '30s'), ms(s.gracefulRampDown ?? '30s')));
      }
      const on = flags.filter((f) => f.on);
      for (let i = on.length - 1; i >= target; i--) {
        on[i].on = false;
        on[i].offAt = Date.now();
      }
      await sleep(20);
    }
  } else throw new Error(`executor ${s.executor} is not in the shim`);
  await Promise.all(loops);
}

await Promise.all(Object.entries(options.scenarios).map(([name, s]) => runScenario(name, s)));
clearInterval(vusTimer);
flush();
process.stderr.write(`k6 shim: ${interrupted} iteration(s) interrupted\n`);
