// JUnit XML for CI test reporters: one <testsuite> for the run inside <testsuites>.
//
// Each cell × threshold is a <testcase classname="<cell id>" name="<expr>">, with a <failure>
// whose message is the measured value when the threshold failed, or "not measured (0 frames)"
// when it had no samples; an optional threshold that was not measured is <skipped>. A cell that
// failed on its own (no frames, no completed request, unreadable messages) gets one failing
// testcase per reason, named "cell: <kind>". A cell without thresholds gets one testcase,
// "completed without connect failures", failing when counts.connectFailures > 0.
// Thresholds are checks, not timed steps: testcases carry time="0"; the suite's time is the
// run's wall-clock duration. An interrupted run is marked by the "interrupted" property.
import { describeThreshold, thresholdStatus } from '../metrics/thresholds.js';
import type { CellResult, Results } from '../results/types.js';

export const NO_THRESHOLD_CASE = 'completed without connect failures';
export const CELL_CASE_PREFIX = 'cell: ';

// Characters XML 1.0 cannot carry at all, even escaped (control characters, lone surrogates).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it removes
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for element content and double- or single-quoted attributes; drops characters XML forbids. */
export function escapeXml(text: string): string {
  return text.replace(INVALID_XML, '').replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

/** Like escapeXml, and keeps newlines and tabs in attribute values through attribute normalisation. */
function attr(text: string): string {
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

interface Case {
  classname: string;
  name: string;
  failure?: { message: string; body: string; type: string };
  skipped?: string;
}

function cellLabel(cell: CellResult): string {
  const params = Object.entries(cell.params).map(([k, v]) => `${k}=${String(v)}`);
  return `cell ${cell.id}${params.length > 0 ? `: ${params.join(', ')}` : ''}`;
}

function casesOf(cell: CellResult): Case[] {
  const own: Case[] = (cell.failures ?? []).map((f) => ({
    classname: cell.id,
    name: `${CELL_CASE_PREFIX}${f.kind}`,
    failure: { message: f.reason, body: `${f.reason}\n${cellLabel(cell)}`, type: 'cell' },
  }));
  if (cell.thresholds.length === 0) {
    const n = cell.counts.connectFailures;
    const c: Case = { classname: cell.id, name: NO_THRESHOLD_CASE };
    if (n > 0) {
      const message = `${n} connect failure${n === 1 ? '' : 's'}`;
      c.failure = { message, body: `${message}\n${cellLabel(cell)}`, type: 'threshold' };
    }
    return [...own, c];
  }
  return [
    ...own,
    ...cell.thresholds.map((t) => {
      const c: Case = { classname: cell.id, name: t.expr };
      const status = thresholdStatus(t);
      const description = describeThreshold(t);
      const message = description.startsWith(`${t.expr}: `) ? description.slice(t.expr.length + 2) : description;
      if (status === 'skipped') c.skipped = message;
      else if (status === 'fail' || status === 'not_measured') c.failure = { message, body: `${description}\n${cellLabel(cell)}`, type: status === 'fail' ? 'threshold' : 'not_measured' };
      return c;
    }),
  ];
}

function seconds(startedAt: string, endedAt: string): string {
  const s = (Date.parse(endedAt) - Date.parse(startedAt)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s.toFixed(3) : '0.000';
}

function renderCase(c: Case): string[] {
  const open = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}" time="0"`;
  if (c.skipped !== undefined) return [`${open}>`, `      <skipped message="${attr(c.skipped)}"/>`, '    </testcase>'];
  if (!c.failure) return [`${open}/>`];
  return [`${open}>`, `      <failure message="${attr(c.failure.message)}" type="${attr(c.failure.type)}">${escapeXml(c.failure.body)}</failure>`, '    </testcase>'];
}

export function renderJunit(results: Results): string {
  const cases = results.cells.flatMap(casesOf);
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const time = seconds(results.startedAt, results.endedAt);
  const name = typeof results.scenario.name === 'string' ? `framebench: ${results.scenario.name}` : 'framebench';
  const counts = `tests="${cases.length}" failures="${failures}" errors="0"`;
  const properties: Array<[string, string]> = [
    ['runId', results.runId],
    ['command', results.command],
    ['target', results.environment.target],
    ['tool', `${results.tool.name} ${results.tool.version}`],
    ['interrupted', String(results.interrupted ?? false)],
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(name)}" ${counts} time="${time}">`,
    `  <testsuite name="${attr(name)}" ${counts} skipped="${skipped}" time="${time}" timestamp="${attr(results.startedAt)}">`,
    '    <properties>',
    ...properties.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`),
    '    </properties>',
    ...cases.flatMap(renderCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
