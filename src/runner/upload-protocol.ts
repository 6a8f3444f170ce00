// Which upload protocol a scenario's cameras speak: `protocol.upload` of a declarative adapter, the
// older `ingest.wire` block (converted, with a deprecation note), or the reference wire format —
// and the adapter's upgrade headers and query parameters for the cameras' connections.
import type { ClientOptions } from 'ws';
import { ScenarioError } from '../errors.js';
import { withQuery } from '../protocol/adapters/index.js';
import { uploadFromWire } from '../protocol/adapters/upload.js';
import { REFERENCE_UPLOAD, type UploadProtocolConfig } from '../protocol/adapters/upload-schema.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { IngestConfig } from '../scenario/schema.js';
import { secretsFrom } from '../text/redact.js';

export interface UploadTarget {
  upload: UploadProtocolConfig;
  /** The camera URL with the adapter's query parameters. */
  url(base: string): string;
  wsOptions(base: ClientOptions | undefined): ClientOptions | undefined;
  /** Credentials in the adapter's upgrade headers and query: kept out of results, reports and logs. */
  secrets: string[];
}

export function uploadTargetOf(loaded: LoadedScenario, cfg: IngestConfig, log: (message: string) => void): UploadTarget {
  const p = loaded.scenario.protocol;
  if (p !== 'reference' && 'module' in p)
    throw new ScenarioError(`${loaded.file}: protocol: a { module } adapter drives download streams; describe an ingestion server declaratively in protocol.upload (frame template, answer, ack, dropped, error, limit, done)`);
  const declared = p === 'reference' ? undefined : p.upload;
  if (cfg.wire && declared) throw new ScenarioError(`${loaded.file}: ingest.wire and protocol.upload both describe the server's messages: keep protocol.upload (ingest.wire is its older alias)`);
  let upload = declared ?? REFERENCE_UPLOAD;
  if (cfg.wire) {
    upload = uploadFromWire(cfg.wire);
    log(
      `${loaded.file}: ingest.wire is deprecated; it is read as protocol.upload (frame template ${JSON.stringify(upload.frame.template).replace(/"\$\{data\}"/, '"…"')}, answers ${JSON.stringify(upload.answer.match)} with ids in ${upload.answer.ids})`,
    );
  }
  const upgrade = p === 'reference' ? undefined : p.upgrade;
  return {
    upload,
    url: (base) => (upgrade ? withQuery(base, upgrade.query) : base),
    wsOptions: (base) => (upgrade && Object.keys(upgrade.headers).length ? { ...base, headers: { ...upgrade.headers, ...base?.headers } } : base),
    secrets: upgrade ? secretsFrom({ urls: [withQuery('ws://upgrade/', upgrade.query)], headers: upgrade.headers }) : [],
  };
}
