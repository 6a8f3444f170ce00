// `bench diff`: compares two results files cell by cell with a noise-aware verdict; prints a table,
// writes diff.html and diff.md, and sets exit code 1 when --fail-on / --max-regression finds a regression.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { EXIT } from '../errors.js';
import { diffResults, gateFailures } from '../diff/diff.js';
import { renderDiffHtml } from '../diff/html/index.js';
import { renderDiffMarkdown } from '../diff/markdown.js';
import { METRIC_KEYS } from '../diff/metrics.js';
import { parseGate, parseSettings } from '../diff/options.js';
import { diffTable, gateText } from '../diff/terminal.js';
import { readResults } from '../results/read.js';
import { writeFileAtomic } from '../results/write.js';
import { stripControls } from '../text/sanitize.js';
import { collect } from './flags.js';

interface DiffFlags {
  output?: string;
  md?: string;
  summary?: string;
  failOn?: string;
  maxRegression: string[];
  minEffect: string[];
  floor: string[];
  alpha?: string;
  all?: boolean;
}

const EXAMPLES = `
Examples:
  bench diff reports/v1.4/results.json reports/v1.5/results.json
  bench diff base.json head.json --fail-on worse --summary "$GITHUB_STEP_SUMMARY"
  bench diff base.json head.json --max-regression frame.p99=10% --max-regression counts.framesLost=0 --min-effect frame.p999=20%

Metrics: ${METRIC_KEYS.join(' ')}

Exit codes: 0 no regression past the gate (or no gate) · 1 a regression fails --fail-on / --max-regression · 2 bad flags, an unreadable or invalid results file (the message names the cell and field) or another schema version · 4 internal error (a bug: please report it)`;

export function diffCommand(): Command {
  return new Command('diff')
    .description('compare two results files cell by cell (base → head) with a noise-aware verdict per metric; writes diff.html and diff.md')
    .argument('<base>', 'results.json of the baseline, e.g. reports/v1.4/results.json')
    .argument('<head>', 'results.json to judge against it, e.g. reports/v1.5/results.json')
    .option('-o, --output <file>', 'HTML diff to write (default: diff.html in the head file’s folder)')
    .option('--md <file>', 'markdown diff to write (default: diff.md in the head file’s folder)')
    .option('--summary <file>', 'also append the markdown diff to a file, e.g. "$GITHUB_STEP_SUMMARY"')
    .option('--fail-on <verdict>', 'exit 1 on regressions: "worse" (backed by a noise test, or a count) or "any-worse" (also those without a noise estimate)')
    .option('--max-regression <[metric=]limit>', 'exit 1 when a metric got worse by more than this: 10% or, after a metric, an amount (frame.p99=5ms); repeatable', collect, [])
    .option('--min-effect <[metric=]pct>', 'smallest relative change that counts (default 5%), e.g. frame.p99=10%; repeatable', collect, [])
    .option('--floor <metric=value>', 'smallest absolute change that counts, in the metric’s unit, e.g. frame.p50=2ms; repeatable', collect, [])
    .option('--alpha <p>', 'significance level of the noise tests (default 0.05)')
    .option('--all', 'print every comparison, not only those that moved')
    .addHelpText('after', EXAMPLES)
    .action(async (baseFile: string, headFile: string, flags: DiffFlags) => {
      const settings = parseSettings(flags);
      const gate = parseGate(flags);
      const base = await readResults(baseFile);
      const head = await readResults(headFile);
      const report = diffResults({ file: baseFile, results: base }, { file: headFile, results: head }, settings);

      const htmlFile = flags.output ?? join(dirname(headFile), 'diff.html');
      const mdFile = flags.md ?? join(dirname(headFile), 'diff.md');
      const markdown = stripControls(renderDiffMarkdown(report), true);
      await writeFileAtomic(htmlFile, renderDiffHtml(report));
      await writeFileAtomic(mdFile, markdown);
      const written = [htmlFile, mdFile];
      if (flags.summary) {
        await mkdir(dirname(flags.summary), { recursive: true });
        await appendFile(flags.summary, `${markdown}\n`);
        written.push(flags.summary);
      }

      const gated = gate.failOn !== undefined || Object.keys(gate.maxRegression).length > 0;
      const failures = gated ? gateFailures(report, gate) : [];
      const out = [diffTable(report, flags.all), ...(gated ? ['', gateText(failures)] : []), '', ...written.map((f) => `wrote ${f}`)];
      process.stdout.write(`${stripControls(out.join('\n'), true)}\n`);
      process.exitCode = failures.length > 0 ? EXIT.thresholdFailed : EXIT.ok;
    });
}
