// A small GET over node:http / node:https that honours a private CA and --insecure (global fetch
// cannot take either), with a timeout and an abort signal.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface GetOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  ca?: string | Buffer;
  rejectUnauthorized?: boolean;
}

export interface GetResult {
  status: number;
  statusText: string;
  body: string;
}

export function httpGetText(url: string, opts: GetOptions = {}): Promise<GetResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const tls = u.protocol === 'https:';
    const req = (tls ? httpsRequest : httpRequest)(u, { method: 'GET', headers: opts.headers, signal: opts.signal, ...(tls ? { ca: opts.ca, rejectUnauthorized: opts.rejectUnauthorized ?? true } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
