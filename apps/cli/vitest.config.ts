import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each CLI test runs `node src/main.ts` as a child process against a real Redis; the
    // end-to-end audit test keeps VictoriaLogs down for 30 s and sets its own, longer timeout.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
