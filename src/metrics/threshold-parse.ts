// Parses a scenario's k6-style thresholds once, into { metric, op, bound, where, optional } and the
// canonical text `expr`; results keep these fields, so no reader parses a threshold again.
//
// Map form:   thresholds: { "frame.p99": "< 150", "counts.framesLost": ["== 0"] }
// List form:  thresholds: [ { metric: frame.p99, check: "< 150", where: { format: webp } } ]
// `where` restricts a threshold to cells whose params match every key (a value or a list of
// values, compared as strings); a cell lacking the key does not match. Metric paths are those of
// the metric catalogue (src/metrics/catalogue.ts). `optional: true` turns "not measured" into
// "skipped". Spellings: list form `{ metric, check, optional: true }`; map form
// `"frame.p99": { check: "< 150", optional: true }` (also inside a list of checks).
import { ScenarioError } from '../errors.js';
import { metricError } from './catalogue.js';

export const OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Operator = (typeof OPERATORS)[number];
export type Scalar = string | number | boolean;

export interface ThresholdSpec {
  metric: string;
  op: Operator;
  bound: number;
  /** Canonical text, e.g. "frame.p99 < 150"; the `expr` of its ThresholdResult. */
  expr: string;
  where?: Record<string, Scalar[]>;
  /** Skipped (not failed) when not measured. */
  optional?: boolean;
}

/** A threshold (cell or drift) the scenario spells wrong: `field` names where, `detail` what and the fix. */
export class ThresholdSyntaxError extends ScenarioError {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

const CHECK = /^\s*(<=|>=|==|!=|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*$/i;

function parseCheck(raw: unknown, field: string): { op: Operator; bound: number } {
  const m = typeof raw === 'string' ? CHECK.exec(raw) : null;
  if (!m) {
    throw new ThresholdSyntaxError(field, `${JSON.stringify(raw)} is not a check; expected an operator (${OPERATORS.join(', ')}) and a number, e.g. "< 150"`);
  }
  return { op: m[1] as Operator, bound: Number(m[2]) };
}

function spec(metric: string, check: unknown, field: string, where?: Record<string, Scalar[]>, optional?: boolean): ThresholdSpec {
  const { op, bound } = parseCheck(check, field);
  const out: ThresholdSpec = { metric, op, bound, expr: `${metric} ${op} ${bound}` };
  if (where) out.where = where;
  if (optional) out.optional = true;
  return out;
}

function parseOptional(raw: unknown, field: string): boolean | undefined {
  if (raw === undefined || typeof raw === 'boolean') return raw;
  throw new ThresholdSyntaxError(field, `expected true or false, got ${JSON.stringify(raw)}`);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isScalar = (x: unknown): x is Scalar => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';

function parseWhere(raw: unknown, field: string): Record<string, Scalar[]> {
  if (!isObject(raw)) throw new ThresholdSyntaxError(field, 'expected a map of cell params to a value or a list of values, e.g. { format: webp }');
  const out: Record<string, Scalar[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || !values.every(isScalar)) {
      throw new ThresholdSyntaxError(`${field}.${key}`, `${JSON.stringify(value)} is not a string, number, boolean or a non-empty list of them`);
    }
    out[key] = values;
  }
  return out;
}

const ITEM_KEYS = ['metric', 'check', 'where', 'optional'];
const CHECK_KEYS = ['check', 'optional'];

/** A map-form check: "< 150" or { check: "< 150", optional: true }. */
function mapCheck(metric: string, raw: unknown, field: string): ThresholdSpec {
  if (!isObject(raw)) return spec(metric, raw, field);
  for (const key of Object.keys(raw)) {
    if (!CHECK_KEYS.includes(key)) throw new ThresholdSyntaxError(`${field}.${key}`, `unknown key; allowed: ${CHECK_KEYS.join(', ')} (use the list form for where)`);
  }
  return spec(metric, raw.check, `${field}.check`, undefined, parseOptional(raw.optional, `${field}.optional`));
}

function parseItem(raw: unknown, field: string): ThresholdSpec {
  if (!isObject(raw)) throw new ThresholdSyntaxError(field, `expected { metric, check, where?, optional? }, got ${JSON.stringify(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!ITEM_KEYS.includes(key)) throw new ThresholdSyntaxError(`${field}.${key}`, `unknown key; allowed: ${ITEM_KEYS.join(', ')}`);
  }
  if (typeof raw.metric !== 'string') throw new ThresholdSyntaxError(`${field}.metric`, `expected a metric path such as "frame.p99", got ${JSON.stringify(raw.metric)}`);
  const problem = metricError(raw.metric);
  if (problem) throw new ThresholdSyntaxError(`${field}.metric`, problem);
  const where = raw.where === undefined ? undefined : parseWhere(raw.where, `${field}.where`);
  return spec(raw.metric, raw.check, `${field}.check`, where, parseOptional(raw.optional, `${field}.optional`));
}

/** Parses the scenario's `thresholds` (map or list form; null/undefined means none). */
export function parseThresholds(raw: unknown): ThresholdSpec[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw.map((item, i) => parseItem(item, `thresholds[${i}]`));
  if (!isObject(raw)) {
    throw new ThresholdSyntaxError('thresholds', `expected a map of metric to check or a list of { metric, check, where? }, got ${JSON.stringify(raw)}`);
  }
  const out: ThresholdSpec[] = [];
  for (const [metric, checks] of Object.entries(raw)) {
    const field = `thresholds.${JSON.stringify(metric)}`;
    const problem = metricError(metric);
    if (problem) throw new ThresholdSyntaxError(field, problem);
    if (Array.isArray(checks)) checks.forEach((c, i) => out.push(mapCheck(metric, c, `${field}[${i}]`)));
    else out.push(mapCheck(metric, checks, field));
  }
  return out;
}

/**
 * The structured fields of a threshold result. Results written before they were stored carry only
 * the canonical `expr` ("frame.p99 < 150", as parseThresholds writes it), read here by the same
 * grammar; any other text has no structure (shown as written).
 */
export function thresholdFields(t: { expr: string; metric?: string; op?: string; bound?: number }): { metric: string; op: Operator; bound: number } | undefined {
  if (t.metric !== undefined && isOperator(t.op) && typeof t.bound === 'number') return { metric: t.metric, op: t.op, bound: t.bound };
  const parts = t.expr.split(' ');
  if (parts.length !== 3) return undefined;
  const [metric = '', op, text = ''] = parts;
  const bound = Number(text);
  if (!isOperator(op) || text === '' || !Number.isFinite(bound) || metricError(metric) !== undefined) return undefined;
  return { metric, op, bound };
}

const isOperator = (x: unknown): x is Operator => typeof x === 'string' && (OPERATORS as readonly string[]).includes(x);
