// Environment and exit of framebench's own long-running child processes (client workers, embedded
// server and its cluster workers, ingest servers).
// glibc gives every thread its own malloc arena; over hours the arenas of a Node process grow RSS
// while the JS heap stays flat. Two arenas keep a soak's RSS flat (see bench/soak-memory.js).

export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2', ...extra };
}

/**
 * Ends a child process of framebench (the `bench` process itself exits only in cli/main.ts). Codes:
 * 0 stopped as asked or the parent went away; 1 or 3 could not start (the parent was sent why).
 */
export function exitChild(code: number): never {
  process.exit(code);
}
