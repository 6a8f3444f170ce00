// The generation contract between gateways and generators on Redis: the job a gateway enqueues,
// the channel names a job implies, and the JSON control messages on those channels. Frames on a
// request's channel are reference frames (32-byte header + image), either raw binary or as the
// base64 JSON FrameMessage; their header time is the frame's generation time.
import type { FrameFormat } from './header.js';

export type Envelope = 'raw' | 'json';

export interface GenerationJob {
  v: 1;
  /** Unique per stream across gateways; replaces {requestId} in the channel template. */
  streamId: string;
  /** Channel the frames (and start/end messages) are published on. */
  channel: string;
  /** The client's request id, written into every frame header. */
  requestId: number;
  format: FrameFormat;
  width: number;
  height: number;
  quality: number;
  fps: number;
  /** Frames to generate in all; 0 generates until cancelled. */
  frames: number;
  /** First sequence number to generate (above 0 when a retry continues a stream). */
  fromSeq: number;
  /** 0 for the first try; each retry after a lost generator adds one. */
  attempt: number;
  /** Gateway time the job was enqueued, µs since the Unix epoch (queue wait = dequeue − this). */
  enqueuedUs: number;
}

/** Generator → gateway, JSON text on the frame channel. */
export type ChannelMessage =
  | { type: 'start'; streamId: string; attempt: number; worker: string; queueWaitUs: number; firstFrameUs: number }
  | { type: 'alive'; streamId: string; attempt: number }
  | { type: 'end'; streamId: string; attempt: number; frames: number }
  | { type: 'failed'; streamId: string; attempt: number; message: string };

/** Gateway → generator, JSON text on the control channel. */
export type ControlMessage = { type: 'pause' } | { type: 'resume' } | { type: 'cancel'; attempt?: number };

export const DEFAULT_QUEUE = 'framebench:generate';
export const DEFAULT_CHANNEL = 'frames:{requestId}';
export const CHANNEL_PLACEHOLDER = '{requestId}';

export function channelFor(template: string, streamId: string): string {
  return template.split(CHANNEL_PLACEHOLDER).join(streamId);
}

export const controlChannel = (channel: string): string => `${channel}:control`;
/** Redis list with the last N frames published on the channel (the replay window). */
export const replayKey = (channel: string): string => `${channel}:replay`;
/** Redis hash with a stream's state: job, last seq delivered, end. */
export const streamKey = (streamId: string): string => `framebench:stream:${streamId}`;
/** Redis string naming the stream of (session, requestId): how another gateway finds it on resume. */
export const sessionKey = (session: string, requestId: number): string => `framebench:session:${session}:${requestId}`;
export const processingKey = (queue: string, worker: string): string => `${queue}:processing:${worker}`;

/**
 * A job from the queue with defaults for what another gateway may leave out: stream id (the
 * request id), channel (from the generator's template), fromSeq/attempt 0, enqueue time now.
 */
export function normalizeJob(v: unknown, channelTemplate: string, nowUs: number): GenerationJob | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const j: Record<string, unknown> = { v: 1, fromSeq: 0, attempt: 0, enqueuedUs: nowUs, quality: 75, ...(v as Record<string, unknown>) };
  if (j.streamId === undefined && typeof j.requestId === 'number') j.streamId = String(j.requestId);
  if (j.channel === undefined && typeof j.streamId === 'string') j.channel = channelFor(channelTemplate, j.streamId);
  return isGenerationJob(j) ? j : undefined;
}

export function isGenerationJob(v: unknown): v is GenerationJob {
  if (typeof v !== 'object' || v === null) return false;
  const j = v as Record<string, unknown>;
  return (
    j.v === 1 &&
    typeof j.streamId === 'string' &&
    typeof j.channel === 'string' &&
    typeof j.requestId === 'number' &&
    (j.format === 'webp' || j.format === 'jpeg' || j.format === 'png') &&
    [j.width, j.height, j.quality, j.fps, j.frames, j.fromSeq, j.attempt, j.enqueuedUs].every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}
