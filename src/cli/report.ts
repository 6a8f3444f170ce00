// `bench report`: re-renders the HTML report (and optionally markdown / JUnit) from a results file.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { writeFileAtomic } from '../results/write.js';
import { loadAnyResults } from '../results/read.js';
import { renderHtmlReport } from '../report/html/index.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { stripControls } from '../text/sanitize.js';

interface ReportFlags {
  output: string;
  md?: string;
  junit?: string;
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
