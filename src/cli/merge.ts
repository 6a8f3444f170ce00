// `bench merge`: the shards of a distributed run → one results.json (exact merge), report.html,
// summary.md and JUnit XML, with thresholds and drift evaluated on the merged result.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { mergeShardResults } from '../merge/merge-results.js';
import { readResults } from '../results/read.js';
import { writeResults } from '../results/write.js';
import { writeOutputs } from '../report/outputs.js';
import { summaryTable } from '../report/terminal.js';

// A run folder stands for every shard-N/results.json in it; a shard folder for its results.json.
export function expandShardPaths(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    if (!existsSync(p) || !statSync(p).isDirectory()) return [p];
    if (existsSync(join(p, 'results.json'))) return [join(p, 'results.json')];
    const shards = readdirSync(p)
      .filter((d) => /^shard-\d+$/.test(d) && existsSync(join(p, d, 'results.json')))
      .sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))
      .map((d) => join(p, d, 'results.json'));
    if (!shards.length) throw new UsageError(`${p}: a folder without results.json or shard-*/results.json`);
    return shards;
  });
}

interface MergeFlags {
  out?: string;
  junit?: string;
  summary?: string;
}

export function mergeCommand(): Command {
  return new Command('merge')
    .description('merge the results of the shards of one run (bench run|sweep|soak --shard I/N) exactly: counts add up, histograms merge, windows line up by wall-clock second; thresholds and drift are checked on the merged result')
    .argument('<results...>', "every shard's results.json, e.g. reports/<run-id>/shard-*/results.json, or the run folder reports/<run-id>")
    .option('-o, --out <dir>', 'folder for the merged results.json, report.html, summary.md and junit.xml (default: merged/ in the run folder, beside the shard-* folders)')
    .option('--junit <file>', 'JUnit XML path (default: <out>/junit.xml)')
    .option('--summary <file>', 'append the markdown summary to a file, e.g. "$GITHUB_STEP_SUMMARY"')
    .addHelpText(
      'after',
      `
Example:
  bench merge reports/<run-id>/shard-*/results.json -o reports/<run-id>/merged

Refuses (exit 2) files of different runs, scenarios or schema versions, and names a missing shard.
Exit codes (as for a run, judged on the merged result): 0 every threshold held · 1 a threshold or
drift threshold failed or was not measured, a cell measured nothing, or a shard lacks a cell ·
2 bad usage or results files · 130 a shard was interrupted (its partial results are merged)`,
    )
    .action(async (files: string[], flags: MergeFlags) => {
      const started = performance.now();
      const loaded = [];
      for (const file of expandShardPaths(files)) loaded.push({ file, results: await readResults(file) });
      const { results, warnings } = mergeShardResults(loaded);
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      const out = flags.out ?? join(dirname(dirname(loaded[0]?.file ?? '.')), 'merged');
      const file = await writeResults(out, results);
      const written = [file, ...(await writeOutputs(results, { outDir: out, junit: flags.junit ?? join(out, 'junit.xml'), summary: flags.summary }))];
      const m = results.merge;
      const lines = [
        `merged ${m?.shards.length ?? 0} shards of run ${results.runId} in ${((performance.now() - started) / 1000).toFixed(2)} s`,
        `clock offset spread across shards: ${m?.clockSpreadMs ?? 0} ms (largest uncertainty ±${m?.clockUncertaintyMs ?? 0} ms)`,
        ...(m?.partialWindows ? [`warning: ${m.partialWindows} windows lack some shard (a shard started late or stopped early)`] : []),
        ...(m?.incompleteCells ?? []).map((c) => `warning: incomplete cell ${c}`),
        ...(m?.shards ?? []).filter((s) => s.harnessSaturated).map((s) => `warning: shard ${s.label} (${s.host}): harness saturated: ${s.harnessSaturatedReason ?? ''}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n\n${summaryTable(results)}\n\n${written.map((f) => `wrote ${f}`).join('\n')}\n`);
      process.exitCode = results.interrupted ? EXIT.interrupted : results.ok ? EXIT.ok : EXIT.thresholdFailed;
    });
}
