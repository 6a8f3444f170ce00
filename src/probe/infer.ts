// `bench probe`, the thinking half (pure): from what one request brought back, the protocol block
// that describes it (request template, frame / meta / done / error / heartbeat rules, correlation),
// the cell parameters to start from, and plain words for what does not fit.
import type { Observation, Observed } from './observe.js';

export interface Inference {
  /** "reference" or a declarative `protocol:` block (as a scenario would spell it). */
  protocol: 'reference' | Record<string, unknown>;
  params: { fps?: number; framesPerRequest?: number; format?: string; resolution?: string };
  /** What the stream looked like, one line each. */
  findings: string[];
  /** What does not fit, in words a user can act on; empty when the block should measure the server. */
  problems: string[];
  frames: number;
  deliveredFps?: number;
  firstFrameMs?: number;
  doneMs?: number;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const typeKey = (j: Json): string | undefined => ['type', 'event', 'kind', 'msg_type', 'status'].find((k) => typeof j[k] === 'string');
const ID_KEY = /^(request_?id|req_?id|requestId|job_?id|id|stream_?id)$/i;
const COUNT_KEY = /^(count|frames|num_frames|n_frames|frame_count|framesPerRequest|total_frames|length)$/i;
const SEQ_KEY = /^(seq|sequence|index|idx|frame|frame_index|frame_no|n|i)$/i;
const TS_KEY = /^(ts|timestamp|time|t|sent_at|created_at|generated_at)$/i;
const DONE_WORDS = /^(done|complete|completed|end|ended|finished|finish|stream_end|eos)$/i;
const ERROR_WORDS = /^(error|failed|failure|rejected|refused)$/i;
const PRESETS: Record<string, string> = { '426x240': '240p', '640x360': '360p', '854x480': '480p', '1280x720': '720p', '1920x1080': '1080p' };

function keyOf(j: Json, re: RegExp): string | undefined {
  return Object.keys(j).find((k) => re.test(k) && (typeof j[k] === 'string' || typeof j[k] === 'number'));
}

/** A number that looks like "now" since the Unix epoch, and its unit. */
function timeUnit(v: unknown): 's' | 'ms' | 'us' | 'ns' | undefined {
  if (typeof v !== 'number') return undefined;
  const now = Date.now();
  const units = [
    ['s', 1e-3],
    ['ms', 1],
    ['us', 1e3],
    ['ns', 1e6],
  ] as const;
  for (const [u, f] of units) if (Math.abs(v - now * f) < 3600 * 1000 * f) return u;
  return undefined;
}

function templateFrom(request: string | undefined): { template: unknown; requestId: 'number' | 'string'; prompts?: string[]; fps?: number; frames?: number } | 'none' {
  if (request === undefined) return 'none';
  let parsed: unknown;
  try {
    parsed = JSON.parse(request);
  } catch {
    return { template: request, requestId: 'number' };
  }
  if (!isObj(parsed)) return { template: request, requestId: 'number' };
  const out: Json = {};
  let requestId: 'number' | 'string' = 'number';
  let prompts: string[] | undefined;
  let fps: number | undefined;
  let frames: number | undefined;
  for (const [k, v] of Object.entries(parsed)) {
    if (ID_KEY.test(k) && (typeof v === 'string' || typeof v === 'number')) {
      out[k] = '${requestId}';
      requestId = typeof v === 'string' ? 'string' : 'number';
    } else if (COUNT_KEY.test(k) && typeof v === 'number') {
      out[k] = '${frames}';
      frames = v;
    } else if (/^fps$|frame_?rate/i.test(k) && typeof v === 'number') {
      out[k] = '${fps}';
      fps = v;
    } else if (/prompt/i.test(k) && typeof v === 'string') {
      out[k] = '${prompt}';
      prompts = [v];
    } else if (/^width$/i.test(k) && typeof v === 'number') out[k] = '${width}';
    else if (/^height$/i.test(k) && typeof v === 'number') out[k] = '${height}';
    else if (/^(format|image_format|codec)$/i.test(k) && typeof v === 'string' && /^(webp|jpe?g|png)$/i.test(v)) out[k] = '${format}';
    else out[k] = v;
  }
  return { template: out, requestId, ...(prompts ? { prompts } : {}), ...(fps !== undefined ? { fps } : {}), ...(frames !== undefined ? { frames } : {}) };
}

export function infer(obs: Observation): Inference {
  const msgs = obs.messages;
  const findings: string[] = [];
  const problems: string[] = [];
  const req = templateFrom(obs.request);
  const result: Inference = { protocol: 'reference', params: {}, findings, problems, frames: 0 };
  if (msgs.length === 0) {
    problems.push(
      obs.request === undefined
        ? "the server sent nothing after the connection opened; it probably waits for a request: pass --request '{…}' with the JSON your clients send"
        : `the server sent nothing within the probe time after the request${obs.closed ? ` and closed the connection (${obs.closed.code} ${obs.closed.reason})` : ''}; check the request fields (--request) and the path`,
    );
    return result;
  }
  const binary = msgs.filter((m) => m.binary);
  const texts = msgs.filter((m) => !m.binary);
  const jsons = texts.filter((m) => isObj(m.json));
  if (texts.length > jsons.length)
    problems.push(
      `${texts.length - jsons.length} text message(s) are not JSON objects (first: ${JSON.stringify(texts.find((m) => !isObj(m.json))?.text?.slice(0, 60))}); the declarative adapter reads JSON only — use protocol: { module: ./my-protocol.mjs }`,
    );

  if (binary.length > 0 && binary.every((m) => m.framebenchHeader)) {
    findings.push(`${binary.length} binary frames with the framebench header: the server speaks the reference protocol`);
    result.protocol = 'reference';
    summarizeFrames(result, binary);
    return result;
  }

  const images = binary.filter((m) => m.image && m.image.format !== 'unknown');
  if (binary.length > images.length)
    problems.push(
      `${binary.length - images.length} of ${binary.length} binary messages are not WebP, JPEG or PNG images (no header framebench knows); if they carry a header before the image, describe it with frames.binary: { seq, timestamp, payloadOffset }`,
    );

  // meta messages: a JSON message right before each binary frame
  const before = new Map<string, number>();
  for (let i = 1; i < msgs.length; i++) {
    const prev = msgs[i - 1] as Observed;
    if (msgs[i]?.binary && isObj(prev.json)) {
      const k = typeKey(prev.json);
      if (k) before.set(`${k}=${String(prev.json[k])}`, (before.get(`${k}=${String(prev.json[k])}`) ?? 0) + 1);
    }
  }
  const metaEntry = [...before.entries()].sort((a, b) => b[1] - a[1])[0];
  const frames: Record<string, unknown> = {};
  let frameMsgs: Observed[] = images;
  let frameType: string | undefined;
  let idInFrames = false;
  if (metaEntry && images.length > 0 && metaEntry[1] >= 0.8 * images.length) {
    const [key, value] = metaEntry[0].split('=') as [string, string];
    frameType = value;
    const sample = jsons.find((m) => isObj(m.json) && String((m.json as Json)[key]) === value)?.json as Json;
    const meta: Json = { match: { [key]: value } };
    fieldRules(sample, meta);
    idInFrames = meta.requestId !== undefined;
    frames.binary = 'frame';
    frames.meta = meta;
    findings.push(`each binary frame follows a JSON meta message {"${key}":"${value}"}${fieldSummary(meta)}`);
  } else if (images.length > 0) {
    frames.binary = 'frame';
    const img = images[0]?.image;
    findings.push(`${images.length} binary messages, each one plain ${img?.format.toUpperCase()} image (no framebench header, no timestamp)`);
  } else frames.binary = binary.length ? 'ignore' : 'frame';

  // frames inside JSON (base64)
  const b64 = jsons.filter((m) => m.base64Images?.length);
  if (b64.length > 0) {
    const first = b64[0] as Observed;
    const j = first.json as Json;
    const k = typeKey(j);
    const rule: Json = { match: k ? { [k]: j[k] } : {}, data: first.base64Images?.[0]?.path, encoding: 'base64' };
    fieldRules(j, rule);
    idInFrames = idInFrames || rule.requestId !== undefined;
    frames.json = rule;
    if (images.length === 0) frames.binary = 'ignore';
    frameMsgs = b64;
    frameType = k ? String(j[k]) : undefined;
    findings.push(`${b64.length} JSON messages carry a base64 ${first.base64Images?.[0]?.image.format.toUpperCase()} in "${String(rule.data)}"${fieldSummary(rule)}`);
    if (!k) problems.push('the JSON frame messages have no "type" field to match on; every JSON message with that field will be taken as a frame');
  }

  const protocol: Json = {};
  protocol.request = req === 'none' ? 'none' : { template: req.template, requestId: req.requestId };
  if (req !== 'none' && req.prompts) protocol.prompts = req.prompts;
  protocol.frames = frames;
  const others = jsons.filter((m) => !m.base64Images?.length && typeKey(m.json as Json) !== undefined);
  const byType = new Map<string, Observed[]>();
  for (const m of others) {
    const j = m.json as Json;
    const k = typeKey(j) as string;
    const v = String(j[k]);
    if (v === frameType) continue;
    const list = byType.get(`${k}=${v}`) ?? [];
    list.push(m);
    byType.set(`${k}=${v}`, list);
  }
  const ignore: Json[] = [];
  for (const [kv, list] of byType) {
    const [k, v] = kv.split('=') as [string, string];
    const j = list[0]?.json as Json;
    if (DONE_WORDS.test(v)) {
      const done: Json = { match: { [k]: v } };
      const id = keyOf(j, ID_KEY);
      if (id) done.requestId = id;
      const n = Object.keys(j).find((x) => /frames|count|sent|total/i.test(x) && typeof j[x] === 'number');
      if (n) done.frames = n;
      protocol.done = done;
      findings.push(`the stream ends with {"${k}":"${v}"}${id ? `, request id in "${id}"` : ''}`);
    } else if (ERROR_WORDS.test(v) || 'error' in j) {
      const err: Json = { match: { [k]: v } };
      const e = j.error;
      if (isObj(e)) {
        err.code = typeof e.code === 'string' || typeof e.code === 'number' ? 'error.code' : 'error.type';
        err.message = 'error.message';
      } else {
        err.code = typeof j.code === 'string' ? 'code' : 'error';
        err.message = typeof j.message === 'string' ? 'message' : typeof e === 'string' ? 'error' : 'message';
      }
      const id = keyOf(j, ID_KEY);
      if (id) err.requestId = id;
      protocol.error = err;
      problems.push(`the server answered with an error: ${(list[0]?.text ?? '').slice(0, 160)}`);
    } else {
      ignore.push({ [k]: v });
      findings.push(`${list.length} {"${k}":"${v}"} message(s) in between: ignored (heartbeat / progress)`);
    }
  }
  if (!protocol.error) protocol.error = { match: { type: 'error' }, code: 'error.code', message: 'error.message' };
  if (ignore.length) protocol.ignore = ignore;
  protocol.correlation = idInFrames ? 'requestId' : 'single';
  if (!protocol.done) {
    protocol.end = { frames: true, idle: '5s' };
    if (frameMsgs.length) findings.push(`no end-of-stream message seen${obs.endedBy === 'time' ? ' before the probe time ran out' : ''}: a request ends after the frames it asked for (or 5 s without a frame)`);
  }
  result.protocol = protocol;
  summarizeFrames(result, frameMsgs);
  if (req !== 'none') {
    if (req.fps !== undefined) result.params.fps = req.fps;
    if (req.frames !== undefined) result.params.framesPerRequest = req.frames;
  }
  if (result.params.framesPerRequest === undefined && protocol.done && result.frames > 0) result.params.framesPerRequest = result.frames;
  if (result.params.fps === undefined && result.deliveredFps) result.params.fps = Math.max(0.1, Math.round(result.deliveredFps));
  if (req !== 'none' && req.frames !== undefined && protocol.done && result.frames !== req.frames) problems.push(`the request asked for ${req.frames} frames and the stream brought ${result.frames}`);
  if (frameMsgs.length === 0) problems.push('no frames seen: no binary image and no JSON field holding a base64 image');
  if (req === 'none' && !protocol.done && frameMsgs.length) findings.push('no request sent (request: none): the server streams on connect');
  return result;
}

function fieldRules(sample: Json | undefined, rule: Json): void {
  if (!sample) return;
  const seq = keyOf(sample, SEQ_KEY);
  if (seq && typeof sample[seq] === 'number') rule.seq = seq;
  const ts = Object.keys(sample).find((k) => TS_KEY.test(k) && timeUnit(sample[k]) !== undefined);
  if (ts) rule.timestamp = { path: ts, unit: timeUnit(sample[ts]) };
  const id = keyOf(sample, ID_KEY);
  if (id) rule.requestId = id;
}

function fieldSummary(rule: Json): string {
  const parts = [];
  if (rule.seq) parts.push(`seq in "${String(rule.seq)}"`);
  if (isObj(rule.timestamp)) parts.push(`timestamp in "${String(rule.timestamp.path)}" (${String(rule.timestamp.unit)})`);
  if (rule.requestId) parts.push(`request id in "${String(rule.requestId)}"`);
  return parts.length ? `; ${parts.join(', ')}` : '';
}

function summarizeFrames(result: Inference, frames: Observed[]): void {
  result.frames = frames.length;
  if (frames.length === 0) return;
  result.firstFrameMs = frames[0]?.t;
  if (frames.length >= 2) {
    const span = (frames.at(-1)?.t ?? 0) - (frames[0]?.t ?? 0);
    if (span > 0) result.deliveredFps = Math.round(((frames.length - 1) * 1000 * 10) / span) / 10;
  }
  const img = frames.map((m) => m.image ?? m.base64Images?.[0]?.image).find((i) => i && i.format !== 'unknown');
  if (img) {
    if (img.format === 'webp' || img.format === 'jpeg' || img.format === 'png') result.params.format = img.format;
    else result.problems.push(`frames are ${img.format.toUpperCase()}; framebench models webp, jpeg and png (set validate: 0 to skip the format check)`);
    if (img.width > 0) result.params.resolution = PRESETS[`${img.width}x${img.height}`] ?? `${img.width}x${img.height}`;
  }
}
