// Writes results files atomically (temporary file + rename), so a reader never sees half a file.
// With FRAMEBENCH_VALIDATE_RESULTS=1 (set for the test suite) every results file is first checked
// against schema/results.schema.json, and a file that breaks the contract is not written. The
// validator is loaded only then: a run does not carry the schema compiler through its measurement.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Results } from './types.js';

/** Set to "1" to validate every results file against the published schema before writing it. */
export const VALIDATE_ENV = 'FRAMEBENCH_VALIDATE_RESULTS';

export class ResultsContractError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: refusing to write a results file that breaks framebench/results@1 (schema/results.schema.json): ${problem}`);
    this.name = 'ResultsContractError';
  }
}

/** Writes counted here so a run can be checked to write its results once (see test/soak). */
let writes = 0;
export const resultsWrites = (): number => writes;

export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  await writeFile(tmp, content);
  await rename(tmp, file);
}

/** Throws ResultsContractError naming the cell and field when the record does not match the schema. */
export async function checkResults(file: string, results: Results): Promise<void> {
  const { resultsProblem } = await import('./validate.js');
  const problem = resultsProblem(JSON.parse(JSON.stringify(results)) as unknown);
  if (problem) throw new ResultsContractError(file, problem);
}

export async function writeResults(outDir: string, results: Results): Promise<string> {
  const file = join(outDir, 'results.json');
  if (process.env[VALIDATE_ENV] === '1') await checkResults(file, results);
  writes++;
  await writeFileAtomic(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

export function newRunId(name: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'run';
  return `${stamp}-${slug}`;
}
