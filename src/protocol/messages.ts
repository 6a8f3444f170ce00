// JSON control messages of the reference protocol (text WebSocket messages).
import type { FrameFormat } from './header.js';

export type Transport = 'binary' | 'base64-json';

export interface GenerateRequest {
  type: 'generate';
  requestId: number;
  /**
   * Client session id (unique per virtual client). With it the server keeps the stream
   * resumable for a while after the connection is lost: (session, requestId) names it.
   */
  session?: string;
  format: FrameFormat;
  /** Preset ("480p") or "WxH". */
  resolution: string;
  quality: number;
  fps: number;
  /** Frames to stream; 0 streams until a cancel arrives. */
  frames: number;
  transport?: Transport;
}

export interface CancelRequest {
  type: 'cancel';
  requestId: number;
}

/**
 * Resume a stream after a reconnect: the server re-sends the frames after `lastSeq` that are
 * still in its replay window (with their original due times), then continues live.
 */
export interface ResumeRequest {
  type: 'resume';
  session: string;
  requestId: number;
  /** Highest sequence number received in order so far (-1 for none). */
  lastSeq: number;
}

export interface ClockRequest {
  type: 'clock';
  /** Client send time, µs since the Unix epoch. */
  t0: number;
}

export type ClientMessage = GenerateRequest | CancelRequest | ClockRequest | ResumeRequest;

export interface DoneMessage {
  type: 'done';
  requestId: number;
  /** Frames the server generated for this request (sent or dropped by backpressure). */
  frames: number;
  /** Frames dropped because the connection's send buffer was over its cap. */
  dropped?: number;
}

/** Answer to a resume: frames from `fromSeq` on will follow; frames in between are gone (lost). */
export interface ResumedMessage {
  type: 'resumed';
  requestId: number;
  fromSeq: number;
}

export interface ErrorMessage {
  type: 'error';
  code: string;
  message: string;
  requestId?: number;
}

export interface ClockReply {
  type: 'clock';
  t0: number;
  /** Server time when the request was handled, µs since the Unix epoch. */
  t1: number;
}

/** Frame as JSON for the base64-json transport; same fields as the binary header. */
export interface FrameMessage {
  type: 'frame';
  requestId: number;
  seq: number;
  timeUs: number;
  width: number;
  height: number;
  format: FrameFormat;
  data: string;
}

/** Gateway mode: a generator took the request's job after waiting `queueWaitUs` in the work queue. */
export interface GenerationMessage {
  type: 'generation';
  requestId: number;
  queueWaitUs: number;
  worker: string;
}

export type ServerMessage = DoneMessage | ErrorMessage | ClockReply | FrameMessage | ResumedMessage | GenerationMessage;

export const ERROR_CODES = {
  badJson: 'bad_json',
  badRequest: 'bad_request',
  unknownType: 'unknown_type',
  duplicateRequest: 'duplicate_request',
  unknownRequest: 'unknown_request',
  /** The request asks for more than the server allows (resolution, quality, pixel budget). */
  limitExceeded: 'limit_exceeded',
  /** The server cannot take the request now (encoder queue or corpus cache full); retry later. */
  serverBusy: 'server_busy',
  /** The connection sent more messages per second than allowed; the server closes it (1008). */
  rateLimited: 'rate_limited',
  internal: 'internal',
} as const;
