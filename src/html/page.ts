// Page shell: document head (strict offline CSP), the stylesheet, section/figure helpers, and the
// scripts at the end (embedded data as JSON, inlined chart.js, the page script).
import { chartJsSource } from './assets.js';
import type { ChartSpec } from './chart-spec.js';
import { html, jsonForScript, raw, type SafeHtml } from './escape.js';
import { PAGE_SCRIPT } from './page-script.js';

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

export const CSS = `
:root { --fg:#1d2330; --muted:#5f6b7a; --line:#dfe3ea; --bg:#f5f7fa; --card:#fff; --pass:#1b7f3b; --pass-bg:#e5f5ea;
  --fail:#b3261e; --fail-bg:#fdeceb; --warn:#8a5a00; --warn-bg:#fff4d6; --accent:#2f5f98; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px;
  background: #eef1f5; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
nav.toc { position: sticky; top: 0; z-index: 5; background: #1d2330; color: #cfd6e2; padding: 8px 24px; font-size: 13px; display: flex; gap: 18px; flex-wrap: wrap; align-items: center; }
nav.toc a { color: #cfd6e2; text-decoration: none; }
nav.toc a:hover { color: #fff; text-decoration: underline; }
nav.toc .brand { font-weight: 700; color: #fff; margin-right: 8px; }
nav.toc .state { margin-left: auto; font-weight: 700; }
nav.toc .state.pass { color: #7fe0a0; } nav.toc .state.fail { color: #ff9b93; }
main { max-width: 1480px; margin: 0 auto; padding: 20px 24px 48px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 16px 0; min-width: 0; }
h1 { margin: 0; font-size: 22px; overflow-wrap: anywhere; }
h2 { margin: 0 0 12px; font-size: 17px; }
h3 { margin: 14px 0 8px; font-size: 14px; color: var(--muted); }
.muted { color: var(--muted); }
.fail-text { color: var(--fail); }
.hint { color: var(--muted); font-size: 12.5px; margin: 0 0 10px; }
.verdict { display: flex; gap: 20px; align-items: center; padding: 18px 22px; border-radius: 8px; border: 2px solid; }
.verdict.pass { background: var(--pass-bg); border-color: var(--pass); }
.verdict.fail { background: var(--fail-bg); border-color: var(--fail); }
.verdict-word { font-size: 30px; font-weight: 800; letter-spacing: 1px; padding: 6px 16px; border-radius: 6px; color: #fff; }
.pass .verdict-word { background: var(--pass); } .fail .verdict-word { background: var(--fail); }
.verdict-summary { margin: 6px 0 0; font-size: 15px; }
.verdict-fails { margin: 6px 0 0; padding-left: 18px; font-size: 13.5px; } .verdict-fails li { margin: 2px 0; }
.banner { margin: 12px 0 0; padding: 10px 14px; border-radius: 6px; border: 1px solid #e7c666; background: var(--warn-bg); color: #4d3a00; }
.banner .detail { display: block; margin-top: 4px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
dl.run { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 10px 24px; margin: 0; }
dl.run div { min-width: 0; } dl.run dt { font-size: 11.5px; text-transform: uppercase; letter-spacing: .4px; color: var(--muted); }
dl.run dd { margin: 2px 0 0; overflow-wrap: anywhere; }
.table-scroll { overflow-x: auto; }
table.grid-table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
.grid-table th, .grid-table td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
.grid-table td code { white-space: normal; }
.grid-table thead th { background: #f0f3f7; font-weight: 600; position: sticky; top: 0; }
.grid-table tr.groups th { font-size: 11.5px; text-transform: uppercase; letter-spacing: .3px; color: var(--muted); border-left: 2px solid #fff; text-align: center; }
.grid-table tbody tr:nth-child(even) { background: #fafbfc; }
.grid-table tbody tr:hover { background: #eef4fb; }
.grid-table .num { text-align: right; }
th[data-sort] button { all: unset; cursor: pointer; display: inline-block; width: 100%; }
th[data-sort] button:focus-visible { outline: 2px solid var(--accent); }
th[aria-sort="ascending"] button::after { content: " ▲"; font-size: 9px; }
th[aria-sort="descending"] button::after { content: " ▼"; font-size: 9px; }
td.bad, .bad-sample { background: #fbd5d2 !important; color: #8c1208; font-weight: 700; }
.bad-sample { padding: 0 4px; border-radius: 3px; }
tr.row-fail td { background: #fff6f5; }
.over { color: var(--fail); font-weight: 600; }
.headroom { color: var(--pass); }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 11.5px; font-weight: 700; color: #fff; }
.pill.pass { background: var(--pass); } .pill.fail { background: var(--fail); }
.badge { display: inline-block; font-size: 10.5px; padding: 0 5px; border-radius: 3px; }
.badge.warn { background: var(--warn-bg); color: var(--warn); border: 1px solid #e7c666; }
.badge.fail { background: var(--fail); color: #fff; }
details.failures { margin-top: 12px; } details.failures summary { cursor: pointer; color: var(--accent); margin-bottom: 6px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px 24px; }
.charts.small { grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); }
figure.chart { margin: 0; min-width: 0; } figure.chart.wide { grid-column: 1 / -1; }
figure.chart figcaption { font-weight: 600; font-size: 13px; margin-bottom: 6px; overflow-wrap: anywhere; }
.chart-box { position: relative; width: 100%; }
.side-by-side { display: flex; flex-wrap: wrap; gap: 0 16px; align-items: flex-start; }
.side-by-side > section { margin: 16px 0 0; } .side-by-side { margin-bottom: 16px; }
.side-by-side > #grids { flex: 1 1 auto; max-width: 100%; } .side-by-side > #codecs { flex: 1 1 620px; }
#grids .hint { max-width: 80ch; }
.grid-depths { display: flex; flex-wrap: wrap; gap: 4px 36px; }
@media (max-width: 1100px) { .charts { grid-template-columns: minmax(0, 1fr); } }
.grid-pair { display: flex; flex-wrap: wrap; gap: 18px; }
table.heatmap { border-collapse: separate; border-spacing: 3px; font-size: 13px; font-variant-numeric: tabular-nums; }
table.heatmap caption { text-align: left; font-size: 12px; color: var(--muted); padding-bottom: 2px; }
table.heatmap th { font-weight: 600; padding: 4px 8px; font-size: 12.5px; text-align: center; }
table.heatmap th[scope="row"] { text-align: right; }
td.heat { min-width: 74px; padding: 8px 10px; text-align: center; border-radius: 4px; }
td.heat-fail { box-shadow: inset 0 0 0 2px var(--fail); font-weight: 700; }
td.heat.empty { color: var(--muted); background: #f3f4f6; }
td.size { position: relative; min-width: 96px; }
table.grid-table.codecs { width: auto; } table.codecs th, table.codecs td { padding: 5px 12px; }
td.size .bar { position: absolute; left: 0; top: 4px; bottom: 4px; background: #dbe7f5; border-radius: 2px; }
td.size .bar-text { position: relative; }
ul.events { margin: 6px 0 0; padding: 0; list-style: none; font-size: 12px; color: var(--muted); }
ul.events li { overflow-wrap: anywhere; } ul.events li::before { content: "▼ "; color: #8e44ad; }
.event-t { font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
@media print { nav.toc { position: static; } section { break-inside: avoid; } }
`;

