// Options of the reference ingestion server and their defaults (`bench serve --ingest` flags map onto them).
import type { RetryPolicy } from './retry.js';

export interface IngestServerOptions {
  host?: string;
  port?: number;
  /** Chat-completions endpoint of the model API (the mock or a real one). */
  modelUrl: string;
  model?: string;
  apiKey?: string;
  prompt?: string;
  intervalMs?: number;
  batchSize?: number;
  /** Frames buffered per connection; beyond it the oldest is dropped. */
  bufferFrames?: number;
  /** Image bytes buffered over all connections; beyond it the receiving connection drops its oldest. */
  maxBufferBytes?: number;
  /** Characters of previous answers carried into each request (0 = no context). */
  contextChars?: number;
  /** Frames per second a connection may send (token bucket over the frames' capture times, burst of one second). */
  maxFps?: number;
  /** Largest image a frame may carry, bytes (decoded). */
  maxFrameBytes?: number;
  /** Model calls in flight over all connections; a dispatch beyond it waits for the next tick. */
  maxInflight?: number;
  maxConnections?: number;
  modelTimeoutMs?: number;
  maxTokens?: number;
  retry?: RetryPolicy;
  ack?: boolean;
  seed?: number;
  onLog?: (line: string) => void;
}

export const INGEST_DEFAULTS = {
  host: '127.0.0.1',
  model: 'framebench-mock',
  prompt: 'You watch a camera. Describe what changed in these frames in one sentence.',
  intervalMs: 2000,
  batchSize: 8,
  bufferFrames: 32,
  maxBufferBytes: 512 * 1024 * 1024,
  contextChars: 2000,
  maxFps: 10,
  maxFrameBytes: 1024 * 1024,
  maxInflight: 256,
  maxConnections: 10_000,
  modelTimeoutMs: 30_000,
  maxTokens: 64,
  ack: true,
  seed: 1,
} as const;
