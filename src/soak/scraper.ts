// Scrapes Prometheus /metrics endpoints of the target on an interval and keeps the chosen series
// beside the harness's time series, with bounded memory (points per series and series per URL
// are capped) and nothing secret in what it returns or reports (URLs and errors are redacted).
import { httpGetText } from './http-get.js';
import { formatSeriesId, parsePromText } from './prom-text.js';
import { redactDeep, redactUrl, secretsFrom } from '../text/redact.js';
import { defaultSelectors, parseSeriesSelector, type SeriesSelector } from './series-selector.js';
import type { ScrapeResult, ScrapeSeries } from '../results/types.js';

export interface ScraperOptions {
  urls: string[];
  /** Extra series to keep (metric names, optionally with label matchers like name{job="x"}). */
  series: string[];
  intervalMs: number;
  headers?: Record<string, string>;
  /** Called with the redacted URL and an Error whose message is redacted. */
  onError?(url: string, err: Error): void;
  /** Per-request timeout; default min(intervalMs, 10 s). */
  timeoutMs?: number;
  /** Default 10 000; beyond it the series is halved by averaging neighbouring pairs. */
  maxPointsPerSeries?: number;
  /** Default 100; further series of a URL are not kept (droppedSeries: the most dropped in one scrape). */
  maxSeriesPerUrl?: number;
  /** Keep the default series (memory, connections, event-loop lag) too; default true. */
  defaults?: boolean;
  now?: () => number;
  /** Private CA (PEM) for https:// endpoints, and whether to verify certificates (default true). */
  ca?: string | Buffer;
  rejectUnauthorized?: boolean;
}

interface Target {
  url: string;
  fetchUrl: string;
  headers: Record<string, string>;
  redacted: string;
  series: Map<string, ScrapeSeries>;
  errors: number;
  scrapes: number;
  dropped: number;
  lastError?: string;
  inFlight?: Promise<void>;
}

const ACCEPT = 'text/plain;version=0.0.4;q=0.9,*/*;q=0.1';

/** Halves a point list by averaging neighbouring pairs (an odd last point is kept). */
export function halvePoints(points: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const [t1, v1] = points[i] as [number, number];
    const [t2, v2] = points[i + 1] as [number, number];
    out.push([(t1 + t2) / 2, (v1 + v2) / 2]);
  }
  if (points.length % 2 === 1) out.push(points[points.length - 1] as [number, number]);
  return out;
}

function errorText(err: unknown, timeoutMs: number): string {
  const timedOut = (e: unknown): boolean => e instanceof Error && (e.name === 'TimeoutError' || (e.name === 'AbortError' && timedOut(e.cause)));
  if ((err instanceof DOMException && err.name === 'TimeoutError') || timedOut(err)) return `timed out after ${timeoutMs} ms`;
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

function splitCredentials(url: string, headers: Record<string, string>): { fetchUrl: string; headers: Record<string, string> } {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return { fetchUrl: url, headers };
    const basic = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
    u.username = '';
    u.password = '';
    const hasAuth = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
    return { fetchUrl: u.href, headers: hasAuth ? headers : { ...headers, Authorization: `Basic ${basic}` } };
  } catch {
    return { fetchUrl: url, headers };
  }
}

export class Scraper {
  private readonly targets: Target[];
  private readonly selectors: SeriesSelector[];
  private readonly secrets: string[];
  private readonly timeoutMs: number;
  private readonly maxPoints: number;
  private readonly maxSeries: number;
  private readonly now: () => number;
  private t0: number;
  private timer: NodeJS.Timeout | undefined;
  private stopper = new AbortController();

