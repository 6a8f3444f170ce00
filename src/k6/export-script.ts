// Writes the k6 script for a scenario: imports for the chosen k6 API flavour, the options
// (one k6 scenario per cell, thresholds), the cell table and the client runtime.
import { UsageError } from '../errors.js';
import { parseThresholds, type ThresholdSpec } from '../metrics/thresholds.js';
import { formatDuration, parseDuration } from '../text/duration.js';
import type { Scenario } from '../scenario/schema.js';
import { TOOL_NAME, toolVersion } from '../version.js';
import { planK6, type K6Plan } from './export-plan.js';
import { accountingSource } from './script-accounting.js';
import { protocolSource } from './script-protocol.js';
import { runtimeSource } from './script-runtime.js';
import { translateThresholds, type K6Thresholds } from './thresholds.js';

/**
 * `0.47`: k6 v0.47 … v0.53 (`k6/experimental/websockets`, `k6/experimental/timers`, binaryType
 * fixed to 'arraybuffer'). `1`: k6 ≥ v0.54 including 1.x (`k6/websockets`, `k6/timers`,
 * binaryType set to 'arraybuffer').
 */
export const K6_FLAVOURS = ['0.47', '1'] as const;
export type K6Flavour = (typeof K6_FLAVOURS)[number];

export interface ExportOptions {
  flavour: K6Flavour;
  /** Scenario file, named in the script's header. */
  file?: string;
}

export interface ExportedScript {
  source: string;
  plan: K6Plan;
  thresholds: K6Thresholds;
}

const IMPORTS: Record<K6Flavour, string> = {
  '0.47': ["import { WebSocket } from 'k6/experimental/websockets';", "import { setTimeout, clearTimeout } from 'k6/experimental/timers';"].join('\n'),
  '1': ["import { WebSocket } from 'k6/websockets';", "import { setTimeout, clearTimeout } from 'k6/timers';"].join('\n'),
};

const SET_BINARY_TYPE: Record<K6Flavour, string> = {
  '0.47': ['/** k6 v0.47 delivers binary messages as ArrayBuffer; binaryType is read-only there. @param {WebSocket} ws */', 'function setBinaryType(ws) {', '  void ws;', '}'].join('\n'),
  '1': [
    '/** k6 ≥ v0.54 defaults to Blob; frames are parsed from an ArrayBuffer. @param {WebSocket} ws */',
    'function setBinaryType(ws) {',
    "  ws.binaryType = /** @type {WebSocket['binaryType']} */ (/** @type {unknown} */ ('arraybuffer'));",
    '}',
  ].join('\n'),
};

function header(scenario: Scenario, opts: ExportOptions, plan: K6Plan, t: K6Thresholds): string {
  const lines = [
    `// k6 script for the framebench scenario "${scenario.name}"${opts.file ? ` (${opts.file})` : ''}, written by ${TOOL_NAME} ${toolVersion()}`,
    `// (bench export k6). Targets k6 ${opts.flavour === '0.47' ? 'v0.47 … v0.53 (k6/experimental/websockets)' : '≥ v0.54 and 1.x (k6/websockets)'}.`,
    '//',
    "//   k6 run script.js                                   # the scenario's target",
    '//   k6 run -e TARGET=ws://host:8080/ script.js         # another target; -e TOKEN=… sends Authorization: Bearer',
    '//   k6 run --out json=out.ndjson script.js && bench import k6 out.ndjson --scenario SCENARIO -o DIR',
    '//',
    `// ${plan.plans.length} k6 scenario(s), one per cell, one after another: about ${formatDuration(plan.totalMs)} in all.`,
    '// Every sample carries the tag cell=<cell id>. Frame latency uses the due time in the frame header and the',
    '// local clock (Date.now(), 1 ms resolution), corrected for a remote target by a clock exchange with the server',
    '// (the one with the smallest round trip per VU; -e CLOCK_SYNC=0 turns it off, CLOCK_SYNC=1 forces it on loopback).',
  ];
  if (t.untranslated.length) {
    lines.push('//', '// Thresholds k6 cannot check here (bench import k6 evaluates them on the imported results):');
    for (const u of t.untranslated) lines.push(`//   ${u.expr}: ${u.reason}`);
  }
  return lines.join('\n');
}

/**
 * The scenario's `protocol:` for the script: null for the reference protocol, the declarative block
 * (idle end in ms) otherwise; a module adapter is custom Node code and cannot run in k6.
 */
