// Format × resolution grids (heat-map tables) of frame latency p99 and stall ratio, one pair per
// buffer depth, coloured against the threshold limit when there is one, else against the run's range.
import { columnByKey, formatValue, type MetricColumn } from './columns.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { paramName, type ParamValue } from '../../text/cell-labels.js';
import { columnLimit, distinctValues, type CellView, type ReportModel } from './model.js';

const GRID_METRICS: Record<string, string> = { 'frame.p99': 'Frame latency p99', stallRatio: 'Stall ratio' };

interface Scale {
  limit: number | undefined;
  min: number;
  max: number;
}

/** 0 (good) … 1 (bad). Against a limit, the limit itself sits at 2/3. */
function badness(value: number, scale: Scale): number {
  if (scale.limit !== undefined && scale.limit > 0) return Math.min(1, value / scale.limit / 1.5);
  if (scale.max <= scale.min) return 0;
  return (value - scale.min) / (scale.max - scale.min);
}

export function heatColour(t: number): string {
  const hue = Math.round(130 * (1 - Math.max(0, Math.min(1, t))));
  return `hsl(${hue} 65% 82%)`;
}

function matches(view: CellView, format: ParamValue | undefined, res: ParamValue | undefined, depth: ParamValue | undefined): boolean {
  return view.params.format === format && view.params.resolution === res && view.params.bufferDepth === depth;
}

function gridTable(model: ReportModel, col: MetricColumn, scale: Scale, formats: Array<ParamValue | undefined>, resolutions: Array<ParamValue | undefined>, depth: ParamValue | undefined): SafeHtml {
  const body = formats.map((f) => {
    const tds = resolutions.map((r) => {
      const views = model.cells.filter((v) => matches(v, f, r, depth));
      const values = views.map((v) => col.value(v.cell)).filter((x): x is number => x !== null);
      if (values.length === 0) return html`<td class="heat empty">–</td>`;
      const worst = Math.max(...values);
      const failing = views.some((v) => v.failingColumns.has(col.key));
      const title = `${views.map((v) => `${v.label}: ${formatValue(col.unit, col.value(v.cell))}`).join('\n')}${values.length > 1 ? '\n(worst shown)' : ''}`;
      return html`<td class="heat${failing ? ' heat-fail' : ''}" style="background:${heatColour(badness(worst, scale))}" title="${title}">${formatValue(col.unit, worst)}</td>`;
    });
    return html`<tr><th scope="row">${f === undefined ? '–' : String(f)}</th>${tds}</tr>`;
  });
  return html`<table class="heatmap"><caption>${GRID_METRICS[col.key] ?? col.title}</caption>
<thead><tr><th></th>${resolutions.map((r) => html`<th scope="col">${r === undefined ? '–' : String(r)}</th>`)}</tr></thead>
<tbody>${body}</tbody></table>`;
}

function scaleFor(model: ReportModel, col: MetricColumn): Scale {
  const values = model.cells.map((v) => col.value(v.cell)).filter((x): x is number => x !== null);
  return { limit: columnLimit(model, col.key)?.limit, min: Math.min(...values), max: Math.max(...values) };
}

export function renderGrids(model: ReportModel): SafeHtml {
  const hasFormat = model.cells.some((v) => v.params.format !== undefined);
  const hasRes = model.cells.some((v) => v.params.resolution !== undefined);
  const formats: Array<ParamValue | undefined> = hasFormat ? distinctValues(model, 'format') : [undefined];
  const resolutions: Array<ParamValue | undefined> = hasRes ? distinctValues(model, 'resolution') : [undefined];
  if ((!hasFormat && !hasRes) || (formats.length < 2 && resolutions.length < 2)) {
    return html`<p class="muted">This run did not vary frame format or resolution, so there is no format × resolution grid.</p>`;
  }
  const depths: Array<ParamValue | undefined> = model.cells.some((v) => v.params.bufferDepth !== undefined) ? distinctValues(model, 'bufferDepth') : [undefined];
  const cols = Object.keys(GRID_METRICS)
    .map((k) => columnByKey(k))
    .filter((c): c is MetricColumn => c !== undefined);
  const shown = cols.filter((c) => model.cells.some((v) => c.value(v.cell) !== null));
  const scales = new Map(shown.map((c) => [c.key, scaleFor(model, c)]));
  const legend = shown.map((c) => {
    const s = scales.get(c.key);
    return s?.limit !== undefined ? `${GRID_METRICS[c.key]}: green → red against the limit ${formatValue(c.unit, s.limit)}, outlined squares fail.` : `${GRID_METRICS[c.key]}: green → red across this run's range.`;
  });
  return html`<p class="hint">Rows: ${paramName('format')}; columns: ${paramName('resolution')}. ${legend.join(' ')} Where other params vary too, a square shows the worst cell (hover for all).</p>
<div class="grid-depths">${depths.map(
    (d) => html`<div class="grid-block">${d === undefined ? '' : html`<h3>Buffer depth ${String(d)}</h3>`}
<div class="grid-pair">${shown.map((c) => gridTable(model, c, scales.get(c.key) ?? { limit: undefined, min: 0, max: 0 }, formats, resolutions, d))}</div></div>`,
  )}</div>`;
}
