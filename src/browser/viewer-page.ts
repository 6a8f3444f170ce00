// The viewer page run in real Chromium: M WebSocket streams (binaryType arraybuffer), each frame
// decoded with createImageBitmap into a playback buffer of the scenario's depth, painted to a
// canvas at the stream's fps. Per frame, receive → decoded and decoded → painted go into HDR
// histograms in the page (hdr-histogram-js, injected from node_modules, same parameters as the
// harness so they merge exactly); frames pushed out of a full buffer before their paint are
// dropped; a paint tick with nothing to show is a stall; a gap between painted frames of at least
// max(3 × mean frame gap, mean + 150 ms) is a freeze (the W3C freezeCount rule); main-thread long
// tasks come from a PerformanceObserver. Plain ES2017 so the page needs no build step.

export interface ViewerConfig {
  url: string;
  streams: number;
  format: string;
  resolution: string;
  quality: number;
  fps: number;
  /** 0 = continuous. */
  frames: number;
  bufferDepth: number;
  durationMs: number;
  /** Index of the page, for request ids unique within the page's connections. */
  page: number;
}

export interface ViewerPageResult {
  streams: number;
  connected: number;
  received: number;
  decoded: number;
  painted: number;
  dropped: number;
  stalls: number;
  freezes: number;
  decodeErrors: number;
  socketErrors: number;
  longTasks: number;
  longTaskMs: number;
  decodeHdr: string;
  paintHdr: string;
}

/** Source of `window.__framebenchViewer(config)`, a function that resolves with a ViewerPageResult. */
export const VIEWER_SCRIPT = String.raw`
window.__framebenchViewer = function (cfg) {
  var H = window.hdr;
  var opts = { bitBucketSize: 32, autoResize: false, lowestDiscernibleValue: 1, highestTrackableValue: 3600000000, numberOfSignificantValueDigits: 3, useWebAssembly: false };
  var decodeH = H.build(opts), paintH = H.build(opts);
  var MIME = { 1: 'image/webp', 2: 'image/jpeg', 3: 'image/png' };
  var out = { streams: cfg.streams, connected: 0, received: 0, decoded: 0, painted: 0, dropped: 0, stalls: 0, freezes: 0, decodeErrors: 0, socketErrors: 0, longTasks: 0, longTaskMs: 0 };
  var rec = function (h, ms) { var us = Math.round(ms * 1000); h.recordValue(us < 0 ? 0 : us > 3600000000 ? 3600000000 : us); };
  try {
    new PerformanceObserver(function (list) { list.getEntries().forEach(function (e) { out.longTasks++; out.longTaskMs += e.duration; }); }).observe({ entryTypes: ['longtask'] });
  } catch (e) { /* longtask not supported: counts stay 0 */ }
  var running = true, streams = [];
  function Stream(i) {
    var s = this;
    s.buffer = []; s.lastPaint = 0; s.gapSum = 0; s.gaps = 0; s.playing = false; s.nextId = cfg.page * 100000 + i * 1000 + 1;
    var canvas = document.createElement('canvas');
    document.body.appendChild(canvas);
    s.ctx = canvas.getContext('2d');
    s.canvas = canvas;
    var ws = new WebSocket(cfg.url);
    s.ws = ws;
    ws.binaryType = 'arraybuffer';
    s.send = function () {
      ws.send(JSON.stringify({ type: 'generate', requestId: s.nextId++, format: cfg.format, resolution: cfg.resolution, quality: cfg.quality, fps: cfg.fps, frames: cfg.frames, transport: 'binary' }));
    };
    ws.onopen = function () { out.connected++; s.send(); };
    ws.onerror = function () { out.socketErrors++; };
    ws.onmessage = function (ev) {
      if (typeof ev.data === 'string') {
        var m = JSON.parse(ev.data);
        if (m.type === 'done' && running) s.send();
        return;
      }
      var rx = performance.now();
      var dv = new DataView(ev.data);
      if (ev.data.byteLength < 32 || dv.getUint16(0) !== 0xfb42) return;
      out.received++;
      var len = dv.getUint32(24), fmt = dv.getUint8(3);
      if (canvas.width !== dv.getUint16(20)) { canvas.width = dv.getUint16(20); canvas.height = dv.getUint16(22); }
      createImageBitmap(new Blob([new Uint8Array(ev.data, 32, len)], { type: MIME[fmt] })).then(function (bmp) {
        var t = performance.now();
        rec(decodeH, t - rx);
        out.decoded++;
        if (!running) { bmp.close(); return; }
        s.buffer.push({ bmp: bmp, at: t });
        s.playing = true;
        while (s.buffer.length > cfg.bufferDepth) { s.buffer.shift().bmp.close(); out.dropped++; }
      }, function () { out.decodeErrors++; });
    };
  }
  for (var i = 0; i < cfg.streams; i++) streams.push(new Stream(i));
  function paint() {
    var now = performance.now();
    streams.forEach(function (s) {
      if (!s.playing) return;
      var f = s.buffer.shift();
      if (!f) { out.stalls++; return; }
      s.ctx.drawImage(f.bmp, 0, 0);
      f.bmp.close();
      var t = performance.now();
      rec(paintH, t - f.at);
      out.painted++;
      if (s.lastPaint > 0) {
        var gap = t - s.lastPaint;
        if (s.gaps > 0) {
          var mean = s.gapSum / s.gaps;
          if (gap >= Math.max(3 * mean, mean + 150)) out.freezes++;
        }
        s.gapSum += gap; s.gaps++;
      }
      s.lastPaint = t;
    });
    void now;
  }
  var timer = setInterval(paint, 1000 / cfg.fps);
  return new Promise(function (resolve) {
    setTimeout(function () {
      running = false;
      clearInterval(timer);
      streams.forEach(function (s) { try { s.ws.close(1000, 'done'); } catch (e) {} s.buffer.forEach(function (f) { f.bmp.close(); }); s.buffer = []; });
      out.longTaskMs = Math.round(out.longTaskMs);
      out.decodeHdr = H.encodeIntoCompressedBase64(decodeH);
      out.paintHdr = H.encodeIntoCompressedBase64(paintH);
      resolve(out);
    }, cfg.durationMs);
  });
};
`;
