// Environment for framebench's own long-running child processes (client workers, embedded server).
// glibc gives every thread its own malloc arena; over hours the arenas of a Node process grow RSS
// while the JS heap stays flat. Two arenas keep a soak's RSS flat (see bench/soak-memory.js).

export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2', ...extra };
}
