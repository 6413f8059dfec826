import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Several tests run the real promtool and amtool (the prometheus-config test three times in one):
    // on a machine busy with the rest of CI a first run of such a Go binary can take seconds, and
    // vitest's default of 5 s failed the same kind of test in @lookout/slo. Slower tests set their own.
    testTimeout: 60_000,
  },
});
