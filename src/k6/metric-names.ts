// The k6 metrics an exported script emits and `bench import k6` reads: one table, so the two
// directions cannot drift apart. Names are k6-style (snake case); `kind` is the k6 metric type.

export type K6MetricKind = 'trend' | 'counter' | 'rate' | 'gauge';

export interface K6Metric {
  name: string;
  kind: K6MetricKind;
  /** Trend/Counter of milliseconds (k6 shows them as durations). */
  time?: boolean;
  /** What the metric holds, in framebench's terms. */
  help: string;
}

export const K6_METRICS = {
  frameLatency: { name: 'frame_latency', kind: 'trend', time: true, help: 'receive time − the due time in the frame header (measured window)' },
  lateness: { name: 'frame_lateness', kind: 'trend', time: true, help: 'receive time − (first frame + seq / fps) (measured window)' },
  firstFrame: { name: 'time_to_first_frame', kind: 'trend', time: true, help: 'request sent → first frame (measured requests)' },
  gap: { name: 'frame_gap', kind: 'trend', time: true, help: 'time between consecutive frames of a stream, from arrival times (measured window)' },
  timeToDone: { name: 'time_to_done', kind: 'trend', time: true, help: 'request sent → done (or its last frame when the protocol ends streams by count or idle)' },
  frameBytes: { name: 'frame_bytes', kind: 'counter', help: 'bytes of each frame received in the measured window' },
  framesReceived: { name: 'frames_received', kind: 'counter', help: 'frames received, counted when a measured request ends' },
  framesExpected: { name: 'frames_expected', kind: 'counter', help: 'frames a measured request asked for (or were due, for continuous streams)' },
  framesLost: { name: 'frames_lost', kind: 'counter', help: 'due frames that never came' },
  loss: { name: 'frame_loss', kind: 'rate', help: 'one sample per frame of a measured request: false when it arrived, true when it was lost (rate = lossRatio)' },
  framesDuplicated: { name: 'frames_duplicated', kind: 'counter', help: 'frames received twice' },
  requests: { name: 'requests', kind: 'counter', help: 'measured requests started' },
  requestsCompleted: { name: 'requests_completed', kind: 'counter', help: 'measured requests that ended with done' },
  startup: { name: 'playback_startup', kind: 'trend', time: true, help: 'playback model: request sent → first frame shown' },
  displayLatency: { name: 'playback_display_latency', kind: 'trend', time: true, help: 'playback model: when a frame is shown − its server time (frames with a server timestamp)' },
  stalls: { name: 'playback_stalls', kind: 'counter', help: 'playback model: buffer underruns that later resumed' },
  stallTime: { name: 'playback_stall_time', kind: 'counter', time: true, help: 'playback model: ms spent stalled' },
  playedTime: { name: 'playback_played_time', kind: 'counter', time: true, help: 'playback model: ms of frames on screen' },
  stallRatio: { name: 'playback_stall_ratio', kind: 'rate', help: 'playback model: share of frame intervals stalled (quantised to 1/fps)' },
  errors: { name: 'errors', kind: 'counter', help: 'errors, tagged kind' },
  connectFailures: { name: 'connect_failures', kind: 'counter', help: 'connections that never opened' },
  messagesBinary: { name: 'ws_messages_binary', kind: 'counter', help: 'binary messages received, added when a connection closes' },
  messagesText: { name: 'ws_messages_text', kind: 'counter', help: 'text messages received, added when a connection closes' },
  reconnects: { name: 'reconnects', kind: 'counter', help: 'connections opened again after one was lost' },
} as const satisfies Record<string, K6Metric>;

/** k6 built-ins the import reads as well. */
export const K6_BUILTINS = {
  connecting: 'ws_connecting',
  vus: 'vus',
} as const;

/** Older hand-written scripts (and the k6 fixtures) count received frames in a Counter named `frames`. */
export const LEGACY_FRAMES_COUNTER = 'frames';

/** Tags an exported script puts on every sample (through its k6 scenario). */
export const CELL_TAG = 'cell';
export const REPEAT_TAG = 'repeat';
