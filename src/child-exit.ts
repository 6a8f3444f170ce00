// Child processes the harness started (embedded servers, ingestion servers) are killed when it
// exits, however it exits: one 'exit' listener for all of them, however many are alive at once.
const kills = new Set<() => void>();
let hooked = false;

function killAll(): void {
  for (const kill of kills) kill();
}

/** Runs `kill` when this process exits; the returned function forgets it (the child stopped). */
export function killOnExit(kill: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.once('exit', killAll);
  }
  kills.add(kill);
  return () => {
    kills.delete(kill);
  };
}
