// `bench report`: re-renders the HTML report (and optionally markdown / JUnit) from a results file.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Results } from '../metrics/results-types.js';
import { TIMESERIES_FILE } from '../metrics/timeseries-log.js';
import { resultsFromTimeseries } from '../report/from-timeseries.js';
import { Command } from 'commander';
import { writeFileAtomic } from '../metrics/results-writer.js';
import { readResults } from '../metrics/results-reader.js';
import { renderHtmlReport } from '../report/html/index.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { stripControls } from '../text/sanitize.js';

interface ReportFlags {
  output: string;
  md?: string;
  junit?: string;
}

/** results.json, a run folder, or the append-only timeseries.ndjson a crashed run left behind. */
async function loadAnyResults(path: string): Promise<Results> {
  let file = path;
  if (existsSync(path) && statSync(path).isDirectory()) {
    file = existsSync(join(path, 'results.json')) ? join(path, 'results.json') : join(path, TIMESERIES_FILE);
  }
  if (file.endsWith('.ndjson')) {
    try {
      return resultsFromTimeseries(file);
    } catch (err) {
      throw new UsageError(`${file}: ${(err as Error).message}`);
    }
  }
  return readResults(file);
}

export function reportCommand(): Command {
  return new Command('report')
    .description('render report.html (and optionally summary markdown / JUnit XML) from a results.json')
    .argument('<results>', 'results.json written by bench run / sweep / soak, a run folder, or a timeseries.ndjson left by a crashed run')
    .option('-o, --output <file>', 'HTML report to write', 'report.html')
    .option('--md <file>', 'also write the markdown summary')
    .option('--junit <file>', 'also write JUnit XML')
    .action(async (file: string, flags: ReportFlags) => {
      const results = await loadAnyResults(file);
      await writeFileAtomic(flags.output, renderHtmlReport(results));
      process.stderr.write(`report: ${resolve(flags.output)}\n`);
      if (flags.md) await writeFileAtomic(flags.md, stripControls(renderMarkdown(results), true));
      if (flags.junit) await writeFileAtomic(flags.junit, stripControls(renderJunit(results), true));
    });
}
