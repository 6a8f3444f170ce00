// Chart specs of the soak section: per-window frame latency and frames/s over the hold with their
// Theil–Sen trend lines, and the target's scraped series (memory in MB, connections, event-loop lag).
import { EVENT_LOOP_SERIES, MEMORY_SERIES, isConnectionsName } from '../../soak/series-selector.js';
import { bucketPairs, mean, type Pair } from '../../soak/stats.js';
import type { DriftMetric, DriftReport, ScrapeResult, ScrapeSeries } from '../../results/types.js';
import { formatSeriesId } from '../../soak/prom-text.js';
import { axisTitle, colour, type ChartSpec } from '../../html/chart-spec.js';

const MAX_CHART_POINTS = 600;
const MAX_SCRAPE_CHARTS = 12;
const MAX_LINES = 6;
const line = { pointRadius: 0, pointHitRadius: 4, borderWidth: 1.5, fill: false };

function trendDataset(m: DriftMetric | undefined, window: { fromSec: number; toSec: number }, colourHex: string, axis: string): Record<string, unknown>[] {
  if (!m || m.verdict === 'insufficient-data' || m.verdict === 'not-measured') return [];
  const at = (t: number): number => m.trend.intercept + m.trend.slope * t;
  return [
    {
      ...line,
      label: `${m.label} trend (${m.verdict})`,
      fbUnit: m.unit,
      yAxisID: axis,
      data: [
        { x: window.fromSec, y: at(window.fromSec) },
        { x: window.toSec, y: at(window.toSec) },
      ],
      borderColor: colourHex,
      borderDash: [6, 4],
      borderWidth: m.verdict === 'drifting' ? 2.5 : 1.5,
      pointHitRadius: 0,
    },
  ];
}

const STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** A clock-friendly tick step giving at most ~10 ticks over the span. */
export function tickStep(spanSec: number): number {
  return STEPS.find((s) => spanSec / s <= 10) ?? Math.ceil(spanSec / 10 / 86400) * 86400;
}

function xRange(datasets: Record<string, unknown>[], range?: { fromSec: number; toSec: number }): Record<string, number> {
  if (range) return { min: range.fromSec, max: range.toSec, stepSize: tickStep(range.toSec - range.fromSec) };
  const xs = datasets.flatMap((d) => (d.data as Array<{ x: number }>).map((p) => p.x));
  const max = xs.reduce((a, b) => Math.max(a, b), 0);
  return { min: 0, stepSize: tickStep(max) };
}

function spec(id: string, title: string, datasets: Record<string, unknown>[], scales: Record<string, unknown>, range?: { fromSec: number; toSec: number }): ChartSpec {
  const { stepSize, ...bounds } = xRange(datasets, range);
  return {
    id,
    kind: 'drift',
    title,
    height: 260,
    config: {
      type: 'line',
      data: { datasets },
      options: {
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: { x: { type: 'linear', ...bounds, ticks: { stepSize }, title: axisTitle('elapsed (h:mm:ss)') }, ...scales },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, font: { size: 11 } } } },
      },
    },
  };
}

