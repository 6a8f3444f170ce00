// Public surface of the reference server module.
export { startReferenceServer, type RunningServer, type ServerDeps } from './reference-server.js';
export { spawnEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from './launcher.js';
export { startClusterServer, type ClusterServer, type ClusterServerOptions } from './cluster-primary.js';
export { resolveServerOptions, SERVER_DEFAULTS, type ClusterStats, type ServerOptions, type ServerStats } from './options.js';
export { adminDrop, adminStats } from './admin-client.js';
export type { DropAmount } from './admin-http.js';
export { formatStatsLine } from './stats.js';
export type { CorpusSource } from './frame-source.js';
