// The frames a cell's cameras send, built once per process from the on-disk corpus: one reusable
// template per corpus frame (base64 JSON through the wire shape, or binary with its header).
import { FrameCorpus } from '../frames/corpus.js';
import { BinaryFrameTemplate, JsonFrameTemplate } from './wire.js';
import type { UploadProtocolConfig } from '../protocol/adapters/upload-schema.js';

export interface TemplateSpec {
  format: string;
  width: number;
  height: number;
  quality: number;
  frames: number;
  binary: boolean;
  /** The target's `protocol.upload` (frame template, binary layout). */
  upload: UploadProtocolConfig;
  cacheDir?: string;
}

export type FrameTemplate = JsonFrameTemplate | BinaryFrameTemplate;

export async function buildTemplates(spec: TemplateSpec, corpus = new FrameCorpus({ cacheDir: spec.cacheDir })): Promise<FrameTemplate[]> {
  const entry = await corpus.get({ format: spec.format as never, width: spec.width, height: spec.height, quality: spec.quality, frames: spec.frames });
  return entry.frames.map((f) => (spec.binary ? new BinaryFrameTemplate(f, spec.upload.frame.binary) : new JsonFrameTemplate(f.toString('base64'), spec.format, spec.width, spec.height, spec.upload.frame.template)));
}