export function chartFigure(spec: ChartSpec, after: SafeHtml = html``): SafeHtml {
  return html`<figure class="chart${spec.wide ? ' wide' : ''}"><figcaption>${spec.title}</figcaption>
<div class="chart-box" style="height:${spec.height}px"><canvas id="${spec.id}" role="img" aria-label="${spec.title}"></canvas></div>${after}</figure>`;
}

export function section(id: string, title: string, body: SafeHtml, intro?: string): SafeHtml {
  return html`<section id="${id}"><h2>${title}</h2>${intro ? html`<p class="hint">${intro}</p>` : ''}${body}</section>`;
}

/** A part of a page and the chart specs its figures draw; the page embeds every part's specs once. */
export interface PagePart {
  html: SafeHtml;
  charts: ChartSpec[];
}

export const EMPTY_PART: PagePart = { html: html``, charts: [] };

export interface PageInput {
  title: string;
  ok: boolean;
  nav: Array<{ href: string; text: string }>;
  body: SafeHtml;
  charts: ChartSpec[];
}

export function renderPage(input: PageInput): string {
  const data = jsonForScript({ charts: input.charts });
  const state = input.ok ? 'PASS' : 'FAIL';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="framebench">
<title>${state} · ${input.title} · framebench report</title>
<style>${raw(CSS)}</style>
</head>
<body>
<nav class="toc"><span class="brand">framebench</span>${input.nav.map((n) => html`<a href="${n.href}">${n.text}</a>`)}<span class="state ${input.ok ? 'pass' : 'fail'}">${state}</span></nav>
<main>
${input.body}
</main>
<script type="application/json" id="fb-data">${raw(data)}</script>
<script>${raw(chartJsSource())}</script>
<script>${raw(PAGE_SCRIPT)}</script>
</body>
</html>
`.value;
}
