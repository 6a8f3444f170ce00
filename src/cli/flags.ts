// Parsers for command-line flag values, shared by the commands: repeatable flags, whole numbers and
// numbers in a range, milliseconds, durations, headers, --workers and --source-ips. Each throws a
// UsageError naming the flag, what it got and what is allowed.
import { UsageError } from '../errors.js';
import { parseDuration } from '../text/duration.js';

/** Commander's accumulator for a repeatable flag. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** A whole number from min to max (digits only). */
export function intFlag(flag: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max} (got ${JSON.stringify(text)})`);
  }
  return n;
}

/** A number (decimal, no sign or exponent) from min to max. */
export function numberFlag(flag: string, text: string, min: number, max: number): number {
  const n = /^(\d+\.?\d*|\.\d+)$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag} must be a number from ${min} to ${max} (got ${JSON.stringify(text)})`);
  return n;
}

export function msFlag(flag: string, text: string): number {
  const n = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n > 3_600_000) throw new UsageError(`${flag} must be milliseconds from 0 to 3600000 (got ${JSON.stringify(text)})`);
  return n;
}

export function positiveFlag(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${text}: expected a positive number`);
  return n;
}

export function durationFlag(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new UsageError(`${flag} ${text}: expected a duration such as 10s or 1m`);
  return ms;
}

export function parseHeaders(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    if (i <= 0) throw new UsageError(`--header "${h.replace(/:.*/, ': …')}": expected "Name: value", e.g. --header "Authorization: Bearer $TOKEN"`);
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

export function parseWorkers(text: string): number | 'auto' {
  if (text === 'auto') return 'auto';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 256) throw new UsageError(`--workers ${text}: expected "auto" or a whole number from 0 (in-process) to 256`);
  return n;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipToInt(ip: string, flag: string): number {
  const m = IPV4.exec(ip.trim());
  if (!m || m.slice(1).some((p) => Number(p) > 255)) throw new UsageError(`${flag}: "${ip}" is not an IPv4 address`);
  return m.slice(1).reduce((n, p) => n * 256 + Number(p), 0);
}

const intToIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** "127.0.0.2-127.0.0.9" or "127.0.0.2,127.0.0.3" (ranges may be mixed into the list). */
export function parseSourceIps(text: string, flag = '--source-ips'): string[] {
  const out: string[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [from, to] = part.split('-');
    if (to === undefined) {
      out.push(intToIp(ipToInt(from ?? '', flag)));
      continue;
    }
    const a = ipToInt(from ?? '', flag);
    const b = ipToInt(to, flag);
    if (b < a || b - a > 1024) throw new UsageError(`${flag}: "${part}" must go upwards and span at most 1025 addresses`);
    for (let n = a; n <= b; n++) out.push(intToIp(n));
  }
  if (!out.length) throw new UsageError(`${flag}: expected addresses such as 127.0.0.2-127.0.0.9`);
  return out;
}
