import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The tests run the real sloth, promtool and amtool: a first run of a large Go binary, on a machine
    // busy with the rest of CI, took more than vitest's default 5 s (promtool check rules).
    testTimeout: 60_000,
  },
});
