// What the ingest launcher and its child processes say to each other (config in argv, IPC messages).
import type { IngestServerOptions } from './ingest-server.js';
import type { ModelApiOptions } from './model-api.js';

export const INGEST_SECRET_ENV = 'FRAMEBENCH_INGEST_SECRETS';

export type IngestChildConfig = { role: 'model-api'; options: ModelApiOptions } | { role: 'ingest'; options: Omit<IngestServerOptions, 'apiKey' | 'onLog'> };

export type IngestChildMessage = { type: 'ready'; url: string; port: number } | { type: 'error'; message: string; code?: string };