  constructor(private readonly options: ScraperOptions) {
    if (!(options.intervalMs > 0)) throw new RangeError('Scraper intervalMs must be > 0');
    this.selectors = [...(options.defaults === false ? [] : defaultSelectors()), ...options.series.map(parseSeriesSelector)];
    const headers = options.headers ?? {};
    this.targets = options.urls.map((url) => ({
      url,
      ...splitCredentials(url, headers),
      redacted: redactUrl(url),
      series: new Map(),
      errors: 0,
      scrapes: 0,
      dropped: 0,
    }));
    this.secrets = [...new Set([...secretsFrom({ urls: options.urls }), ...this.targets.flatMap((t) => secretsFrom({ headers: t.headers }))])];
    this.timeoutMs = options.timeoutMs ?? Math.min(options.intervalMs, 10_000);
    this.maxPoints = Math.max(2, options.maxPointsPerSeries ?? 10_000);
    this.maxSeries = options.maxSeriesPerUrl ?? 100;
    this.now = options.now ?? Date.now;
    this.t0 = this.now();
  }

  /** Scrapes now and then every intervalMs; times are seconds since t0Ms (the run's time origin). */
  start(t0Ms: number): void {
    this.stopTimer();
    this.t0 = t0Ms;
    void this.scrapeOnce();
    this.timer = setInterval(() => void this.scrapeOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the interval and aborts scrapes in flight (an aborted scrape is not an error); scrapeOnce() still works after. */
  async stop(): Promise<void> {
    this.stopTimer();
    this.stopper.abort();
    await Promise.all(this.targets.map((t) => t.inFlight));
    this.stopper = new AbortController();
  }

  /** Scrapes every URL once (a URL whose previous scrape is still running is not started again); never rejects. */
  async scrapeOnce(): Promise<void> {
    await Promise.all(
      this.targets.map((target) => {
        if (!target.inFlight) target.inFlight = this.scrape(target).finally(() => (target.inFlight = undefined));
        return target.inFlight;
      }),
    );
  }

  results(): ScrapeResult[] {
    return this.targets.map((t) => {
      const out: ScrapeResult = {
        url: t.redacted,
        series: [...t.series.values()].map((s) => ({ name: s.name, labels: { ...s.labels }, points: s.points.map(([a, b]) => [a, b]) })),
        errors: t.errors,
        scrapes: t.scrapes,
      };
      if (t.lastError !== undefined) out.lastError = t.lastError;
      if (t.dropped > 0) out.droppedSeries = t.dropped;
      return out;
    });
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async scrape(target: Target): Promise<void> {
    const tSec = Math.round(this.now() - this.t0) / 1000;
    const stopSignal = this.stopper.signal;
    try {
      const res = await httpGetText(target.fetchUrl, {
        headers: { Accept: ACCEPT, ...target.headers },
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), stopSignal]),
        ca: this.options.ca,
        rejectUnauthorized: this.options.rejectUnauthorized,
      });
      if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
      this.record(target, tSec, res.body);
      target.scrapes++;
    } catch (err) {
      if (stopSignal.aborted) return;
      target.errors++;
      const message = redactDeep(`${target.redacted}: ${errorText(err, this.timeoutMs)}`, this.secrets)
        .split(target.url)
        .join(target.redacted);
      target.lastError = message;
      this.options.onError?.(target.redacted, new Error(message));
    }
  }

  private record(target: Target, tSec: number, body: string): void {
    let dropped = 0;
    for (const sample of parsePromText(body)) {
      if (!Number.isFinite(sample.value) || !this.selectors.some((s) => s.matches(sample))) continue;
      const key = formatSeriesId(sample.name, sample.labels);
      let series = target.series.get(key);
      if (!series) {
        if (target.series.size >= this.maxSeries) {
          dropped++;
          continue;
        }
        series = { name: sample.name, labels: redactDeep(sample.labels, this.secrets), points: [] };
        target.series.set(key, series);
      }
      const last = series.points[series.points.length - 1];
      if (last && last[0] === tSec) last[1] = sample.value;
      else series.points.push([tSec, sample.value]);
      if (series.points.length > this.maxPoints) series.points = halvePoints(series.points);
    }
    target.dropped = Math.max(target.dropped, dropped);
  }
}
