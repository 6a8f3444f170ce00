// Static assets inlined into the report: the chart.js UMD bundle read from node_modules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** Path of chart.js 4's UMD bundle (not in the package's exports map, so resolved beside its main file). */
export function chartJsPath(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(main), 'chart.umd.js');
}

/** chart.js UMD source, ready to sit inside an inline <script> (no source-map reference). */
export function chartJsSource(): string {
  if (cached === undefined) {
    const source = readFileSync(chartJsPath(), 'utf8').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
    if (/<\/script|<!--/i.test(source)) throw new Error(`chart.js bundle at ${chartJsPath()} cannot be inlined in a <script>`);
    cached = source;
  }
  return cached;
}
