// The viewer page's main function, run in real Chromium (its source is injected with
// StreamPlayer's; it imports nothing). `cfg.streams` WebSocket streams with binaryType
// 'arraybuffer' ask the reference protocol for frames, decode each with createImageBitmap and
// paint through a StreamPlayer to a canvas at the stream's fps. Between measure() and stop()
// every frame's receive → decoded, decoded → painted and receive − due time go into HDR
// histograms (hdr-histogram-js, the harness's parameters, so pages merge exactly), counters into
// the page result; main-thread long tasks come from a PerformanceObserver.
import type { PlayerCounts, StreamPlayer } from './player.js';

export interface ViewerConfig {
  url: string;
  streams: number;
  format: string;
  resolution: string;
  quality: number;
  fps: number;
  /** Frames per request; 0 streams until stop. */
  frames: number;
  bufferDepth: number;
  /** Page number, for request ids unique within the page's connections. */
  page: number;
}

export interface ViewerPageResult {
  streams: number;
  connected: number;
  socketErrors: number;
  /** Streams the server closed before the page stopped, and the last close code and reason. */
  socketCloses: number;
  lastClose: string;
  serverErrors: number;
  framesReceived: number;
  bytesReceived: number;
  framesDecoded: number;
  decodeErrors: number;
  /** Frames not decoded because the stream's decode backlog was full. */
  backlogDropped: number;
  counts: PlayerCounts;
  longTasks: number;
  longTaskMs: number;
  /** Measured window in ms. */
  measuredMs: number;
  decodeHdr: string;
  paintHdr: string;
  frameHdr: string;
}

export interface ViewerControl {
  measure(): void;
  stop(): ViewerPageResult;
}

interface HdrLib {
  build(o: object): { recordValue(v: number): void };
  encodeIntoCompressedBase64(h: unknown): string;
}

type PlayerClass = new (depth: number, release: (b: ImageBitmap) => void) => StreamPlayer<ImageBitmap>;

