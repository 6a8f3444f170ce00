// Redaction: URLs (userinfo, secret-looking query and fragment values), headers, and deep
// replacement of known secrets in JSON-able values, including inside URLs inside error messages.
import { describe, expect, it } from 'vitest';
import { isSecretParam, redactDeep, redactHeaders, redactUrl, secretsFrom } from '../../src/text/redact.js';

describe('redactUrl', () => {
  it('drops a userinfo password and keeps the user name', () => {
    expect(redactUrl('wss://alice:s3cr3t-pw@staging.example/stream')).toBe('wss://alice@staging.example/stream');
    expect(redactUrl('https://:onlypass@host:9100/metrics')).toBe('https://host:9100/metrics');
  });

  it('masks secret-looking query values, case-insensitively, and keeps the rest', () => {
    const url = 'https://h/metrics?TOKEN=abc123&Access_Token=xyz789&api_key=k1&X-Amz-Signature=ffee&sig=0a&job=api&monkey=1&keyframe=3&author=me&fps=30';
    expect(redactUrl(url)).toBe('https://h/metrics?TOKEN=[redacted]&Access_Token=[redacted]&api_key=[redacted]&X-Amz-Signature=[redacted]&sig=[redacted]&job=api&monkey=1&keyframe=3&author=me&fps=30');
  });

  it('masks secrets in an OAuth-style fragment and leaves plain fragments alone', () => {
    expect(redactUrl('https://h/cb#access_token=t0k3n&state=ok')).toBe('https://h/cb#access_token=[redacted]&state=ok');
    expect(redactUrl('https://h/docs#section-2')).toBe('https://h/docs#section-2');
  });

  it('redacts strings that are not parseable URLs by shape', () => {
    expect(redactUrl('staging:8080/stream?password=hunter22&x=1')).toBe('staging:8080/stream?password=[redacted]&x=1');
    expect(redactUrl('not a url //bob:pw@host?token=abc')).toBe('not a url //bob@host?token=[redacted]');
  });

  it('leaves URLs without secrets unchanged', () => {
    expect(redactUrl('ws://127.0.0.1:8080/stream?fps=30')).toBe('ws://127.0.0.1:8080/stream?fps=30');
  });
});

describe('isSecretParam', () => {
  it('matches whole words and well-known names', () => {
    for (const name of ['token', 'key', 'secret', 'password', 'auth', 'signature', 'sig', 'access_token', 'api_key', 'apiKey', 'sessionToken', 'client-secret', 'X-Goog-Credential']) {
      expect(isSecretParam(name), name).toBe(true);
    }
    for (const name of ['monkey', 'keyframe', 'author', 'signal', 'format', 'design']) expect(isSecretParam(name), name).toBe(false);
  });
});

describe('redactHeaders', () => {
  it('masks credentials and keeps the scheme of Authorization', () => {
    const out = redactHeaders({
      Authorization: 'Bearer eyJhbGciOi.payload.sig',
      cookie: 'sid=abc',
      'X-Api-Key': 'k-123',
      'X-Auth-User': 'bob',
      'x-session-token': ['t1', 't2'],
      Accept: 'text/plain',
      'User-Agent': 'framebench',
    });
    expect(out).toEqual({
      Authorization: 'Bearer [redacted]',
      cookie: '[redacted]',
      'X-Api-Key': '[redacted]',
      'X-Auth-User': '[redacted]',
      'x-session-token': ['[redacted]', '[redacted]'],
      Accept: 'text/plain',
      'User-Agent': 'framebench',
    });
  });
});

describe('redactDeep', () => {
  const TOKEN = 'tok_9f8e7d6c5b4a';

  it('replaces a token inside a URL inside an error message, nested in arrays and objects', () => {
    const value = {
      errors: [{ message: `connect ECONNREFUSED: GET https://h/metrics?token=${TOKEN} failed`, count: 2 }],
      target: `wss://h/stream?auth=${encodeURIComponent(`${TOKEN}/+`)}`,
      nested: { deeper: [[`Bearer ${TOKEN}`]], n: 3, ok: true, nothing: null },
      [`key-${TOKEN}`]: 'keys too',
    };
    const out = redactDeep(value, [`${TOKEN}/+`, TOKEN]);
    const text = JSON.stringify(out);
    expect(text).not.toContain(TOKEN);
    expect(out.errors[0]?.message).toBe('connect ECONNREFUSED: GET https://h/metrics?token=[redacted] failed');
    expect(out.target).toBe('wss://h/stream?auth=[redacted]');
    expect(out.nested).toEqual({ deeper: [['Bearer [redacted]']], n: 3, ok: true, nothing: null });
    expect(out['key-[redacted]' as keyof typeof out]).toBe('keys too');
    expect(value.errors[0]?.message).toContain(TOKEN);
  });

  it('turns an Error into its redacted message and ignores empty or tiny secrets', () => {
    expect(redactDeep({ e: new Error(`bad ${TOKEN}`) } as unknown, [TOKEN])).toEqual({ e: 'bad [redacted]' });
    expect(redactDeep('a b c', ['', 'b'])).toBe('a b c');
  });

  it('finds secrets to redact from URLs and headers', () => {
    const secrets = secretsFrom({
      urls: ['https://u:pa%24%24word@h/m?token=abc123&fps=30', 'not a url'],
      headers: { Authorization: 'Bearer eyJabc.def', 'X-Request-Id': 'visible' },
    });
    expect(secrets.sort()).toEqual(['Bearer eyJabc.def', 'abc123', 'eyJabc.def', 'pa$$word'].sort());
  });
});

describe('secretsFrom cookies', () => {
  it('treats each cookie value as a secret', () => {
    expect(secretsFrom({ headers: { Cookie: 'sid=abc123; theme=darkmode' } }).sort()).toEqual(['abc123', 'darkmode', 'sid=abc123; theme=darkmode']);
  });
});
