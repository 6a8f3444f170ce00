#!/usr/bin/env node
// Entry shim: runs the compiled CLI from dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('framebench is not built: run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
await import(pathToFileURL(main).href);
