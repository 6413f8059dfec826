import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The collector test starts a real otelcol.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The shipper warns on every simulated outage; the tests assert on behaviour, not on those lines.
    env: { LOOKOUT_LOG_LEVEL: 'error' },
  },
});
