// Settings of a diff (significance level, minimum effect and absolute floor per metric) and of the
// CI gate (--fail-on, --max-regression), parsed from flag values with errors naming the flag.
import { UsageError } from '../errors.js';
import { DIFF_METRICS, METRIC_KEYS, metricByKey, type DiffMetric } from './metrics.js';

export interface DiffSettings {
  alpha: number;
  /** Minimum relative effect per metric key, as a fraction (0.05 = 5 %). */
  minEffect: Record<string, number>;
  /** Absolute floor per metric key, in the metric's unit. */
  floor: Record<string, number>;
}

export type FailOn = 'worse' | 'any-worse';

export interface Tolerance {
  kind: 'pct' | 'abs';
  /** A fraction for 'pct', the metric's unit for 'abs'. */
  value: number;
  text: string;
}

export interface GateSettings {
  failOn?: FailOn;
  /** Tolerated regression per metric key ('*' for every metric). */
  maxRegression: Record<string, Tolerance>;
}

export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_MIN_EFFECT = 0.05;
export const FAIL_ON_VALUES: readonly FailOn[] = ['worse', 'any-worse'];

export function defaultSettings(): DiffSettings {
  return {
    alpha: DEFAULT_ALPHA,
    minEffect: Object.fromEntries(DIFF_METRICS.map((m) => [m.key, DEFAULT_MIN_EFFECT])),
    floor: Object.fromEntries(DIFF_METRICS.map((m) => [m.key, m.floor])),
  };
}

const KEYS_HELP = `one of ${METRIC_KEYS.join(', ')}`;

/** Splits "metric=value" (or a bare "value" meaning every metric) and checks the metric name. */
function splitEntry(flag: string, entry: string, example: string): { keys: string[]; value: string } {
  const eq = entry.indexOf('=');
  if (eq === -1) return { keys: [...METRIC_KEYS], value: entry.trim() };
  const key = entry.slice(0, eq).trim();
  const value = entry.slice(eq + 1).trim();
  if (key === '*') return { keys: [...METRIC_KEYS], value };
  if (!metricByKey(key)) throw new UsageError(`${flag} ${entry}: unknown metric "${key}"; expected ${KEYS_HELP} (e.g. ${flag} ${example})`);
  return { keys: [key], value };
}

function percent(flag: string, entry: string, text: string, example: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (!m) throw new UsageError(`${flag} ${entry}: expected a percentage such as 10%, optionally after a metric name (e.g. ${flag} ${example})`);
  return Number(m[1]) / 100;
}

function amount(metric: DiffMetric | undefined, text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(text);
  if (!m) return undefined;
  const unit = m[2];
  if (unit !== undefined && metric?.unit !== 'ms') return undefined;
  return Number(m[1]) * (unit === 's' ? 1000 : 1);
}

export function parseAlpha(text: string | undefined): number {
  if (text === undefined) return DEFAULT_ALPHA;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0 || v >= 0.5) throw new UsageError(`--alpha ${text}: expected a significance level between 0 and 0.5, e.g. --alpha 0.01`);
  return v;
}

export function parseFailOn(text: string | undefined): FailOn | undefined {
  if (text === undefined) return undefined;
  if ((FAIL_ON_VALUES as string[]).includes(text)) return text as FailOn;
  throw new UsageError(`--fail-on ${text}: expected ${FAIL_ON_VALUES.join(' or ')}`);
}

/** Applies --min-effect [metric=]N% and --floor metric=VALUE entries to the defaults. */
export function parseSettings(flags: { minEffect?: string[]; floor?: string[]; alpha?: string }): DiffSettings {
  const settings = defaultSettings();
  settings.alpha = parseAlpha(flags.alpha);
  for (const entry of flags.minEffect ?? []) {
    const { keys, value } = splitEntry('--min-effect', entry, 'frame.p99=10%');
    const fraction = percent('--min-effect', entry, value, 'frame.p99=10%');
    for (const k of keys) settings.minEffect[k] = fraction;
  }
  for (const entry of flags.floor ?? []) {
    if (!entry.includes('=')) throw new UsageError(`--floor ${entry}: expected metric=value, e.g. --floor frame.p99=2ms`);
    const { keys, value } = splitEntry('--floor', entry, 'frame.p99=2ms');
    const key = keys[0]!;
    if (keys.length > 1) throw new UsageError(`--floor ${entry}: name one metric (floors are in the metric's unit), e.g. --floor frame.p99=2ms`);
    const v = amount(metricByKey(key), value);
    if (v === undefined) throw new UsageError(`--floor ${entry}: expected a non-negative number in the metric's unit (ms for latency: 2 or 2ms), e.g. --floor frame.p99=2ms`);
    settings.floor[key] = v;
  }
  return settings;
}

/** Parses --max-regression [metric=]N% or metric=VALUE (absolute, in the metric's unit). */
export function parseGate(flags: { failOn?: string; maxRegression?: string[] }): GateSettings {
  const gate: GateSettings = { failOn: parseFailOn(flags.failOn), maxRegression: {} };
  for (const entry of flags.maxRegression ?? []) {
    const { keys, value } = splitEntry('--max-regression', entry, 'frame.p99=10%');
    const all = keys.length > 1;
    let tolerance: Tolerance;
    if (value.endsWith('%')) tolerance = { kind: 'pct', value: percent('--max-regression', entry, value, 'frame.p99=10%'), text: value };
    else {
      const v = all ? undefined : amount(metricByKey(keys[0]!), value);
      if (v === undefined) {
        throw new UsageError(`--max-regression ${entry}: expected a percentage (10%) or, after a metric name, an amount in its unit (frame.p99=5ms)`);
      }
      tolerance = { kind: 'abs', value: v, text: value };
    }
    if (all) gate.maxRegression['*'] = tolerance;
    else gate.maxRegression[keys[0]!] = tolerance;
  }
  return gate;
}
