// The escape hatch: `protocol: { module: ./my-protocol.mjs, options: {…} }`. The module exports
// createAdapter(options) (sync or async) returning a ModuleAdapter; it is loaded once per client
// process. Its classify() answers with a small plain object that is copied into the client's
// Classified (see README, "Testing your own server").
import { pathToFileURL } from 'node:url';
import { ScenarioError } from '../../errors.js';
import type { ModuleProtocol } from './schema.js';
import { CLOSE_SOCKET, type Classified, type MessageKind, type ProtocolAdapter, type RequestContext, wireText } from './types.js';

/** What a protocol module's classify() returns for one message. */
export interface ModuleVerdict {
  kind: 'frame' | 'done' | 'error' | 'ignore';
  seq?: number;
  /** Server timestamp of the frame, µs since the Unix epoch. */
  timeUs?: number;
  requestId?: string | number;
  /** Frame: where the image starts in a binary message (default 0). */
  payloadOffset?: number;
  /** Frame: image bytes (default: message length − payloadOffset). */
  payloadBytes?: number;
  /** Done: frames the server says it sent. */
  frames?: number;
  /** Error: the server's code and message. */
  code?: string;
  message?: string;
}

/** The interface a protocol module implements. Only request() and classify() are required. */
export interface ModuleAdapter {
  /** Message for a new request (string, or an object sent as JSON); undefined sends nothing. */
  request(ctx: RequestContext): string | object | undefined;
  /** Message to cancel a stream, "close" to close the socket, or undefined (default). */
  cancel?(ctx: RequestContext): string | object | undefined;
  classify(data: Buffer, isBinary: boolean): ModuleVerdict | undefined;
  /** Request ids on the wire: "number" (default) or "string" (<session>-<n>). */
  requestId?: 'number' | 'string';
  /** End a request once its frames arrived (default true). */
  endOnFrames?: boolean;
  /** End a request after this many ms without a frame (default 5000; 0 = never). */
  idleMs?: number;
  /** "requestId" when frames and done carry the request id (default "single"). */
  correlation?: 'single' | 'requestId';
  /** Check the image header of 1 in N frames (default 50; 0 = never). */
  validateEvery?: number;
  /** The server answers a cancel message with a done (default false). */
  doneAfterCancel?: boolean;
  /** Values for ctx.prompt, used round robin. */
  prompts?: string[];
  headers?: Record<string, string>;
  query?: Record<string, string | number>;
  subprotocols?: string[];
}

const KINDS = new Set<MessageKind>(['frame', 'done', 'error', 'ignore']);

export class ModuleProtocolAdapter implements ProtocolAdapter {
  readonly name: string;
  readonly reference = false;
  readonly upgrade;
  readonly endOnFrames: boolean;
  readonly idleEndUs: number;
  readonly correlateById: boolean;
  readonly streams = 1;
  readonly validateEvery: number;
  readonly doneAfterCancel: boolean;
  readonly prompts: readonly string[];

  constructor(
    private readonly impl: ModuleAdapter,
    file: string,
  ) {
    this.name = `module:${file}`;
    this.upgrade = { headers: impl.headers ?? {}, query: impl.query ?? {}, subprotocols: impl.subprotocols ?? [] };
    this.endOnFrames = impl.endOnFrames ?? true;
    this.idleEndUs = (impl.idleMs ?? 5000) * 1000;
    this.correlateById = impl.correlation === 'requestId';
    this.validateEvery = impl.validateEvery ?? 50;
    this.doneAfterCancel = impl.doneAfterCancel ?? false;
    this.prompts = impl.prompts?.length ? impl.prompts : ['a red fox running through snow'];
  }

  wireId(requestNo: number, session: string): string | number {
    return this.impl.requestId === 'string' ? `${session}-${requestNo}` : requestNo;
  }

  request(ctx: RequestContext): string | undefined {
    return asText(this.impl.request(ctx));
  }

  cancel(ctx: RequestContext): string | typeof CLOSE_SOCKET | undefined {
    const v = this.impl.cancel?.(ctx);
    return v === 'close' ? CLOSE_SOCKET : asText(v);
  }

  classify(data: Buffer, isBinary: boolean, out: Classified): void {
    let v: ModuleVerdict | undefined;
    try {
      v = this.impl.classify(data, isBinary);
    } catch (err) {
      out.clear('unrecognized');
      out.code = 'protocol_module_threw';
      out.message = err instanceof Error ? err.message : String(err);
      return;
    }
    if (!v || !KINDS.has(v.kind)) {
      out.clear('unrecognized');
      out.code = 'unrecognized_message';
      out.message = 'the protocol module did not classify the message';
      return;
    }
    out.clear(v.kind);
    if (v.requestId !== undefined) out.requestId = v.requestId;
    if (v.kind === 'frame') {
      out.seq = v.seq !== undefined && Number.isInteger(v.seq) && v.seq >= 0 ? v.seq : -1;
      out.timeUs = v.timeUs ?? Number.NaN;
      out.payloadOffset = isBinary ? (v.payloadOffset ?? 0) : 0;
      out.payloadBytes = v.payloadBytes ?? data.length - out.payloadOffset;
    } else if (v.kind === 'done') out.frames = v.frames;
    else if (v.kind === 'error') {
      out.code = wireText(v.code, 'error');
      out.message = typeof v.message === 'string' ? v.message : '';
    }
  }
}

function asText(v: string | object | undefined): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Imports the module (an absolute path) and calls its createAdapter(options). */
export async function loadModuleAdapter(spec: ModuleProtocol): Promise<ModuleProtocolAdapter> {
  let mod: { createAdapter?: (options: Record<string, unknown>) => ModuleAdapter | Promise<ModuleAdapter> };
  try {
    mod = (await import(pathToFileURL(spec.module).href)) as typeof mod;
  } catch (err) {
    throw new ScenarioError(`protocol.module: cannot load ${spec.module}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof mod.createAdapter !== 'function') throw new ScenarioError(`protocol.module: ${spec.module} does not export a createAdapter(options) function`);
  const impl = await mod.createAdapter(spec.options);
  if (!impl || typeof impl.request !== 'function' || typeof impl.classify !== 'function') {
    throw new ScenarioError(`protocol.module: createAdapter() in ${spec.module} must return an object with request(ctx) and classify(data, isBinary)`);
  }
  return new ModuleProtocolAdapter(impl, spec.module);
}
