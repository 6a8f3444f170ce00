#!/usr/bin/env -S node --initial-old-space-size=128
// Entry shim: runs the compiled CLI from dist/. The V8 flag on the first line is HARNESS_V8_FLAGS
// (src/child-env.ts): with it the old generation's first collection waits for 128 MB instead of V8
// lowering that bound after start-up from the survival rate, which otherwise sets off a full
// mark-compact several times a second under frame traffic (see README, Performance).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('framebench is not built: run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
await import(pathToFileURL(main).href);
