// framebench thresholds → k6 thresholds. framebench evaluates every threshold per cell, so each
// becomes one k6 threshold per cell it applies to, on the submetric `{cell:ID}`; what k6 cannot
// express (ratios of two counters, window throughput, …) is listed as not translated, and
// `bench import k6` evaluates every threshold on the imported results anyway.
import type { ThresholdSpec } from '../metrics/thresholds.js';
import type { CellPlan } from '../scenario/sweep.js';
import { K6_BUILTINS, K6_METRICS, CELL_TAG } from './metric-names.js';

const TREND_STAT: Record<string, string | undefined> = {
  min: 'min',
  mean: 'avg',
  p50: 'med',
  p90: 'p(90)',
  p95: 'p(95)',
  p99: 'p(99)',
  p999: 'p(99.9)',
  max: 'max',
};

const TRENDS: Record<string, string | undefined> = {
  frame: K6_METRICS.frameLatency.name,
  lateness: K6_METRICS.lateness.name,
  firstFrame: K6_METRICS.firstFrame.name,
  connect: K6_BUILTINS.connecting,
  gap: K6_METRICS.gap.name,
  timeToDone: K6_METRICS.timeToDone.name,
};

const COUNTERS: Record<string, string | undefined> = {
  framesExpected: K6_METRICS.framesExpected.name,
  framesReceived: K6_METRICS.framesReceived.name,
  framesLost: K6_METRICS.framesLost.name,
  framesDuplicated: K6_METRICS.framesDuplicated.name,
  requests: K6_METRICS.requests.name,
  requestsCompleted: K6_METRICS.requestsCompleted.name,
  reconnects: K6_METRICS.reconnects.name,
  connectFailures: K6_METRICS.connectFailures.name,
  errors: K6_METRICS.errors.name,
  messagesBinary: K6_METRICS.messagesBinary.name,
  messagesText: K6_METRICS.messagesText.name,
};

/** One framebench metric path → k6 metric and aggregation, or why it cannot be translated. */
export function k6Aggregation(metric: string): { metric: string; stat: string } | { reason: string } {
  const [group = '', a = '', b] = metric.split('.');
  const trend = TRENDS[group];
  if (trend) {
    if (a === 'count') return { reason: 'k6 trends have no count threshold' };
    const stat = TREND_STAT[a];
    return stat ? { metric: trend, stat } : { reason: `no k6 aggregation for ${a}` };
  }
  if (group === 'playback' && (a === 'startupMs' || a === 'displayLatency') && b) {
    const stat = TREND_STAT[b];
    return stat ? { metric: a === 'startupMs' ? K6_METRICS.startup.name : K6_METRICS.displayLatency.name, stat } : { reason: 'k6 trends have no count threshold' };
  }
  if (group === 'playback' && a === 'stalls') return { metric: K6_METRICS.stalls.name, stat: 'count' };
  if (group === 'playback' && a === 'stallMs') return { metric: K6_METRICS.stallTime.name, stat: 'count' };
  if (group === 'playback' && a === 'stallRatio') return { metric: K6_METRICS.stallRatio.name, stat: 'rate' };
  if (group === 'counts' && a === 'lossRatio') return { metric: K6_METRICS.loss.name, stat: 'rate' };
  if (group === 'counts') {
    const counter = COUNTERS[a];
    if (counter) return { metric: counter, stat: 'count' };
  }
  return { reason: 'k6 cannot compute it from one metric (bench import k6 evaluates it)' };
}

export interface K6Thresholds {
  /** `options.thresholds` of the script. */
  thresholds: Record<string, string[]>;
  /** framebench thresholds k6 cannot check, with the reason. */
  untranslated: Array<{ expr: string; reason: string }>;
}

function matches(spec: ThresholdSpec, plan: CellPlan): boolean {
  if (!spec.where) return true;
  const params = plan.params as Record<string, unknown>;
  return Object.entries(spec.where).every(([key, values]) => key in params && values.some((v) => String(v) === String(params[key])));
}

/**
 * Thresholds per cell, plus fail-closed guards: a cell that received no frame fails
 * (`frames_received{cell:…}` count > 0), as a framebench run would.
 */
export function translateThresholds(specs: readonly ThresholdSpec[], plans: readonly CellPlan[], opts: { serverTimestamps?: boolean } = {}): K6Thresholds {
  const thresholds: Record<string, string[]> = {};
  const untranslated: K6Thresholds['untranslated'] = [];
  const add = (key: string, expr: string): void => {
    const list = (thresholds[key] ??= []);
    if (!list.includes(expr)) list.push(expr);
  };
  const firstRepeats = plans.filter((p) => p.repeat === 0);
  for (const plan of firstRepeats) add(`${K6_METRICS.framesReceived.name}{${CELL_TAG}:${plan.id}}`, 'count>0');
  for (const spec of specs) {
    const agg: ReturnType<typeof k6Aggregation> =
      opts.serverTimestamps === false && spec.metric.startsWith('frame.') ? { reason: 'the protocol carries no server timestamp, so frame latency is not measured (bench import k6 fails it as not measured)' } : k6Aggregation(spec.metric);
    if ('reason' in agg) {
      untranslated.push({ expr: spec.expr, reason: agg.reason });
      continue;
    }
    for (const plan of firstRepeats.filter((p) => matches(spec, p))) {
      add(`${agg.metric}{${CELL_TAG}:${plan.id}}`, `${agg.stat}${spec.op}${spec.bound}`);
    }
  }
  return { thresholds, untranslated };
}
