// Reads results: a results.json written by any framebench command (its schema version checked and
// validated against schema/results.schema.json, errors naming the cell and the field), a run
// folder, or the timeseries.ndjson a crashed run left behind.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { TIMESERIES_FILE } from '../metrics/timeseries-log.js';
import { resultsFromTimeseries } from './from-timeseries.js';
import { RESULTS_SCHEMA, type Results } from './types.js';
import { resultsProblem } from './validate.js';

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

/** results.json, a run folder, or the append-only timeseries.ndjson a crashed run left behind. */
export async function loadAnyResults(path: string): Promise<Results> {
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
