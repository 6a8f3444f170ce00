import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    // Every results file written during the tests (in this process and in the CLI children it
    // spawns) is validated against schema/results.schema.json first (src/results/write.ts).
    env: { FRAMEBENCH_VALIDATE_RESULTS: '1' },
  },
});
