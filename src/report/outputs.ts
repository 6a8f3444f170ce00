// Renders a results record to every output a run asks for: report.html and summary.md beside
// results.json, plus optional JUnit XML and an appended markdown summary (e.g. $GITHUB_STEP_SUMMARY).
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../results/write.js';
import type { Results } from '../results/types.js';
import { renderHtmlReport } from './html/index.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { stripControls } from '../text/sanitize.js';

export interface OutputRequest {
  outDir: string;
  junit?: string;
  summary?: string;
}

export async function writeOutputs(results: Results, req: OutputRequest): Promise<string[]> {
  const written: string[] = [];
  const html = join(req.outDir, 'report.html');
  await writeFileAtomic(html, renderHtmlReport(results));
  written.push(html);
  const markdown = stripControls(renderMarkdown(results), true);
  const md = join(req.outDir, 'summary.md');
  await writeFileAtomic(md, markdown);
  written.push(md);
  if (req.junit) {
    await writeFileAtomic(req.junit, stripControls(renderJunit(results), true));
    written.push(req.junit);
  }
  if (req.summary) {
    await mkdir(dirname(req.summary), { recursive: true });
    await appendFile(req.summary, `${markdown}\n`);
    written.push(req.summary);
  }
  return written;
}
