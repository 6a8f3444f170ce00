// Plain-language text for drift results: "p99 frame latency rose 38 % from the first to the last
// 12 minutes", percent and slope formatting shared by the report, markdown and terminal output,
// and the drift line of the markdown summary.
import type { DriftMetric, DriftReport, SoakResults } from '../results/types.js';

/** Magnitude of a percentage: whole numbers from 10, one decimal below ("3.2 %"). */
export function pctText(pct: number): string {
  const abs = Math.abs(pct);
  const text = abs >= 10 ? String(Math.round(abs)) : String(Number(abs.toFixed(1)));
  return `${text} %`;
}

export function signedPctText(pct: number): string {
  const rounded = Math.abs(pct) >= 10 ? Math.round(pct) : Number(pct.toFixed(1));
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${pctText(pct)}`;
}

/** A span in words: "45 seconds", "12 minutes", "1.5 hours". */
export function spanText(seconds: number): string {
  const round = (x: number): string => String(Number(x >= 10 ? x.toFixed(0) : x.toFixed(1)));
  const unit = (x: number, word: string): string => `${round(x)} ${word}${round(x) === '1' ? '' : 's'}`;
  if (seconds < 120) return unit(seconds, 'second');
  if (seconds < 2 * 3600) return unit(seconds / 60, 'minute');
  return unit(seconds / 3600, 'hour');
}

function compact(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 100) return Math.round(x).toLocaleString('en-US');
  if (abs >= 1) return String(Number(x.toFixed(1)));
  return String(Number(x.toPrecision(2)));
}

function perHour(unit: string): string {
  if (unit === '') return '/h';
  if (unit.startsWith('/')) return `${unit} per h`;
  return unit.includes('/') ? ` ${unit} per h` : ` ${unit}/h`;
}

/** Slope with sign and unit, e.g. "+41 MB/h", "−3.2 ms/h". */
export function slopeText(metric: Pick<DriftMetric, 'slopePerHour' | 'unit'>): string {
  const sign = metric.slopePerHour > 0 ? '+' : metric.slopePerHour < 0 ? '−' : '±';
  return `${sign}${compact(Math.abs(metric.slopePerHour))}${perHour(metric.unit)}`;
}

/** One value with its unit, e.g. "84.2 ms", "412 MB", "1,200 connections". */
export function valueText(value: number, unit: string): string {
  if (unit === '') return compact(value);
  return unit.startsWith('/') ? `${compact(value)}${unit}` : `${compact(value)} ${unit}`;
}

export function driftSentence(m: DriftMetric, edgeSec: number, minPoints: number, minChangePct: number): string {
  if (m.verdict === 'insufficient-data') {
    return `${m.label}: not enough data in the hold phase (${m.points} point${m.points === 1 ? '' : 's'}, need ${minPoints} across the whole hold)`;
  }
  if (m.verdict === 'not-measured') return `${m.label}: not measured (0 in the first ${spanText(edgeSec)} and for most of the hold: no level to judge drift against)`;
  const span = `from the first to the last ${spanText(edgeSec)}`;
  const slope = m.unit === 'MB' ? ` (${slopeText(m)})` : '';
  if (m.verdict === 'drifting') return `${m.label} ${m.changePct > 0 ? 'rose' : 'fell'} ${pctText(m.changePct)} ${span}${slope}`;
  if (Math.abs(m.changePct) >= minChangePct) {
    return `${m.label} changed ${signedPctText(m.changePct)} ${span}, without a consistent trend: stable${slope}`;
  }
  return `${m.label} was stable: ${signedPctText(m.changePct)} ${span}${slope}`;
}

/** One summary line for the whole report, e.g. "drifting: p99 frame latency rose 38 % …; target memory …". */
export function driftSummary(report: DriftReport): string {
  const drifting = report.metrics.filter((m) => m.verdict === 'drifting');
  if (drifting.length > 0) return `drifting: ${drifting.map((m) => m.sentence).join('; ')}`;
  const stable = report.metrics.filter((m) => m.verdict === 'stable').length;
  if (stable > 0) return `stable: no metric drifted over ${spanText(report.window.toSec - report.window.fromSec)} (${stable} of ${report.metrics.length} judged)`;
  if (report.metrics.some((m) => m.verdict === 'not-measured')) return 'not measured: nothing judged (zero baselines or too little data)';
  return 'insufficient data: the hold phase was too short to judge drift';
}

const MARK = { stable: '✅', drifting: '⚠️', 'insufficient-data': '❔', 'not-measured': '❌' } as const;

/** `[line, '']` for the markdown summary when the soak has a drift report, else `[]`; `escape` is the markdown escaper. */
export function driftMarkdownLines(soak: SoakResults | undefined, escape: (text: string) => string): string[] {
  const drift = soak?.drift;
  if (!soak || (!drift && !(soak.driftThresholds ?? []).length)) return [];
  const parts = drift ? [`${MARK[drift.verdict]} ${driftSummary(drift)}`] : ['❌ not measured: no hold phase to analyse'];
  const memory = (drift?.metrics ?? []).filter((m) => m.metric === 'target.memory' && (m.verdict === 'stable' || m.verdict === 'drifting'));
  if (memory.length > 0 && !memory.some((m) => m.verdict === 'drifting')) parts.push(`target memory ${memory.map((m) => slopeText(m)).join(', ')}`);
  if (drift) parts.push(`${drift.churn.reconnectsPerMin.toFixed(1)} reconnects/min`);
  const list = soak.driftThresholds ?? [];
  const failed = list.filter((t) => !t.ok);
  const skipped = list.filter((t) => t.status === 'skipped');
  const why = (t: (typeof list)[number]): string => (t.value === null ? `not measured${t.reason ? `: ${t.reason}` : ''}` : String(Number(t.value.toPrecision(3))));
  if (failed.length > 0) parts.push(`failed: ${failed.map((t) => `${t.expr} (${why(t)})`).join(', ')}`);
  if (skipped.length > 0) parts.push(`skipped (optional): ${skipped.map((t) => `${t.expr} (${why(t)})`).join(', ')}`);
  return [`**Drift over the hold:** ${escape(parts.join(' · '))}`, ''];
}
