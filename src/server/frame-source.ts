// Frames the server streams: corpus entries fetched once per key and prepared for the hot path
// (format code, payload list, base64 text computed once per entry on first use).
import type { CorpusEntry, CorpusKey } from '../frames/corpus.js';
import { formatCode, type FormatCode, type FrameFormat } from '../protocol/header.js';

/** What the server needs from the frame corpus (FrameCorpus implements it). */
export interface CorpusSource {
  get(key: CorpusKey): Promise<CorpusEntry>;
}

export class PreparedFrames {
  readonly formatCode: FormatCode;
  readonly count: number;
  private b64: Buffer[] | undefined;

  constructor(
    readonly format: FrameFormat,
    readonly width: number,
    readonly height: number,
    readonly payloads: readonly Buffer[],
  ) {
    if (payloads.length === 0) throw new Error(`corpus entry ${format} ${width}x${height} has no frames`);
    this.formatCode = formatCode(format);
    this.count = payloads.length;
  }

  /** Base64 of each payload as ASCII bytes, computed on first use. */
  base64(): readonly Buffer[] {
    this.b64 ??= this.payloads.map((p) => Buffer.from(p.toString('base64'), 'latin1'));
    return this.b64;
  }
}

export class FrameSource {
  private readonly entries = new Map<string, Promise<PreparedFrames>>();

  constructor(
    private readonly corpus: CorpusSource,
    private readonly corpusFrames: number,
  ) {}

  /** The corpus key the server uses for a request; prewarm and requests go through here alike. */
  keyFor(format: FrameFormat, width: number, height: number, quality: number): CorpusKey {
    return { format, width, height, quality, frames: this.corpusFrames };
  }

  get(key: CorpusKey): Promise<PreparedFrames> {
    const full = this.keyFor(key.format, key.width, key.height, key.quality);
    const id = `${full.format}:${full.width}x${full.height}:q${full.quality}:n${full.frames}`;
    let p = this.entries.get(id);
    if (!p) {
      p = this.corpus.get(full).then((e) => new PreparedFrames(full.format, full.width, full.height, e.frames));
      p.catch(() => this.entries.delete(id));
      this.entries.set(id, p);
    }
    return p;
  }
}
