// Child-process entry for the ingest side's servers (forked by launcher.ts): starts the mock model
// API or the reference ingestion server from the JSON config in argv[2] (the model API key comes in
// the environment), reports ready over IPC, and shuts down on SIGTERM or when the parent goes away.
import { startIngestServer } from './ingest-server.js';
import { startModelApi } from './model-api.js';
import { INGEST_SECRET_ENV, type IngestChildConfig, type IngestChildMessage } from './child-ipc.js';
import { exitChild } from '../child-env.js';

function send(msg: IngestChildMessage): void {
  if (process.connected) process.send?.(msg);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as IngestChildConfig;
  const secrets = JSON.parse(process.env[INGEST_SECRET_ENV] ?? '{}') as { apiKey?: string };
  delete process.env[INGEST_SECRET_ENV];
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  let server: { url: string; port: number; close(opts?: { graceful?: boolean }): Promise<void> };
  try {
    server = config.role === 'model-api' ? await startModelApi({ ...config.options, onLog: log }) : await startIngestServer({ ...config.options, apiKey: secrets.apiKey, onLog: log });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    send({ type: 'error', message: e.message, code: e.code });
    exitChild(1);
  }
  let stopping = false;
  const stop = (graceful: boolean): void => {
    if (stopping) return;
    stopping = true;
    void server.close({ graceful }).finally(() => exitChild(0));
  };
  process.on('SIGTERM', () => stop(true));
  process.on('SIGINT', () => {});
  process.on('disconnect', () => stop(false));
  send({ type: 'ready', url: server.url, port: server.port });
}

void main();
