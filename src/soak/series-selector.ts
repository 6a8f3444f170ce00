// Which scraped samples to keep: `name` or `name{label="v",other!="x",re=~"a.*"}` selectors
// (PromQL-style matchers), plus the default roles (resident memory, connections, event-loop lag).
import { UsageError } from '../errors.js';
import type { PromSample } from './prom-text.js';

export type LabelOp = '=' | '!=' | '=~' | '!~';

export interface SeriesSelector {
  /** Selector text as given (or the default role's description). */
  text: string;
  matches(sample: PromSample): boolean;
}

export const MEMORY_SERIES = 'process_resident_memory_bytes';
export const EVENT_LOOP_SERIES = 'nodejs_eventloop_lag_seconds';
export const CONNECTIONS_SERIES = 'framebench_server_connections';

/** `framebench_server_connections`, or any gauge-like name ending in `_connections` / `open_connections`. */
export function isConnectionsName(name: string): boolean {
  return name === CONNECTIONS_SERIES || name === 'open_connections' || name.endsWith('_connections');
}

const SELECTOR = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?$/s;
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/s;

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function nameMatches(wanted: string, sample: PromSample): boolean {
  if (sample.name === wanted) return true;
  if (sample.family !== wanted) return false;
  return !sample.name.endsWith('_bucket') && !sample.name.endsWith('_created');
}

/**
 * Parses a selector. A bare family name also keeps its `_total` (counter) and `_sum` / `_count`
 * (histogram, summary) samples; buckets only when asked for by their own name (`x_bucket`).
 */
export function parseSeriesSelector(text: string): SeriesSelector {
  const m = SELECTOR.exec(text.trim());
  if (!m) throw new UsageError(`--series ${JSON.stringify(text)}: expected a metric name, optionally with label matchers, e.g. process_resident_memory_bytes{job="api"}`);
  const name = m[1] as string;
  const tests: Array<(labels: Record<string, string>) => boolean> = [];
  let rest = m[2] ?? '';
  while (rest.trim() !== '') {
    const lm = MATCHER.exec(rest);
    if (!lm) throw new UsageError(`--series ${JSON.stringify(text)}: cannot read the label matcher at ${JSON.stringify(rest.trim())}; expected label="value" (=, !=, =~, !~)`);
    const [, label = '', op = '=', rawValue = ''] = lm;
    const value = unescape(rawValue);
    if (op === '=~' || op === '!~') {
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${value})$`);
      } catch (err) {
        throw new UsageError(`--series ${JSON.stringify(text)}: invalid regular expression for ${label}: ${(err as Error).message}`);
      }
      tests.push(op === '=~' ? (l) => re.test(l[label] ?? '') : (l) => !re.test(l[label] ?? ''));
    } else tests.push(op === '=' ? (l) => (l[label] ?? '') === value : (l) => (l[label] ?? '') !== value);
    rest = rest.slice(lm[0].length);
  }
  return { text, matches: (s) => nameMatches(name, s) && tests.every((t) => t(s.labels)) };
}

/** The default roles: resident memory, a connections series, event-loop lag. */
export function defaultSelectors(): SeriesSelector[] {
  return [parseSeriesSelector(MEMORY_SERIES), { text: `${CONNECTIONS_SERIES} | *_connections`, matches: (s) => isConnectionsName(s.name) }, parseSeriesSelector(EVENT_LOOP_SERIES)];
}
