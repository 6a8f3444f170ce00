// Reads a results.json written by any framebench command, checking its schema version and validating
// it against schema/results.schema.json (errors name the cell and the field).
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { RESULTS_SCHEMA, type Results } from './results-types.js';
import { resultsProblem } from './results-validate.js';

export async function readResults(file: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: cannot read the results file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const schema = (doc as { schema?: unknown } | null)?.schema;
  if (schema !== RESULTS_SCHEMA) {
    throw new UsageError(`${file}: schema ${JSON.stringify(schema ?? null)} is not supported; expected "${RESULTS_SCHEMA}" (a framebench results.json)`);
  }
  const problem = resultsProblem(doc);
  if (problem) throw new UsageError(`${file}: ${problem} (a results file this version of framebench did not write, or a damaged one)`);
  return doc as Results;
}
