// The top of an exported k6 script's client code, as JavaScript text (plain ES2017, k6 v0.47's
// runtime): framebench's metrics as k6 metrics, wire constants, the per-VU state that outlives an
// iteration (request ids, reconnect attempts, clock offset), the protocol in use and small helpers.
// No template literals in the text: it sits in one.
import { RAMP_DOWN_SLICE_MS } from './export-plan.js';
import { K6_METRICS } from './metric-names.js';

function metricDeclarations(): string {
  const ctor = { trend: 'Trend', counter: 'Counter', rate: 'Rate', gauge: 'Gauge' } as const;
  return Object.entries(K6_METRICS)
    .map(([key, m]) => `  ${key}: new ${ctor[m.kind]}('${m.name}'${'time' in m && m.time ? ', true' : ''}),`)
    .join('\n');
}

export function preludeSource(): string {
  return `
/** framebench's metrics, one k6 metric each (see the README's k6 section). */
const M = {
${metricDeclarations()}
};

const HEADER_BYTES = 32;
const RAMP_DOWN_SLICE_MS = ${RAMP_DOWN_SLICE_MS};
const HEADER_MAGIC = 0xfb42;
const HEADER_VERSION = 1;
/** frame_loss samples one request may add for its lost frames. */
const MAX_LOSS_SAMPLES = 1000000;

/**
 * Per VU, across iterations (one iteration = one connection). offsetMs: server clock − local clock
 * from the clock exchange with the smallest round trip (remote targets only, as framebench does).
 */
const vu = { nextRequestId: 1, attempt: 0, lostAt: 0, offsetMs: 0, bestRttMs: Infinity, session: '' };
const P = PROTOCOL ? declarativeProtocol(PROTOCOL) : referenceProtocol();
const SYNC_CLOCK = P.reference && (__ENV.CLOCK_SYNC ? __ENV.CLOCK_SYNC === '1' : !/^wss?:\\/\\/(127\\.|localhost[:/]|\\[::1\\])/.test(TARGET));

/** @param {string} kind */
function error(kind) {
  M.errors.add(1, { kind: kind });
}

/** The cell this k6 scenario runs (a plain \`k6 run --vus N\` runs the first one). */
function currentCell() {
  const cell = CELLS[exec.scenario.name];
  return cell || CELLS[Object.keys(CELLS)[0] || ''];
}

/** TARGET with the protocol's upgrade query parameters. */
function targetUrl() {
  const keys = Object.keys(P.query);
  if (!keys.length) return TARGET;
  const q = keys.map((k) => encodeURIComponent(k) + '=' + encodeURIComponent(String(P.query[k]))).join('&');
  return TARGET + (TARGET.indexOf('?') >= 0 ? '&' : '?') + q;
}

function uuid() {
  const hex = '0123456789abcdef';
  let out = '';
  for (let i = 0; i < 36; i++) out += i === 8 || i === 13 || i === 18 || i === 23 ? '-' : i === 14 ? '4' : hex[Math.floor(Math.random() * 16)];
  return out;
}
`;
}
