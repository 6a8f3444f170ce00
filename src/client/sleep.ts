// Abortable sleeps for the pool's phases and pacing: an abort resolves them at once.

export function sleep(msToWait: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, msToWait));
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
  return sleep(atMs - performance.now(), signal);
}
