// What a virtual camera is given: where to connect, what to send and how often, its limits, and
// where it books what happens (the collector, the server's messages read through `protocol.upload`).
import type { ClientOptions } from 'ws';
import type { ReconnectPolicy } from '../client/client-context.js';
import type { UploadReader } from '../protocol/adapters/upload.js';
import type { UploadCollector } from './upload-collector.js';
import type { BinaryFrameTemplate, JsonFrameTemplate } from './wire.js';

/** The measured window on the performance clock: frames captured in [startMs, endMs) count. */
export interface MeasureWindow {
  startMs: number;
  endMs: number;
}

export interface UploadContext {
  url: string;
  wsOptions: ClientOptions;
  collector: UploadCollector;
  fps: number;
  binary: boolean;
  templates: ReadonlyArray<JsonFrameTemplate | BinaryFrameTemplate>;
  /** A send waits while the socket holds more than this many unsent bytes. */
  maxBufferedBytes: number;
  maxBacklog: number;
  reconnect: ReconnectPolicy;
  random: () => number;
  window: MeasureWindow;
  localAddresses?: string[];
  onConnection?: (delta: 1 | -1) => void;
  /** Reads the server's messages (`protocol.upload`). */
  reader: UploadReader;
  /** Sent when the camera stops; null sends nothing. */
  end: string | null;
}
