// On-disk corpus cache: one file per entry, named by its content hash, written atomically.
//
// File layout: "FBCORP01" (8 bytes) · u32 BE metadata length · metadata JSON (UTF-8) ·
// the encoded frames back to back (lengths in metadata.frameBytes). A file that is short,
// malformed or from another generator version reads as missing, so it is rebuilt.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { CodecStats } from './codec-stats.js';
import type { EncoderVersions } from './encode.js';
import { GENERATOR_VERSION, type CorpusKey } from './key.js';

const MAGIC = Buffer.from('FBCORP01', 'latin1');
const PREFIX_BYTES = MAGIC.length + 4;
export const CACHE_SCHEMA = 'framebench/corpus@1';

export interface CacheMeta {
  schema: typeof CACHE_SCHEMA;
  generator: number;
  hash: string;
  key: Required<CorpusKey>;
  stats: CodecStats;
  frameBytes: number[];
  encoder: EncoderVersions;
  createdAt: string;
}

/** $XDG_CACHE_HOME/framebench, else ~/.cache/framebench (%LOCALAPPDATA%\framebench on Windows). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'framebench');
  const local = env.LOCALAPPDATA;
  if (process.platform === 'win32' && local) return join(local, 'framebench');
  return join(homedir(), '.cache', 'framebench');
}

/** "webp-854x480-q75-n60-s1-<hash prefix>.fbc": readable, and unique by hash. */
export function entryFileName(key: Required<CorpusKey>, hash: string): string {
  const q = key.format === 'png' ? 'lossless' : `q${key.quality}`;
  return `${key.format}-${key.width}x${key.height}-${q}-n${key.frames}-s${key.seed}-${hash.slice(0, 16)}.fbc`;
}

function parseMeta(json: string, hash: string): CacheMeta | undefined {
  try {
    const meta = JSON.parse(json) as Partial<CacheMeta>;
    if (meta.schema !== CACHE_SCHEMA || meta.generator !== GENERATOR_VERSION || meta.hash !== hash) return undefined;
    if (!Array.isArray(meta.frameBytes) || !meta.stats || !meta.key) return undefined;
    return meta as CacheMeta;
  } catch {
    return undefined;
  }
}

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';
const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);

/** Metadata only (a few hundred bytes read); undefined when the entry is missing or invalid. */
export async function readMeta(file: string, hash: string): Promise<CacheMeta | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    const prefix = Buffer.alloc(PREFIX_BYTES);
    const { bytesRead } = await handle.read(prefix, 0, PREFIX_BYTES, 0);
    if (bytesRead < PREFIX_BYTES || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const metaLength = prefix.readUInt32BE(MAGIC.length);
    if (PREFIX_BYTES + metaLength > size) return undefined;
    const json = Buffer.alloc(metaLength);
    await handle.read(json, 0, metaLength, PREFIX_BYTES);
    const meta = parseMeta(json.toString('utf8'), hash);
    return meta && PREFIX_BYTES + metaLength + sum(meta.frameBytes) === size ? meta : undefined;
  } finally {
    await handle.close();
  }
}

/** Metadata and frames (views into one buffer); undefined when missing or invalid. */
export async function readEntry(file: string, hash: string): Promise<{ meta: CacheMeta; frames: Buffer[] } | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
  if (buf.length < PREFIX_BYTES || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const metaLength = buf.readUInt32BE(MAGIC.length);
  if (PREFIX_BYTES + metaLength > buf.length) return undefined;
  const meta = parseMeta(buf.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + metaLength), hash);
  if (!meta || PREFIX_BYTES + metaLength + sum(meta.frameBytes) !== buf.length) return undefined;
  const frames: Buffer[] = [];
  let offset = PREFIX_BYTES + metaLength;
  for (const n of meta.frameBytes) {
    frames.push(buf.subarray(offset, offset + n));
    offset += n;
  }
  return { meta, frames };
}

/**
 * Writes the entry to a unique temporary file beside the target and renames it into place,
 * so readers (and other processes building the same entry) never see a partial file.
 */
export async function writeEntry(file: string, meta: CacheMeta, frames: Buffer[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32BE(json.length, MAGIC.length);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, [prefix, json, ...frames], { flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Marks an entry as just used (its mtime orders the LRU pruning); a vanished file is fine. */
export async function touchEntry(file: string): Promise<void> {
  const now = new Date();
  await utimes(file, now, now).catch(() => undefined);
}

/**
 * Deletes the least recently used entry files (oldest mtime first) until the folder holds at most
 * `maxEntries` files and `maxBytes` bytes of entries; `keep` (the entry just written) stays.
 * Returns how many files were deleted.
 */
export async function pruneCacheDir(dir: string, limits: { maxBytes: number; maxEntries: number }, keep?: string): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.fbc'));
  } catch {
    return 0;
  }
  const files: Array<{ file: string; size: number; mtimeMs: number }> = [];
  for (const n of names) {
    const file = join(dir, n);
    const st = await stat(file).catch(() => undefined);
    if (st?.isFile()) files.push({ file, size: st.size, mtimeMs: st.mtimeMs });
  }
  files.sort((a, b) => a.mtimeMs - b.mtimeMs);
  let bytes = files.reduce((s, f) => s + f.size, 0);
  let count = files.length;
  let deleted = 0;
  for (const f of files) {
    if (count <= limits.maxEntries && bytes <= limits.maxBytes) break;
    if (f.file === keep) continue;
    await unlink(f.file).catch(() => undefined);
    bytes -= f.size;
    count--;
    deleted++;
  }
  return deleted;
}
