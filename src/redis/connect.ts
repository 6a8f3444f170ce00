// Redis connections for gateways and generators: reconnect forever with a capped backoff, no
// offline queue (a command while Redis is down fails at once and is counted, nothing piles up),
// and a clear error for a bad URL or an unreachable server at start.
import { Redis } from 'ioredis';
import { TargetError, UsageError } from '../errors.js';

export type { Redis } from 'ioredis';

export function checkRedisUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--redis must be a URL such as redis://127.0.0.1:6379 (got ${JSON.stringify(url)})`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UsageError(`--redis must start with redis:// or rediss:// (got ${JSON.stringify(url)})`);
  return url;
}

/** A connection that reconnects every 100–1000 ms while Redis is away; `name` shows in CLIENT LIST. */
export function redisConnection(url: string, name: string, onLog?: (line: string) => void): Redis {
  const r = new Redis(checkRedisUrl(url), {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(100 * times, 1000),
  });
  let down = false;
  r.on('error', (err: Error) => {
    if (!down) onLog?.(`redis ${name}: ${err.message}`);
    down = true;
  });
  r.on('ready', () => {
    if (down) onLog?.(`redis ${name}: reconnected`);
    down = false;
  });
  return r;
}

/** Connects, failing with a TargetError naming the URL when Redis does not answer within timeoutMs. */
export async function connectRedis(r: Redis, url: string, timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      r.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    r.disconnect();
    throw new TargetError(`cannot connect to Redis at ${redactUrl(url)}: ${err instanceof Error ? err.message : String(err)} (start redis-server or fix --redis)`);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