export function scriptProtocol(scenario: Scenario): Record<string, unknown> | null {
  const protocol = (scenario as { protocol?: unknown }).protocol;
  if (protocol === undefined || protocol === 'reference') return null;
  if (typeof protocol !== 'object' || protocol === null) throw new UsageError(`bench export k6: protocol ${JSON.stringify(protocol)} is not supported in export`);
  const spec = protocol as Record<string, unknown> & { end?: { idle?: string | number; frames?: boolean } };
  if ('module' in spec) throw new UsageError('bench export k6: protocol: { module } is custom Node code and cannot run in k6; describe the protocol declaratively (request, frames, done, error, ignore) to export it');
  return { ...spec, end: { frames: spec.end?.frames, idleMs: parseDuration(spec.end?.idle ?? '5s') ?? 5000 } };
}

/** Whether a declarative protocol reads a server timestamp from frames (binary header, JSON frame or meta message). */
function hasTimestamps(protocol: Record<string, unknown>): boolean {
  const frames = (protocol.frames ?? {}) as { binary?: unknown; json?: { timestamp?: unknown }; meta?: { timestamp?: unknown } };
  const binary = frames.binary as { timestamp?: unknown } | string | undefined;
  return (typeof binary === 'object' && binary?.timestamp !== undefined) || frames.json?.timestamp !== undefined || frames.meta?.timestamp !== undefined;
}

export function exportK6Script(scenario: Scenario, opts: ExportOptions): ExportedScript {
  const direction = (scenario as { direction?: unknown }).direction;
  if (direction !== undefined && direction !== 'download') {
    throw new UsageError(`bench export k6: direction: ${String(direction)} scenarios (cameras uploading frames) are not supported in export; the k6 script runs download (viewer) clients`);
  }
  const transports = new Set([scenario.transport, ...((scenario.sweep?.transport as unknown[] | undefined) ?? [])].map(String));
  const http = [...transports].filter((t) => t !== 'binary' && t !== 'base64-json');
  if (http.length) throw new UsageError(`bench export k6: transport ${http.join(', ')} is not supported in export; the k6 script speaks WebSocket (binary or base64-json)`);
  const protocol = scriptProtocol(scenario);
  const specs: ThresholdSpec[] = parseThresholds(scenario.thresholds);
  const plan = planK6(scenario);
  const thresholds = translateThresholds(specs, plan.plans, { serverTimestamps: protocol === null || hasTimestamps(protocol) });
  const options = {
    scenarios: plan.scenarios,
    thresholds: thresholds.thresholds,
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)'],
  };
  const source = [
    header(scenario, opts, plan, thresholds),
    IMPORTS[opts.flavour],
    "import { Counter, Rate, Trend } from 'k6/metrics';",
    "import exec from 'k6/execution';",
    '',
    `const DEFAULT_TARGET = ${JSON.stringify(scenario.target ?? '')};`,
    'const TARGET = __ENV.TARGET || DEFAULT_TARGET;',
    'if (!TARGET) {',
    "  throw new Error('no target: run with -e TARGET=ws://host:port/path (the scenario has no target: field)');",
    '}',
    "if (!/^wss?:\\/\\//.test(TARGET)) throw new Error('TARGET ' + TARGET + ': expected a ws:// or wss:// URL');",
    '/** @type {Record<string, string>} */',
    "const HEADERS = __ENV.TOKEN ? { Authorization: 'Bearer ' + __ENV.TOKEN } : {};",
    '',
    `/** @type {import('k6/options').Options} */`,
    `export const options = ${JSON.stringify(options, null, 2)};`,
    '',
    '/**',
    " * The cells of the scenario by k6 scenario name; times in ms from the k6 scenario's start.",
    ' * @type {Record<string, { id: string, repeat: number, measureFromMs: number, measureToMs: number, drainMs: number, rampDowns: number[][], format: string, resolution: string, width: number, height: number, quality: number, fps: number, frames: number, bufferDepth: number, transport: string, reconnect: { enabled: boolean, baseMs: number, capMs: number, maxAttempts: number } }>}',
    ' */',
    `const CELLS = ${JSON.stringify(plan.cells, null, 2)};`,
    '',
    "/** The scenario's declarative protocol: block, or null for framebench's reference protocol. @type {any} */",
    `const PROTOCOL = ${JSON.stringify(protocol, null, 2)};`,
    '',
    SET_BINARY_TYPE[opts.flavour],
    protocolSource(),
    accountingSource(),
    runtimeSource(),
  ].join('\n');
  return { source, plan, thresholds };
}
