import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests start real Node processes; each waits on real exports.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
