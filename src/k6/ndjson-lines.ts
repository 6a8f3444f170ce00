// Streams the lines of an NDJSON file (gzip when it ends in .gz, as `k6 --out json=x.gz` writes)
// without holding more than one line: a line longer than the limit is an error naming the file and
// line, never an unbounded buffer.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { UsageError } from '../errors.js';

/** Default longest line: k6 samples are a few hundred bytes; tags would have to be huge to pass this. */
export const MAX_LINE_BYTES = 1 << 20;

export interface NdjsonLine {
  text: string;
  /** 1-based. */
  lineNo: number;
}

export async function* ndjsonLines(file: string, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<NdjsonLine> {
  const raw = createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    raw.once('open', () => resolve());
    raw.once('error', (err: NodeJS.ErrnoException) => reject(new UsageError(`${file}: cannot read (${err.code ?? err.message})`)));
  });
  await opened;
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNo = 0;
  const tooLong = (): UsageError => new UsageError(`${file}:${lineNo + 1}: line longer than ${maxLineBytes} bytes; is this k6 --out json output? (--max-line-bytes raises the limit)`);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        if (pendingBytes + piece.length > maxLineBytes) throw tooLong();
        const text = pending.length ? Buffer.concat([...pending, piece]).toString('utf8') : piece.toString('utf8');
        pending = [];
        pendingBytes = 0;
        lineNo++;
        yield { text, lineNo };
        start = nl + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        if (pendingBytes + rest.length > maxLineBytes) throw tooLong();
        pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
      }
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    raw.destroy();
  }
  if (pendingBytes > 0) yield { text: Buffer.concat(pending).toString('utf8'), lineNo: lineNo + 1 };
}
