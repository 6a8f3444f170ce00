// Parses bandwidth limits such as "10mbit", "500kbit", "2MB" or a plain number of bytes per second.
// "kbps"-style units are refused: tc reads them as bytes, most people as bits.

const BIT_UNITS: Record<string, number> = { bit: 1 / 8, kbit: 1e3 / 8, mbit: 1e6 / 8, gbit: 1e9 / 8 };
const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9 };
const RATE = /^(\d+(?:\.\d+)?)(bit|kbit|mbit|gbit|b|kb|mb|gb)(?:\/s)?$/;

export const BANDWIDTH_HELP = 'a rate per second such as "10mbit", "500kbit" (bits, SI), "2MB", "300kB" (bytes, SI) or a positive number of bytes per second';

/** Returns bytes per second, or undefined when the input is not a positive rate. */
export function parseBandwidth(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input > 0 ? input : undefined;
  if (typeof input !== 'string') return undefined;
  const text = input.trim().replace(/\s+/g, '').toLowerCase();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) > 0 ? Number(text) : undefined;
  const m = RATE.exec(text);
  if (!m) return undefined;
  const unit = m[2] as string;
  const bytes = Number(m[1]) * (BIT_UNITS[unit] ?? BYTE_UNITS[unit] ?? 0);
  return bytes > 0 ? bytes : undefined;
}

export function formatBandwidth(bytesPerSec: number): string {
  const bits = bytesPerSec * 8;
  if (bits >= 1e9) return `${+(bits / 1e9).toFixed(2)}gbit`;
  if (bits >= 1e6) return `${+(bits / 1e6).toFixed(2)}mbit`;
  if (bits >= 1e3) return `${+(bits / 1e3).toFixed(2)}kbit`;
  return `${+bits.toFixed(2)}bit`;
}
