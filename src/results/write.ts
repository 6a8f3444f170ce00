// Writes results files atomically (temporary file + rename), so a reader never sees half a file.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Results } from './results-types.js';

export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  await writeFile(tmp, content);
  await rename(tmp, file);
}

export async function writeResults(outDir: string, results: Results): Promise<string> {
  const file = join(outDir, 'results.json');
  await writeFileAtomic(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

export function newRunId(name: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
  return `${stamp}-${slug}`;
}
