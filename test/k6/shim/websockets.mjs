// k6/websockets (and k6/experimental/websockets) on top of the `ws` package: the browser-style API
// k6 exposes, binary messages as ArrayBuffer, ws_connecting samples as k6 emits them.
import WS from 'ws';
import { current, sample } from './context.mjs';

export class WebSocket {
  constructor(url, _protocols, params) {
    this.url = url;
    this.binaryType = 'arraybuffer';
    this.onopen = () => undefined;
    this.onmessage = () => undefined;
    this.onerror = () => undefined;
    this.onclose = () => undefined;
    const iteration = current();
    iteration?.hold(this);
    const started = performance.now();
    const ws = new WS(url, { headers: params?.headers ?? {}, perMessageDeflate: false });
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.on('open', () => {
      sample('ws_connecting', 'trend', 'time', performance.now() - started, { url });
      this.onopen();
    });
    ws.on('message', (data, isBinary) => {
      this.onmessage({ data: isBinary ? data : Buffer.from(data).toString('utf8'), type: isBinary ? 2 : 1, timestamp: Date.now() });
    });
    ws.on('error', (err) => this.onerror({ type: 0, error: String(err), timestamp: Date.now() }));
    ws.on('close', () => {
      this.onclose();
      iteration?.release(this);
    });
  }
  get readyState() {
    return this.ws.readyState;
  }
  send(data) {
    this.ws.send(data);
  }
  close() {
    this.ws.close();
  }
  ping() {
    this.ws.ping();
  }
  /** Iteration abandoned after gracefulStop. */
  terminate() {
    this.ws.terminate();
  }
}
