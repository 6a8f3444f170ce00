// Keeps secrets out of results, reports and logs: URL and header redaction by shape, and a deep
// replace of known secret strings (tokens, passwords) anywhere in a JSON-able value.

export const REDACTED = '[redacted]';

/** Secrets shorter than this are ignored by redactDeep: masking them would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 3;

const SECRET_WORDS = new Set(['token', 'key', 'secret', 'password', 'passwd', 'pwd', 'auth', 'signature', 'sig', 'credential', 'credentials', 'apikey', 'jwt']);
const SECRET_SUBSTRINGS = ['token', 'secret', 'password', 'signature', 'apikey', 'api_key', 'access_key', 'authorization', 'credential'];

/** Whether a query parameter name looks like it carries a secret (case-insensitive). */
export function isSecretParam(name: string): boolean {
  const lower = name.toLowerCase();
  if (SECRET_SUBSTRINGS.some((s) => lower.includes(s))) return true;
  const parts = name.split(/[^a-zA-Z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).map((p) => p.toLowerCase());
  return parts.some((p) => SECRET_WORDS.has(p));
}

/** Whether a header carries credentials: Authorization, Cookie, X-Api-Key, or a name with token/secret/key/auth. */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'cookie' || lower === 'set-cookie' || /token|secret|key|auth|password|signature/.test(lower);
}

function redactQuery(query: string, sep: string): string {
  return query
    .split(sep)
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        /* keep the raw name */
      }
      return isSecretParam(name) && eq < pair.length - 1 ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join(sep);
}

function redactUnparsed(text: string): string {
  return text.replace(/(\/\/[^/@\s:]*):[^/@\s]*@/g, '$1@').replace(/([?&#;])([^=&#\s]+)=([^&#\s]+)/g, (all, lead: string, name: string) => (isSecretParam(name) ? `${lead}${name}=${REDACTED}` : all));
}

/** The URL without a userinfo password and with secret-looking query (and fragment) values masked. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactUnparsed(url);
  }
  const user = parsed.username ? `${parsed.username}@` : '';
  const search = parsed.search ? `?${redactQuery(parsed.search.slice(1), '&')}` : '';
  const hash = parsed.hash.includes('=') ? `#${redactQuery(parsed.hash.slice(1), '&')}` : parsed.hash;
  const authority = parsed.host ? `//${user}${parsed.host}` : url.startsWith(`${parsed.protocol}//`) ? '//' : '';
  return `${parsed.protocol}${authority}${parsed.pathname}${search}${hash}`;
}

type HeaderValue = string | number | string[] | undefined;

function maskHeaderValue(value: string): string {
  const scheme = /^(Bearer|Basic|Digest|Token|Bot|ApiKey)\s+\S/i.exec(value);
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

/** A copy of the headers with credential values masked ("Bearer [redacted]" keeps the scheme). */
export function redactHeaders<H extends Record<string, HeaderValue>>(headers: H): H {
  const out: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeader(name) || value === undefined) out[name] = value;
    else if (Array.isArray(value)) out[name] = value.map((v) => maskHeaderValue(v));
    else out[name] = maskHeaderValue(String(value));
  }
  return out as H;
}

/** Secret strings a URL and headers carry (password, secret query values, credential header values). */
export function secretsFrom(input: { urls?: string[]; headers?: Record<string, HeaderValue> }): string[] {
  const found = new Set<string>();
  for (const url of input.urls ?? []) {
    try {
      const u = new URL(url);
      if (u.password) found.add(decodeURIComponent(u.password));
      const params = new URLSearchParams(u.search);
      new URLSearchParams(u.hash.slice(1)).forEach((v, k) => params.append(k, v));
      params.forEach((v, k) => {
        if (isSecretParam(k) && v) found.add(v);
      });
    } catch {
      /* not a URL: nothing to extract */
    }
  }
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (!isSecretHeader(name) || value === undefined) continue;
    const cookie = /^(set-)?cookie$/i.test(name);
    for (const v of Array.isArray(value) ? value : [String(value)]) {
      found.add(v);
      const token = /^\S+\s+(\S.*)$/.exec(v)?.[1];
      if (token && !cookie) found.add(token);
      if (cookie) for (const m of v.matchAll(/(?:^|;)\s*[^=;]+=([^;]+)/g)) found.add((m[1] ?? '').trim());
    }
  }
  return [...found].filter((s) => s.length >= MIN_SECRET_LENGTH);
}

function variants(secrets: string[]): string[] {
  const all = new Set<string>();
  for (const s of secrets) {
    if (s.length < MIN_SECRET_LENGTH) continue;
    all.add(s);
    all.add(encodeURIComponent(s));
    all.add(JSON.stringify(s).slice(1, -1));
  }
  return [...all].sort((a, b) => b.length - a.length);
}

function replaceAll(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function walk(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string') return replaceAll(value, secrets);
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets));
  if (value instanceof Error) return replaceAll(value.message, secrets);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[replaceAll(k, secrets)] = walk(v, secrets);
    return out;
  }
  return value;
}

/**
 * A deep copy of a JSON-able value (plain objects, arrays, strings; class instances other than
 * Error are returned as they are) with every occurrence of the given secrets (also percent- and JSON-escaped forms)
 * replaced by "[redacted]" in strings and object keys; an Error becomes its redacted message.
 */
export function redactDeep<T>(value: T, secrets: string[]): T {
  return walk(value, variants(secrets)) as T;
}
