// The client loop of an exported k6 script, as JavaScript text: framebench's virtual client ported
// to k6's WebSocket API and plain ES2017 (k6 v0.47's runtime): measured window, rollover, drain,
// reconnect backoff, clock offset, lateness, one request per iteration while stages ramp down. It
// asks the protocol (script-protocol.ts) what each message is and accounts frames and playback
// with script-accounting.ts. JSDoc annotations make the script type-check against @types/k6.
// No template literals in the text: it sits in one.
import { preludeSource } from './script-prelude.js';

export function runtimeSource(): string {
  return `${preludeSource()}
/** One virtual client on one connection: requests back to back, every frame accounted for. */
export function stream() {
  const cell = currentCell();
  const scenarioStart = exec.scenario.startTime;
  const measureFrom = scenarioStart + cell.measureFromMs;
  const measureTo = scenarioStart + cell.measureToMs;
  if (Date.now() >= measureTo) return;
  const intervalMs = 1000 / cell.fps;
  const clientId = exec.vu.idInTest;
  if (!vu.session) vu.session = 'k6-' + clientId + '-' + Math.floor(Math.random() * 1e9).toString(36);
  /** @type {Request | null} */
  let req = null;
  /** @type {string | number} */
  let wireId = 0;
  let lastFrameAt = 0;
  let opened = false;
  let stopping = false;
  let retrying = false;
  let binaryMessages = 0;
  let textMessages = 0;
  /** @type {number[]} */
  const timers = [];
  /** @type {Record<string, string>} */
  const headers = {};
  for (const k of Object.keys(P.headers)) headers[k] = P.headers[k] || '';
  for (const k of Object.keys(HEADERS)) headers[k] = HEADERS[k] || '';
  const ws = new WebSocket(targetUrl(), null, { headers: headers });
  setBinaryType(ws);

  /** @param {string | undefined} text */
  const send = (text) => {
    if (text !== undefined && ws.readyState === 1) ws.send(text);
  };

  /** @param {Request} r @returns {RequestContext} */
  const contextOf = (r) => ({
    requestNo: r.id, requestId: wireId, session: vu.session, clientId: clientId, fps: cell.fps, frames: cell.frames,
    format: cell.format, resolution: cell.resolution, width: cell.width, height: cell.height, quality: cell.quality,
    transport: cell.transport, prompt: P.prompts[(clientId + r.id - 1) % P.prompts.length] || '', uuid: uuid(),
  });

  const sendGenerate = () => {
    const now = Date.now();
    const measured = now >= measureFrom && now < measureTo;
    const r = new Request(vu.nextRequestId++, cell.frames, measured, now, intervalMs, measured ? new Playback(cell.bufferDepth, cell.fps, now) : null);
    req = r;
    wireId = P.wireId(r.id, vu.session);
    lastFrameAt = now;
    if (measured) M.requests.add(1);
    send(P.request(contextOf(r)));
  };

  /** Stops the current stream: the protocol's cancel message, or closing the socket. */
  const cancel = () => {
    const r = req;
    if (!r) return;
    if (P.closesOnCancel) ws.close();
    else send(P.cancel(contextOf(r)));
  };

  /** @param {number | undefined} serverFrames @param {boolean} completed @param {boolean} [cut] the client stopped it (drain timeout, end of the run) */
  const endCurrent = (serverFrames, completed, cut) => {
    const r = req;
    if (!r) return;
    req = null;
    if (!r.measured) return;
    const now = Date.now();
    const expected = r.expected(serverFrames, { atMs: now, cut: cut === true, windowEndMs: measureTo });
    M.framesExpected.add(expected);
    M.framesReceived.add(Math.min(r.received, expected));
    const lost = Math.max(0, expected - r.received);
    M.framesLost.add(lost);
    for (let i = 0; i < Math.min(lost, MAX_LOSS_SAMPLES); i++) M.loss.add(true);
    M.framesDuplicated.add(r.duplicates);
    if (completed) {
      M.requestsCompleted.add(1);
      M.timeToDone.add(now - r.sentAt);
    }
    if (r.playback) r.playback.finish(now);
  };

  /** While the stage target falls, an iteration runs one request, so k6 can stop its VU between requests. */
  const rampingDown = () => {
    const t = Date.now() - scenarioStart;
    return cell.rampDowns.some((r) => t >= r[0] && t < r[1]);
  };

  const next = () => {
    if (req) return;
    if (stopping || Date.now() >= measureTo || !P.sendsRequest || rampingDown()) {
      stopping = true;
      ws.close();
      return;
    }
    sendGenerate();
  };

  /** @param {string | number | undefined} id */
  const mine = (id) => id === undefined || String(id) === String(wireId);

  /** @param {Classified} m @param {number} bytes */
  const onFrame = (m, bytes) => {
    const now = Date.now();
    const r = req;
    if (!r || (P.byId && !mine(m.requestId))) return;
    const seq = m.seq >= 0 ? m.seq : r.received;
    if (!r.mark(seq)) {
      if (!P.reference && r.requested > 0 && seq >= r.requested) error('frame_beyond_request');
      return;
    }
    const previousAt = lastFrameAt;
    lastFrameAt = now;
    if (r.received === 1) {
      r.anchorMs = now - seq * intervalMs;
      if (r.measured) M.firstFrame.add(now - r.sentAt);
    }
    if (r.playback) r.playback.arrive(now, m.timeUs / 1000 - vu.offsetMs);
    if (r.measured && (r.requested === 0 || seq < r.requested)) M.loss.add(false);
    if (now >= measureFrom && now < measureTo) {
      if (m.timeUs === m.timeUs) M.frameLatency.add(now + vu.offsetMs - m.timeUs / 1000);
      M.lateness.add(now - (r.anchorMs + seq * intervalMs));
      if (r.received > 1) M.gap.add(now - previousAt);
      M.frameBytes.add(bytes);
    }
    if (P.endOnFrames && r.requested > 0 && r.received >= r.requested) {
      endCurrent(undefined, true);
      next();
    }
  };

  ws.onopen = () => {
    opened = true;
    if (vu.lostAt > 0) M.reconnects.add(1);
    vu.attempt = 0;
    vu.lostAt = 0;
    const now = Date.now();
    if (SYNC_CLOCK) send(JSON.stringify({ type: 'clock', t0: now * 1000 }));
    sendGenerate();
    if (now < measureFrom) {
      timers.push(setTimeout(() => {
        const r = req;
        if (!r || r.measured || r.requested > 0) return;
        if (!P.sendsRequest) {
          // the server streams on connect: the running stream becomes the measured request
          req = new Request(r.id, 0, true, Date.now(), intervalMs, new Playback(cell.bufferDepth, cell.fps, Date.now()));
          M.requests.add(1);
          return;
        }
        cancel();
        endCurrent(undefined, false);
        if (!P.closesOnCancel) sendGenerate();
      }, measureFrom - now));
    }
    if (cell.rampDowns.length) {
      const slice = () => {
        const r = req;
        if (r && r.requested === 0 && !stopping && rampingDown() && Date.now() - r.sentAt >= RAMP_DOWN_SLICE_MS) {
          stopping = true;
          cancel();
        }
        if (req || !stopping) timers.push(setTimeout(slice, 250));
      };
      timers.push(setTimeout(slice, 250));
    }
    if (P.idleEndMs > 0) {
      const check = () => {
        if (req && Date.now() - lastFrameAt > P.idleEndMs) {
          error('stream_idle');
          endCurrent(undefined, false);
          next();
        }
        if (!stopping) timers.push(setTimeout(check, Math.min(1000, P.idleEndMs / 2)));
      };
      timers.push(setTimeout(check, Math.min(1000, P.idleEndMs / 2)));
    }
    timers.push(setTimeout(() => {
      stopping = true;
      const r = req;
      if (!r) return ws.close();
      if (r.requested === 0) cancel();
      timers.push(setTimeout(() => {
        endCurrent(undefined, false, true);
        ws.close();
      }, cell.drainMs));
    }, Math.max(0, measureTo - now)));
  };

  ws.onmessage = (e) => {
    if (!e) return;
    const data = e.data;
    if (typeof data !== 'string' && !(data instanceof ArrayBuffer)) return error('unexpected_message_type');
    if (typeof data === 'string') textMessages++;
    else binaryMessages++;
    const m = P.classify(data);
    const bytes = typeof data === 'string' ? data.length : data.byteLength;
    if (m.kind === 'frame') onFrame(m, bytes);
    else if (m.kind === 'done') {
      if (req && mine(m.requestId)) endCurrent(m.frames, true);
      next();
    } else if (m.kind === 'error') {
      error(m.code);
      if (req && (m.requestId !== undefined ? mine(m.requestId) : !P.reference)) {
        endCurrent(undefined, false);
        next();
      }
    } else if (m.kind === 'unrecognized') error(m.code);
    else if (m.kind === 'clock') {
      const t3 = Date.now();
      const t0 = m.t0 / 1000;
      if (t3 - t0 < vu.bestRttMs) {
        vu.bestRttMs = t3 - t0;
        vu.offsetMs = m.t1 / 1000 - (t0 + t3) / 2;
      }
    }
  };

  /** Backoff with full jitter before this iteration ends (k6 then starts the next: a reconnect). */
  /** @param {boolean} lost the connection failed or dropped a stream (not closed on purpose) */
  const retry = (lost) => {
    const policy = cell.reconnect;
    if (retrying || !policy.enabled || (policy.maxAttempts > 0 && vu.attempt >= policy.maxAttempts)) return;
    retrying = true;
    if (!lost) return;
    if (vu.lostAt === 0) vu.lostAt = Date.now();
    const delay = Math.random() * Math.min(policy.capMs, policy.baseMs * Math.pow(2, vu.attempt++));
    setTimeout(() => undefined, Math.min(delay, Math.max(0, measureTo - Date.now())));
  };

  ws.onerror = () => {
    if (!opened) {
      M.connectFailures.add(1);
      error('connect_error');
      retry(true);
    } else if (!stopping) error('socket_error');
  };

  ws.onclose = () => {
    for (const t of timers) clearTimeout(t);
    timers.length = 0;
    M.messagesBinary.add(binaryMessages);
    M.messagesText.add(textMessages);
    binaryMessages = textMessages = 0;
    const wasInFlight = req !== null;
    endCurrent(undefined, false, stopping);
    if (stopping || Date.now() >= measureTo) return;
    if (opened && wasInFlight) error('closed');
    retry(wasInFlight || !opened);
  };
}

export default stream;
`;
}
