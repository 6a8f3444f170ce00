// Number, size, time and percent formatting for the report (plain text; escaping happens at render).

export const DASH = '–';

function trim(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Up to `sig` significant digits without exponent notation, trailing zeros removed. */
export function fmtNum(value: number | null | undefined, sig = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 10 ** sig) return Math.round(value).toLocaleString('en-US');
  const decimals = Math.max(0, sig - 1 - Math.floor(Math.log10(abs)));
  return trim(value.toFixed(Math.min(decimals, 6)));
}

export function fmtInt(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return Math.round(value).toLocaleString('en-US');
}

/** Milliseconds, switching to seconds from 10 s. */
export function fmtMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (Math.abs(value) >= 10_000) return `${fmtNum(value / 1000)} s`;
  return `${fmtNum(value)} ms`;
}

export function fmtBytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${fmtNum(value / 1e9)} GB`;
  if (abs >= 1e6) return `${fmtNum(value / 1e6)} MB`;
  if (abs >= 1e3) return `${fmtNum(value / 1e3)} KB`;
  return `${fmtNum(value)} B`;
}

/** A ratio (0..1) as a percentage. */
export function fmtRatio(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${fmtNum(value * 100)}%`;
}

/** A signed relative change in percent, e.g. "+54%". */
export function fmtSignedPct(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const sign = value > 0 ? '+' : value < 0 ? '−' : '';
  return `${sign}${fmtNum(Math.abs(value), 2)}%`;
}

export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return DASH;
  if (seconds < 60) return `${fmtNum(seconds)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m ${pad(s)}s` : `${m}m ${pad(s)}s`;
}

/** ISO timestamp shown as "2025-11-25 07:40:12 UTC"; unparseable input is returned as is. */
export function fmtTime(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return `${new Date(t)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} UTC`;
}

export function secondsBetween(startIso: string, endIso: string): number | null {
  const a = Date.parse(startIso);
  const b = Date.parse(endIso);
  return Number.isFinite(a) && Number.isFinite(b) ? (b - a) / 1000 : null;
}
