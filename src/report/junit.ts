// JUnit XML for CI test reporters: one <testsuite> for the run inside <testsuites>.
//
// Each cell × threshold is a <testcase classname="<cell id>" name="<expr>">, with a <failure>
// whose message is the measured value when the threshold failed. A cell without thresholds gets
// one testcase, "completed without connect failures", failing when counts.connectFailures > 0.
// Thresholds are checks, not timed steps: testcases carry time="0"; the suite's time is the
// run's wall-clock duration. An interrupted run is marked by the "interrupted" property.
import { describeFailure } from '../metrics/thresholds.js';
import type { CellResult, Results } from '../metrics/results-types.js';

export const NO_THRESHOLD_CASE = 'completed without connect failures';

// Characters XML 1.0 cannot carry at all, even escaped (control characters, lone surrogates).
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
  failure?: { message: string; body: string };
}

function cellLabel(cell: CellResult): string {
  const params = Object.entries(cell.params).map(([k, v]) => `${k}=${String(v)}`);
  return `cell ${cell.id}${params.length > 0 ? `: ${params.join(', ')}` : ''}`;
}

function casesOf(cell: CellResult): Case[] {
  if (cell.thresholds.length === 0) {
    const n = cell.counts.connectFailures;
    const c: Case = { classname: cell.id, name: NO_THRESHOLD_CASE };
    if (n > 0) {
      const message = `${n} connect failure${n === 1 ? '' : 's'}`;
      c.failure = { message, body: `${message}\n${cellLabel(cell)}` };
    }
    return [c];
  }
  return cell.thresholds.map((t) => {
    const c: Case = { classname: cell.id, name: t.expr };
    if (!t.ok) {
      const description = describeFailure(t);
      const message = description.startsWith(`${t.expr}: `) ? description.slice(t.expr.length + 2) : description;
      c.failure = { message, body: `${description}\n${cellLabel(cell)}` };
    }
    return c;
  });
}

function seconds(startedAt: string, endedAt: string): string {
  const s = (Date.parse(endedAt) - Date.parse(startedAt)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s.toFixed(3) : '0.000';
}

function renderCase(c: Case): string[] {
  const open = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}" time="0"`;
  if (!c.failure) return [`${open}/>`];
  return [
    `${open}>`,
    `      <failure message="${attr(c.failure.message)}" type="threshold">${escapeXml(c.failure.body)}</failure>`,
    '    </testcase>',
  ];
}

export function renderJunit(results: Results): string {
  const cases = results.cells.flatMap(casesOf);
  const failures = cases.filter((c) => c.failure).length;
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
    `  <testsuite name="${attr(name)}" ${counts} skipped="0" time="${time}" timestamp="${attr(results.startedAt)}">`,
    '    <properties>',
    ...properties.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`),
    '    </properties>',
    ...cases.flatMap(renderCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
