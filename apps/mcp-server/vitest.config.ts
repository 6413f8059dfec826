import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests start the server as a Node process against real Redis. Stopping it waits up to
    // 2 s for audit delivery to an absent collector (the SIGTERM test took 3.2 s on an idle machine),
    // which vitest's default of 5 s leaves too little of on a machine busy with the rest of CI.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
