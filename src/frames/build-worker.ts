// Worker-thread entry of an off-loop corpus build: renders and encodes one entry with buildEntry and
// posts the frames back as one transferred buffer, so the parent's event loop never renders pixels.
import { parentPort, workerData } from 'node:worker_threads';
import { buildEntry } from './build.js';
import type { CorpusKey } from './key.js';

export interface BuildReply {
  type: 'built';
  data: ArrayBuffer;
  frameBytes: number[];
  stats: import('./codec-stats.js').CodecStats;
  encoder: import('./encode.js').EncoderVersions;
}

const key = workerData as Required<CorpusKey>;
const built = await buildEntry(key, (done, total) => parentPort?.postMessage({ type: 'progress', done, total }));
const all = Buffer.concat(built.frames);
const data = all.buffer.slice(all.byteOffset, all.byteOffset + all.length) as ArrayBuffer;
const reply: BuildReply = { type: 'built', data, frameBytes: built.frames.map((f) => f.length), stats: built.stats, encoder: built.encoder };
parentPort?.postMessage(reply, [data]);