export function viewerMain(cfg: ViewerConfig, Player: PlayerClass, H: HdrLib): ViewerControl {
  const MAX_US = 3_600_000_000;
  const opts = { bitBucketSize: 32, autoResize: false, lowestDiscernibleValue: 1, highestTrackableValue: MAX_US, numberOfSignificantValueDigits: 3, useWebAssembly: false };
  const decodeH = H.build(opts);
  const paintH = H.build(opts);
  const frameH = H.build(opts);
  const rec = (h: { recordValue(v: number): void }, us: number): void => h.recordValue(us < 0 ? 0 : us > MAX_US ? MAX_US : Math.round(us));
  const MIME: Record<number, string> = { 1: 'image/webp', 2: 'image/jpeg', 3: 'image/png' };
  const BACKLOG = cfg.bufferDepth * 4 + 8;
  const out = { connected: 0, socketErrors: 0, socketCloses: 0, lastClose: '', serverErrors: 0, framesReceived: 0, bytesReceived: 0, framesDecoded: 0, decodeErrors: 0, backlogDropped: 0, longTasks: 0, longTaskMs: 0 };
  let measuring = false;
  let running = true;
  let measureStart = 0;
  try {
    new PerformanceObserver((list) => {
      if (!measuring) return;
      for (const e of list.getEntries()) {
        out.longTasks++;
        out.longTaskMs += e.duration;
      }
    }).observe({ type: 'longtask', buffered: false });
  } catch {
    // No longtask support: the counts stay 0.
  }
  const streams = Array.from({ length: cfg.streams }, (_, i) => {
    const canvas = document.createElement('canvas');
    canvas.width = 2;
    canvas.height = 2;
    document.body.appendChild(canvas);
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    const player = new Player(cfg.bufferDepth, (b) => b.close());
    const s = { ws: null as WebSocket | null, player, ctx, canvas, n: 0, inflight: 0 };
    const send = (): void => {
      s.n = (s.n + 1) & 0x3fff;
      const requestId = ((cfg.page << 24) | (i << 14) | s.n) >>> 0;
      s.ws?.send(JSON.stringify({ type: 'generate', requestId, format: cfg.format, resolution: cfg.resolution, quality: cfg.quality, fps: cfg.fps, frames: cfg.frames, transport: 'binary' }));
    };
    const ws = new WebSocket(cfg.url);
    s.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      out.connected++;
      send();
    };
    ws.onerror = () => {
      out.socketErrors++;
    };
    ws.onclose = (ev: CloseEvent) => {
      if (!running) return;
      out.socketCloses++;
      out.lastClose = `${ev.code} ${ev.reason}`.trim().slice(0, 120);
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data === 'string') {
        let m: { type?: string } = {};
        try {
          m = JSON.parse(ev.data) as { type?: string };
        } catch {
          out.serverErrors++;
        }
        if (m.type === 'done' && running) send();
        else if (m.type === 'error') out.serverErrors++;
        return;
      }
      const rx = performance.now();
      const buf = ev.data as ArrayBuffer;
      const dv = new DataView(buf);
      if (buf.byteLength < 32 || dv.getUint16(0) !== 0xfb42) return;
      const len = dv.getUint32(24);
      const mime = MIME[dv.getUint8(3)];
      if (measuring) {
        out.framesReceived++;
        out.bytesReceived += buf.byteLength;
        rec(frameH, (performance.timeOrigin + rx) * 1000 - dv.getFloat64(12));
      }
      if (s.inflight >= BACKLOG || !mime) {
        if (measuring) out.backlogDropped++;
        return;
      }
      const w = dv.getUint16(20);
      if (canvas.width !== w) {
        canvas.width = w;
        canvas.height = dv.getUint16(22);
      }
      const id = player.enqueue();
      s.inflight++;
      const counted = measuring;
      createImageBitmap(new Blob([new Uint8Array(buf, 32, Math.min(len, buf.byteLength - 32))], { type: mime })).then(
        (bmp) => {
          s.inflight--;
          const t = performance.now();
          if (counted && measuring) {
            out.framesDecoded++;
            rec(decodeH, (t - rx) * 1000);
          }
          if (!running) bmp.close();
          else player.decoded(id, bmp, t);
        },
        () => {
          s.inflight--;
          if (counted && measuring) out.decodeErrors++;
          player.failed(id);
        },
      );
    };
    return s;
  });

  const interval = 1000 / cfg.fps;
  const t0 = performance.now();
  let k = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const paint = (): void => {
    const now = performance.now();
    for (const s of streams) {
      const f = s.player.tick(now);
      if (!f?.image) continue;
      s.ctx.drawImage(f.image, 0, 0);
      f.image.close();
      if (measuring) rec(paintH, (performance.now() - f.decodedAt) * 1000);
    }
    k++;
    if (running) timer = setTimeout(paint, Math.max(0, t0 + k * interval - performance.now()));
  };
  timer = setTimeout(paint, interval);

  const zero = (): PlayerCounts => ({ painted: 0, droppedLate: 0, droppedOverflow: 0, stalls: 0, stallMs: 0, freezes: 0, freezeMs: 0 });
  const sumCounts = (): PlayerCounts => {
    const c = zero();
    for (const s of streams) for (const key of Object.keys(c) as (keyof PlayerCounts)[]) c[key] += s.player.counts[key];
    return c;
  };
  let base = zero();
  return {
    measure(): void {
      base = sumCounts();
      measureStart = performance.now();
      measuring = true;
    },
    stop(): ViewerPageResult {
      const end = performance.now();
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      for (const s of streams) {
        s.player.finish(end);
        try {
          s.ws?.close(1000, 'done');
        } catch {
          // Already closed.
        }
      }
      const total = sumCounts();
      const counts = zero();
      for (const key of Object.keys(counts) as (keyof PlayerCounts)[]) counts[key] = Math.round((total[key] - base[key]) * 1000) / 1000;
      const wasMeasuring = measuring;
      measuring = false;
      return {
        streams: cfg.streams,
        ...out,
        counts,
        longTaskMs: Math.round(out.longTaskMs),
        measuredMs: wasMeasuring ? Math.round(end - measureStart) : 0,
        decodeHdr: H.encodeIntoCompressedBase64(decodeH),
        paintHdr: H.encodeIntoCompressedBase64(paintH),
        frameHdr: H.encodeIntoCompressedBase64(frameH),
      };
    },
  };
}