/** Frame latency p50/p99 and frames/s per hold window, each with its trend line. */
export function holdCharts(drift: DriftReport): ChartSpec[] {
  const w = drift.windows;
  if (w.length === 0) return [];
  const find = (name: string): DriftMetric | undefined => drift.metrics.find((m) => m.metric === name);
  const served = w.filter((p) => p.framesPerSec > 0);
  const pts = (key: 'p50' | 'p99' | 'framesPerSec', from = w): Array<{ x: number; y: number }> => from.map((p) => ({ x: p.t, y: p[key] }));
  const latency = spec(
    'chart-drift-latency',
    'Frame latency per window over the hold (dashed: trend)',
    [
      { ...line, label: 'p50', fbUnit: 'ms', yAxisID: 'yMs', data: pts('p50', served), borderColor: '#4e79a7', backgroundColor: '#4e79a7' },
      { ...line, label: 'p99', fbUnit: 'ms', yAxisID: 'yMs', data: pts('p99', served), borderColor: '#e15759', backgroundColor: '#e15759' },
      ...trendDataset(find('frame.p50'), drift.window, '#2b4a6b', 'yMs'),
      ...trendDataset(find('frame.p99'), drift.window, '#8c1d1f', 'yMs'),
    ],
    { yMs: { position: 'left', beginAtZero: true, title: axisTitle('ms') } },
    drift.window,
  );
  const throughput = spec(
    'chart-drift-fps',
    'Frames/s per window over the hold (dashed: trend)',
    [{ ...line, label: 'frames/s', fbUnit: 'frames/s', yAxisID: 'yFps', data: pts('framesPerSec'), borderColor: '#59a14f', backgroundColor: '#59a14f' }, ...trendDataset(find('framesPerSec'), drift.window, '#2d5a27', 'yFps')],
    { yFps: { position: 'left', beginAtZero: true, title: axisTitle('frames/s') } },
    drift.window,
  );
  return [latency, throughput];
}

interface Group {
  title: string;
  unit: string;
  scale: number;
  metric?: string;
  series: ScrapeSeries[];
}

function groupsOf(result: ScrapeResult): Group[] {
  const memory = result.series.filter((s) => s.name === MEMORY_SERIES);
  const conns = result.series.filter((s) => isConnectionsName(s.name));
  const loop = result.series.filter((s) => s.name === EVENT_LOOP_SERIES);
  const others = new Map<string, ScrapeSeries[]>();
  for (const s of result.series) {
    if (memory.includes(s) || conns.includes(s) || loop.includes(s)) continue;
    others.set(s.name, [...(others.get(s.name) ?? []), s]);
  }
  return [
    { title: 'Target resident memory', unit: 'MB', scale: 1e-6, metric: 'target.memory', series: memory },
    { title: 'Target connections', unit: 'connections', scale: 1, metric: 'target.connections', series: conns },
    { title: 'Target event-loop lag', unit: 'ms', scale: 1000, metric: 'target.eventLoopLag', series: loop },
    ...[...others].map(([name, series]) => ({ title: name, unit: '', scale: 1, series })),
  ].filter((g) => g.series.length > 0);
}

/** One chart per scraped URL and series group, with the drift trend where the hold was analysed. */
export function scrapeCharts(scrape: readonly ScrapeResult[], drift: DriftReport | undefined): ChartSpec[] {
  const out: ChartSpec[] = [];
  scrape.forEach((result, u) => {
    groupsOf(result).forEach((g, gi) => {
      if (out.length >= MAX_SCRAPE_CHARTS) return;
      const shown = g.series.slice(0, MAX_LINES);
      const datasets: Record<string, unknown>[] = shown.map((s, i) => {
        const pairs: Pair[] = bucketPairs(
          s.points.map(([t, v]): Pair => [t, v * g.scale]),
          MAX_CHART_POINTS,
          mean,
        );
        return { ...line, label: formatSeriesId(s.name, s.labels), fbUnit: g.unit, yAxisID: 'y', data: pairs.map(([x, y]) => ({ x, y })), borderColor: colour(i), backgroundColor: colour(i) };
      });
      if (drift && g.metric) {
        for (const s of shown) {
          const m = drift.metrics.find((d) => d.metric === g.metric && d.source === `${result.url} ${formatSeriesId(s.name, s.labels)}`);
          datasets.push(...trendDataset(m, drift.window, '#555', 'y'));
        }
      }
      const host = scrape.length > 1 ? ` · ${result.url}` : '';
      const more = g.series.length > shown.length ? ` (first ${shown.length} of ${g.series.length} series)` : '';
      out.push(spec(`chart-scrape-${u}-${gi}`, `${g.title}${g.unit ? ` (${g.unit})` : ''}${host}${more}`, datasets, { y: { beginAtZero: g.unit !== 'MB', title: axisTitle(g.unit || 'value') } }));
    });
  });
  return out;
}
