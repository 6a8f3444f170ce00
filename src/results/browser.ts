// Browser viewers' block of a cell (cells[].browser): real Chromium pages, summed and merged over pages.
import type { LatencySummary } from './cell-figures.js';

/** Browser viewers of a cell (real Chromium pages), summed and merged over pages. */
export interface BrowserResult {
  pages: number;
  /** Pages that started and reported (a page that failed is in `errors`). */
  pagesReported: number;
  streams: number;
  /** Streams whose WebSocket opened. */
  connected: number;
  measuredMs: number;
  framesReceived: number;
  bytesReceived: number;
  framesDecoded: number;
  framesPainted: number;
  /** Decoded too late to show (a later frame was already painted) plus pushed out of a full buffer. */
  dropped: number;
  droppedLate: number;
  droppedOverflow: number;
  /** Frames not decoded because the stream's decode backlog was full. */
  backlogDropped: number;
  /** Underruns of a playing stream, and their time. */
  stalls: number;
  stallMs: number;
  /** stallMs / (stallMs + painted frames × frame interval). */
  stallRatio: number;
  /** Gaps between painted frames ≥ max(3 × mean gap, mean + 150 ms) (the W3C freezeCount rule). */
  freezes: number;
  freezeMs: number;
  /** Main-thread long tasks (≥ 50 ms) and their total time. */
  longTasks: number;
  longTaskMs: number;
  decodeErrors: number;
  socketErrors: number;
  /** Streams closed by the other side before the measured window ended. */
  socketCloses: number;
  serverErrors: number;
  /** Receive → decoded (createImageBitmap), ms. */
  decode: LatencySummary;
  /** Decoded → painted on the canvas, ms. */
  paint: LatencySummary;
  /** Receive − the frame's due time from its header (same host: one clock), ms. */
  frame: LatencySummary;
  /** Page failures (at most 8, clipped). */
  errors: string[];
}
