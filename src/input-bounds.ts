// Bounds on what users and files hand to framebench, checked before anything recurses into the input:
// nesting depth of parsed documents, file sizes, line lengths.

/** Deepest nesting a scenario, an override value or a results file may have. */
export const MAX_NESTING = 64;

/**
 * Depth of nested arrays/objects in `value` (a scalar is 0), walked iteratively so no input can
 * overflow the stack; stops counting past `limit` and returns limit + 1 then.
 */
export function nestingDepth(value: unknown, limit = MAX_NESTING): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > limit) return limit + 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth]);
    }
  }
  return max;
}

/** "3.2 MB" */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
