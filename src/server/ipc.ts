// Messages between the embedded-server launcher (parent) and its child process.
import type { CorpusKey } from '../frames/corpus.js';
import type { ServerOptions, ServerStats } from './options.js';

/** Handed to the child as its single argv argument (JSON). */
export interface ChildConfig {
  options: Omit<ServerOptions, 'onLog'>;
  prewarm?: CorpusKey[];
}

export type ChildMessage =
  | { type: 'ready'; url: string; port: number }
  | { type: 'stats'; id: number; stats: ServerStats }
  | { type: 'error'; message: string; name: string };

export type ParentMessage = { type: 'stats'; id: number };
