// Messages between the embedded-server launcher (parent) and its child process.
import type { CorpusKey } from '../frames/corpus.js';
import type { ServerOptions, ServerStats } from './options.js';

/** Handed to the child as its single argv argument (JSON); tokens travel in SECRETS_ENV instead. */
export interface ChildConfig {
  options: Omit<ServerOptions, 'onLog' | 'token' | 'adminToken'>;
  prewarm?: CorpusKey[];
}

/** Environment variable with the child's tokens as JSON (argv is visible to every user in `ps`). */
export const SECRETS_ENV = 'FRAMEBENCH_SERVER_SECRETS';

export type ChildSecrets = Pick<ServerOptions, 'token' | 'adminToken'>;

export type ChildMessage = { type: 'ready'; url: string; port: number } | { type: 'stats'; id: number; stats: ServerStats } | { type: 'error'; message: string; name: string; code?: string };

export type ParentMessage = { type: 'stats'; id: number };
