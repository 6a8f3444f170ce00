// The results contract (framebench/results@1) in one import: the run record, its cells and their
// figures, the soak and upload blocks, and the schema version.
export * from './browser.js';
export * from './cell-figures.js';
export * from './cell.js';
export * from './ingest.js';
export * from './run.js';
export * from './schema-version.js';
export * from './soak.js';
export * from './threshold.js';
