// Validates a parsed results file against the published JSON Schema (schema/results.schema.json,
// framebench/results@1) and checks every HDR histogram decodes; errors name the cell and the field.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { MAX_NESTING, nestingDepth } from '../input-bounds.js';
import { clip } from '../text/sanitize.js';
import { decodeHistogram } from '../metrics/hdr.js';

const SCHEMA_URL = new URL('../../schema/results.schema.json', import.meta.url);
let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as object);
  return validator;
}

/** "cells[2] (webp-480p): counts.framesExpected" from a JSON pointer into the document. */
function describePath(doc: unknown, pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  let node: unknown = doc;
  for (const p of parts) {
    const isIndex = /^\d+$/.test(p) && Array.isArray(node);
    out = isIndex ? `${out}[${p}]` : out ? `${out}.${p}` : p;
    node = (node as Record<string, unknown> | undefined)?.[p];
    if (isIndex && typeof (node as { id?: unknown })?.id === 'string') out += ` (${clip((node as { id: string }).id, 60)})`;
  }
  return out || '(top level)';
}

function describeError(doc: unknown, e: ErrorObject): string {
  const where = describePath(doc, e.instancePath);
  if (e.keyword === 'required') return `${where}: missing field "${(e.params as { missingProperty: string }).missingProperty}"`;
  let got: string;
  try {
    got = clip(JSON.stringify(valueAt(doc, e.instancePath)) ?? 'nothing', 40);
  } catch {
    got = '(a value that cannot be shown)';
  }
  return `${where}: ${e.message ?? 'invalid'}, got ${got}`;
}

function valueAt(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const p of pointer.split('/').slice(1)) node = (node as Record<string, unknown> | undefined)?.[p];
  return node;
}

/** Undefined when the document is a valid results file; else one message naming the field. */
export function resultsProblem(doc: unknown): string | undefined {
  const depth = nestingDepth(doc);
  if (depth > MAX_NESTING) return `nested more than ${MAX_NESTING} levels deep: not a framebench results file`;
  const validate = compiled();
  if (!validate(doc)) return describeError(doc, validate.errors![0]!);
  const cells = (doc as { cells: Array<Record<string, unknown>> }).cells;
  const stack: Array<[Record<string, unknown>, string]> = cells.map((c, i) => [c, `/cells/${i}`]);
  while (stack.length > 0) {
    const [cell, at] = stack.pop()!;
    const latency = cell.latencyMs as Record<string, { hdr: string }>;
    for (const [name, summary] of Object.entries(latency)) {
      if (!hdrOk(summary.hdr)) return `${describePath(doc, `${at}/latencyMs/${name}/hdr`)}: not a valid HDR histogram (compressed base64)`;
    }
    const series = (cell.timeseries as Array<{ hdr?: string }> | undefined) ?? [];
    for (const [i, p] of series.entries()) {
      if (p.hdr !== undefined && !hdrOk(p.hdr)) return `${describePath(doc, `${at}/timeseries/${i}/hdr`)}: not a valid HDR histogram (compressed base64)`;
    }
    const repeats = (cell.repeats as Array<Record<string, unknown>> | undefined) ?? [];
    repeats.forEach((r, i) => stack.push([r, `${at}/repeats/${i}`]));
  }
  return undefined;
}

function hdrOk(base64: string): boolean {
  if (base64 === '') return true;
  try {
    decodeHistogram(base64);
    return true;
  } catch {
    return false;
  }
}
