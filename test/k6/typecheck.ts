// Type-checks a generated k6 script with tsc (checkJs, strict) against @types/k6: the current
// types for the k6 ≥ 0.54 flavour, @types/k6@0.47 (installed as k6-types-v047) for the 0.47 one.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { K6Flavour } from '../../src/k6/export-script.js';
import { ROOT, tempDir } from '../helpers.js';

/** All sources in one tsc run (each is its own module). */
export function typecheckK6(sources: string | string[], flavour: K6Flavour): { ok: boolean; output: string } {
  const dir = tempDir('fb-k6-tsc-');
  const types = join(ROOT, 'node_modules', flavour === '0.47' ? 'k6-types-v047' : '@types/k6');
  const names = (Array.isArray(sources) ? sources : [sources]).map((source, i) => {
    writeFileSync(join(dir, `script${i}.js`), source);
    return `script${i}.js`;
  });
  const tsconfig = {
    compilerOptions: {
      allowJs: true,
      checkJs: true,
      noEmit: true,
      strict: true,
      target: 'ES2017',
      lib: ['ES2017'],
      module: 'ESNext',
      moduleResolution: 'Bundler',
      types: [],
      baseUrl: '.',
      paths: { k6: [join(types, 'index.d.ts')], 'k6/*': [join(types, '*')] },
    },
    files: [...names, join(types, 'global.d.ts')],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
