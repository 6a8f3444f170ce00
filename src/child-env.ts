// Environment and exit of framebench's own long-running child processes (client workers, embedded
// server and its cluster workers, ingest servers).
// glibc gives every thread its own malloc arena; over hours the arenas of a Node process grow RSS
// while the JS heap stays flat. Two arenas keep a soak's RSS flat (see bench/soak-memory.js).

/**
 * V8 flags of every process that runs load (the `bench` CLI through bin/bench.js's first line, and
 * the client and camera workers it forks). Without a configured initial old generation V8 lowers its
 * first collection bound after start-up from the survival rate; the frame buffers of thousands of
 * sockets then count towards that low bound and set off a full mark-compact several times a second,
 * each one marking every client, its pauses showing in frame latency. 128 MB is a bound, not memory
 * taken: the heap grows only with what is live or not yet collected.
 */
export const HARNESS_V8_FLAGS: readonly string[] = ['--initial-old-space-size=128'];

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
