// Parser for the Prometheus text exposition format (0.0.4, plus the OpenMetrics bits a /metrics
// endpoint may send: `# EOF`, exemplars, float-second timestamps, quoted UTF-8 names).
// Malformed lines are skipped and reported through `onInvalid`; one bad line never loses the rest.

export interface PromSample {
  /** Sample name as exposed, e.g. `http_duration_seconds_bucket`. */
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Sample timestamp in ms since the epoch, when the exposition carries one. */
  timestampMs?: number;
  /** Metric family from `# TYPE` (the name without `_bucket`, `_sum`, `_count`, … suffixes). */
  family: string;
  /** Declared type of the family; `untyped` when none was declared. */
  type: string;
}

export type InvalidLine = (lineNo: number, reason: string, line: string) => void;

const FAMILY_SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created', '_gsum', '_gcount', '_info'];
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

class LineError extends Error {}

/** A float as Prometheus writes it: decimal, exponent, ±Inf, NaN (case-insensitive); undefined otherwise. */
export function parsePromValue(text: string): number | undefined {
  if (/^[+-]?inf(?:inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  return FLOAT.test(text) ? Number(text) : undefined;
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.pos < this.text.length && (this.text[this.pos] === ' ' || this.text[this.pos] === '\t')) this.pos++;
  }
  peek(): string | undefined {
    return this.text[this.pos];
  }
  match(re: RegExp): string | undefined {
    const m = re.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }
  quoted(): string {
    if (this.text[this.pos] !== '"') throw new LineError('expected "');
    let out = '';
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const c = this.text[i] as string;
      if (c === '"') {
        this.pos = i + 1;
        return out;
      }
      if (c === '\\' && i + 1 < this.text.length) {
        const next = this.text[++i] as string;
        out += ESCAPES[next] ?? `\\${next}`;
      } else out += c;
    }
    throw new LineError('unterminated quoted string');
  }
  rest(): string {
    return this.text.slice(this.pos);
  }
}

function parseLabels(cur: Cursor, labels: Record<string, string>): string | undefined {
  let quotedName: string | undefined;
  cur.pos++;
  for (;;) {
    cur.skipSpace();
    if (cur.peek() === '}') {
      cur.pos++;
      return quotedName;
    }
    const isQuoted = cur.peek() === '"';
    const key = isQuoted ? cur.quoted() : cur.match(LABEL_NAME);
    if (key === undefined) throw new LineError('expected a label name');
    cur.skipSpace();
    if (cur.peek() === '=') {
      cur.pos++;
      cur.skipSpace();
      labels[key] = cur.quoted();
    } else if (isQuoted && quotedName === undefined && Object.keys(labels).length === 0) {
      quotedName = key;
    } else throw new LineError(`expected = after label ${key}`);
    cur.skipSpace();
    if (cur.peek() === ',') cur.pos++;
    else if (cur.peek() !== '}') throw new LineError('expected , or } in label set');
  }
}

function parseSample(line: string): Omit<PromSample, 'family' | 'type'> {
  const cur = new Cursor(line);
  const labels: Record<string, string> = {};
  let name = cur.match(NAME);
  if (cur.peek() === '{') {
    const quoted = parseLabels(cur, labels);
    if (quoted !== undefined) {
      if (name !== undefined) throw new LineError('metric name given twice');
      name = quoted;
    }
  }
  if (!name) throw new LineError('expected a metric name');
  const fields =
    cur
      .rest()
      .split(/\s+#\s/)[0]
      ?.trim()
      .split(/[ \t]+/) ?? [];
  if (!/^[ \t]/.test(cur.rest())) throw new LineError('expected whitespace before the value');
  const value = parsePromValue(fields[0] ?? '');
  if (value === undefined) throw new LineError(`invalid value ${JSON.stringify(fields[0] ?? '')}`);
  if (fields.length > 2) throw new LineError('unexpected text after the timestamp');
  const sample: Omit<PromSample, 'family' | 'type'> = { name, labels, value };
  if (fields[1] !== undefined) {
    const ts = Number(fields[1]);
    if (!/^-?\d+(?:\.\d+)?$/.test(fields[1]) || !Number.isFinite(ts)) throw new LineError(`invalid timestamp ${JSON.stringify(fields[1])}`);
    sample.timestampMs = fields[1].includes('.') ? Math.round(ts * 1000) : ts;
  }
  return sample;
}

function commentName(text: string): [string, string] | undefined {
  const cur = new Cursor(text);
  const name = cur.peek() === '"' ? cur.quoted() : cur.match(NAME);
  if (!name) return undefined;
  return [name, cur.rest().trim()];
}

function familyOf(name: string, types: Map<string, string>): { family: string; type: string } {
  const own = types.get(name);
  if (own !== undefined) return { family: name, type: own };
  for (const suffix of FAMILY_SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const type = types.get(base);
    if (type !== undefined) return { family: base, type };
  }
  return { family: name, type: 'untyped' };
}

/** Parses an exposition body into samples, in order; HELP and other comments are read and dropped. */
export function parsePromText(text: string, onInvalid?: InvalidLine): PromSample[] {
  const types = new Map<string, string>();
  const out: PromSample[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    try {
      if (line.startsWith('#')) {
        const m = /^#\s*(TYPE|HELP|UNIT|EOF)\b\s*(.*)$/.exec(line);
        if (m?.[1] === 'EOF') break;
        if (m?.[1] !== 'TYPE') continue;
        const parsed = commentName(m[2] ?? '');
        if (!parsed?.[1]) throw new LineError('TYPE needs a metric name and a type');
        types.set(parsed[0], parsed[1].toLowerCase());
        continue;
      }
      const sample = parseSample(line);
      out.push({ ...sample, ...familyOf(sample.name, types) });
    } catch (err) {
      if (!(err instanceof LineError)) throw err;
      onInvalid?.(i + 1, err.message, line);
    }
  }
  return out;
}

/** `name{a="x",b="y"}` with label values escaped as in the exposition format. */
export function formatSeriesId(name: string, labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length === 0 ? name : `${name}{${parts.join(',')}}`;
}
