// Loads a scenario from YAML or JSON, applies overrides and validates it, naming file, field and value on error.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ScenarioError } from '../errors.js';
import { formatBytes, MAX_NESTING, nestingDepth } from '../input-bounds.js';
import { clip } from '../text/sanitize.js';
import { ThresholdSyntaxError, parseThresholds } from '../metrics/thresholds.js';
import { parseDriftThresholds } from '../soak/drift-thresholds.js';
import { formatIssues } from './format-issues.js';
import { applyOverrides, type Override } from './overrides.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { validateSweep } from './sweep.js';

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

/** Largest scenario file accepted (the shipped ones are about 2 KiB); checked before reading. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

export async function loadScenario(file: string, overrides: Override[] = []): Promise<LoadedScenario> {
  let text: string;
  try {
    const { size, isFile } = await stat(file).then((st) => ({ size: st.size, isFile: st.isFile() }));
    if (!isFile) throw new ScenarioError(`${file}: not a file`);
    if (size > MAX_SCENARIO_BYTES) {
      throw new ScenarioError(`${file}: the scenario file is ${formatBytes(size)}, over the ${formatBytes(MAX_SCENARIO_BYTES)} a scenario may be`);
    }
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScenarioError(`${file}: cannot read the scenario file (${code ?? String(err)})`);
  }
  const doc = parseDocument(file, text);
  return { file, scenario: validateScenario(file, applyOverrides(splitClients(doc), overrides)) };
}

function parseDocument(file: string, text: string): Record<string, unknown> {
  let doc: unknown;
  const json = extname(file).toLowerCase() === '.json';
  try {
    doc = json ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    const msg = (err as Error).message;
    if (/call stack/i.test(msg)) throw new ScenarioError(`${file}: nested too deeply (at most ${MAX_NESTING} levels)`);
    throw new ScenarioError(`${file}: not valid ${json ? 'JSON' : 'YAML'}: ${clip(msg.split('\n')[0] ?? '', 200)}`);
  }
  if (nestingDepth(doc) > MAX_NESTING) throw new ScenarioError(`${file}: nested more than ${MAX_NESTING} levels deep; a scenario needs a handful`);
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ScenarioError(`${file}: expected a map of scenario fields at the top level`);
  return doc as Record<string, unknown>;
}

/** `clients: { node: N, browser: B }` is short for `clients: N` plus `browsers.pages: B`. */
function splitClients(doc: Record<string, unknown>): Record<string, unknown> {
  const c = doc.clients;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return doc;
  const { node, browser, ...rest } = c as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return doc;
  const browsers = typeof doc.browsers === 'object' && doc.browsers !== null ? doc.browsers : {};
  return { ...doc, clients: node, ...(browser !== undefined ? { browsers: { ...browsers, pages: browser } } : {}) };
}

/** Browser viewers speak the reference protocol over WebSocket, in download cells of bench run/sweep. */
function browsersProblem(s: Scenario): string | undefined {
  if (s.browsers.pages === 0) return undefined;
  if (s.protocol !== 'reference') return 'browser viewers speak the reference protocol only; remove browsers (or --browsers) for a protocol adapter target';
  if (s.direction === 'upload') return 'browser viewers watch downloaded streams; remove browsers for direction: upload';
  if (s.stages) return 'browser viewers are not available with stages (soak); use bench run or bench sweep';
  return undefined;
}

export function validateScenario(file: string, doc: Record<string, unknown>): Scenario {
  const withName = { name: basename(file).replace(/\.(ya?ml|json)$/i, ''), ...splitClients(doc) };
  const parsed = scenarioSchema.safeParse(withName, { reportInput: true });
  if (!parsed.success) throw new ScenarioError(formatIssues(file, parsed.error.issues));
  validateSweep(file, parsed.data);
  const viewers = browsersProblem(parsed.data);
  if (viewers) throw new ScenarioError(`${file}: browsers: ${viewers}`);
  const protocol = parsed.data.protocol;
  if (typeof protocol === 'object' && 'module' in protocol) protocol.module = resolve(dirname(file), protocol.module);
  try {
    parseThresholds(parsed.data.thresholds);
    parseDriftThresholds(parsed.data.drift);
  } catch (err) {
    if (err instanceof ThresholdSyntaxError) throw new ScenarioError(`${file}: ${err.message}`);
    throw err;
  }
  return parsed.data;
}
