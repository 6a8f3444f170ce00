// The version of the results contract this framebench writes and reads; schema/results.schema.json
// is its published JSON Schema.
export const RESULTS_SCHEMA = 'framebench/results@1';
