// Turns schema issues into messages that name the file, the field path, the bad value and what is allowed.
import type { z } from 'zod';

export function formatIssues(file: string, issues: z.core.$ZodIssue[], prefix: Array<string | number> = []): string {
  const lines = issues.map((issue) => {
    const path = formatPath([...prefix, ...(issue.path as Array<string | number>)]);
    if (issue.code === 'unrecognized_keys') {
      const where = path ? `${path}: ` : '';
      return `${file}: ${where}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return `${file}: ${path || '(top level)'}: ${issue.message}, got ${describe(issue.input)}`;
  });
  return lines.join('\n');
}

export function formatPath(path: Array<string | number | symbol>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
