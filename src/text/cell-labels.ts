// How a cell's params are named for people and machines: the display name of each param, the
// token a value shows as in a cell label ("webp · 720p · buf 5"), the short token in a cell id
// ("webp-720p-buf5"), and the order params are listed in. The sweep, the report, the markdown
// summary and the diff all read these, so a cell is called the same everywhere.

export type ParamValue = string | number | boolean;

/** Display order of the common params; others follow alphabetically, `repeat` last. */
export const PARAM_ORDER = ['format', 'resolution', 'quality', 'bufferDepth', 'clients', 'fps', 'transport'];

export const PARAM_NAMES: Record<string, string> = {
  format: 'Format',
  resolution: 'Resolution',
  quality: 'Quality',
  bufferDepth: 'Buffer',
  clients: 'Clients',
  fps: 'FPS',
  transport: 'Transport',
  repeat: 'Repeat',
};

export function paramName(key: string): string {
  return PARAM_NAMES[key] ?? key;
}

/** One param's part of a cell label; a param the cell lacks shows as its name and a dash. */
export function paramToken(key: string, value: ParamValue | undefined): string {
  if (value === undefined) return `${paramName(key)} –`;
  if (typeof value === 'boolean') return `${key}=${value}`;
  switch (key) {
    case 'bufferDepth':
      return `buf ${value}`;
    case 'quality':
      return `q${value}`;
    case 'clients':
      return `${value} clients`;
    case 'fps':
      return `${value} fps`;
    case 'repeat':
      return `#${Number(value) + 1}`;
    case 'format':
    case 'resolution':
    case 'transport':
      return String(value);
    default:
      return `${paramName(key)} ${String(value)}`;
  }
}

/** A cell's label from the params that tell it apart; `fallback` (the cell id) when there are none. */
export function cellLabel(params: Readonly<Record<string, ParamValue | undefined>>, keys: readonly string[], fallback: string): string {
  return keys.length === 0 ? fallback : keys.map((k) => paramToken(k, params[k])).join(' · ');
}

const ID_TOKENS: Record<string, (v: unknown) => string> = {
  bufferDepth: (v) => `buf${String(v)}`,
  quality: (v) => `q${String(v)}`,
  clients: (v) => `c${String(v)}`,
  fps: (v) => `${String(v)}fps`,
  dispatchInterval: (v) => `every${String(v)}`,
  batchSize: (v) => `batch${String(v)}`,
  apiRateLimit: (v) => `${String(v)}rpm`,
};

/** One param's part of a cell id: short, no spaces ("buf5", "c10", "30fps"). */
export function idToken(key: string, value: unknown): string {
  return (ID_TOKENS[key] ?? String)(value);
}

/** Keys in display order, each once. */
export function orderParamKeys(keys: Iterable<string>): string[] {
  const rank = (k: string): number => {
    if (k === 'repeat') return 1000;
    const i = PARAM_ORDER.indexOf(k);
    return i === -1 ? PARAM_ORDER.length : i;
  };
  return [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

type ParamRecord = Readonly<Record<string, unknown>>;

/** Keys whose value differs between the given param records, in first-seen order. */
export function varyingKeys(records: readonly ParamRecord[]): string[] {
  const keys = new Set(records.flatMap((p) => Object.keys(p)));
  return [...keys].filter((k) => new Set(records.map((p) => JSON.stringify(p[k] ?? null))).size > 1);
}
