// One sortable table, one row per cell: varying params, then latency, schedule, throughput,
// playback and accounting columns; values that fail a threshold are highlighted.
import { formatBare, formatValue, visibleColumns, type MetricColumn } from './columns.js';
import { html, type SafeHtml } from '../../html/escape.js';
import { paramName } from '../../text/cell-labels.js';
import { distinctValues, type CellView, type ReportModel } from './model.js';
import { limitText, missText } from './verdict.js';

/** Varying params get a column each; when nothing varies (one cell) a single "Cell" column names it. */
function paramKeys(model: ReportModel): string[] {
  return model.varying;
}

function groupHeader(model: ReportModel, params: string[], columns: readonly MetricColumn[]): SafeHtml {
  const groups: Array<{ name: string; span: number }> = [];
  for (const col of columns) {
    const last = groups[groups.length - 1];
    if (last && last.name === col.group) last.span++;
    else groups.push({ name: col.group, span: 1 });
  }
  const cellSpan = Math.max(1, params.length);
  return html`<tr class="groups"><th colspan="${cellSpan}">Cell (${model.cells.length})</th>${groups.map((g) => html`<th colspan="${g.span}">${g.name}</th>`)}</tr>`;
}

function sortHeader(text: string, title: string, numeric: boolean): SafeHtml {
  return html`<th class="${numeric ? 'num' : ''}" data-sort="${numeric ? 'num' : 'text'}" aria-sort="none" title="${title}"><button type="button">${text}</button></th>`;
}

function errorTitle(view: CellView): string {
  const kinds = Object.entries(view.cell.errorsByKind ?? {}).filter(([, n]) => n > 0);
  return kinds.length === 0 ? '' : kinds.map(([k, n]) => `${k}: ${n}`).join(', ');
}

function row(view: CellView, params: string[], order: Map<string, unknown[]>, columns: readonly MetricColumn[]): SafeHtml {
  const paramCells =
    params.length === 0
      ? html`<td>${(view.cell.failures ?? []).length > 0 ? html`<span class="badge fail" title="${(view.cell.failures ?? []).map((f) => f.reason).join('\n')}">failed</span> ` : ''}${view.label}</td>`
      : params.map((k, i) => {
          const v = view.params[k];
          const rank = order.get(k)?.indexOf(v) ?? -1;
          const failures = view.cell.failures ?? [];
          const failed = i === 0 && failures.length > 0 ? html`<span class="badge fail" title="${failures.map((f) => f.reason).join('\n')}">failed</span> ` : '';
          const badge = i === 0 && view.saturated ? html`${failed}<span class="badge warn" title="${`Harness saturated${view.saturated.detail ? `: ${view.saturated.detail}` : ''}`}">saturated</span> ` : failed;
          return html`<td data-v="${rank}">${badge}${v === undefined ? '–' : String(v)}</td>`;
        });
  const metricCells = columns.map((col) => {
    const value = col.value(view.cell);
    const failing = view.failingColumns.get(col.key);
    const title = failing
      ? failing.map((c) => `fails ${c.expr}: ${formatValue(col.unit, c.measured)} vs ${limitText(c)} (${missText(c)})`).join('\n')
      : col.key === 'errors'
        ? errorTitle(view)
        : `${col.title}: ${formatValue(col.unit, value)}`;
    return html`<td class="num${failing ? ' bad' : ''}" data-v="${value ?? ''}" title="${title}">${formatBare(col.unit, value)}</td>`;
  });
  return html`<tr id="cell-${view.index}">${paramCells}${metricCells}</tr>`;
}

export function renderCellTable(model: ReportModel): SafeHtml {
  if (model.cells.length === 0) return html`<p class="muted">This results file has no cells.</p>`;
  const params = paramKeys(model);
  const columns = visibleColumns(model.cells.map((v) => v.cell));
  const order = new Map(params.map((k) => [k, distinctValues(model, k) as unknown[]]));
  const leafParams = params.length === 0 ? [sortHeader('Cell', 'Cell', false)] : params.map((k) => sortHeader(paramName(k), k, true));
  return html`<p class="hint">Click a column header to sort. <span class="bad-sample">Highlighted</span> values fail a threshold (hover for the limit).</p>
<div class="table-scroll"><table class="grid-table cells sortable">
<thead>${groupHeader(model, params, columns)}<tr>${leafParams}${columns.map((c) => sortHeader(c.header, c.title, true))}</tr></thead>
<tbody>${model.cells.map((v) => row(v, params, order, columns))}</tbody>
</table></div>`;
}
