// The smoke check CI runs by name (bash .ci/run smoke), run here too so `npm test` covers it: the
// whole stack started by `npm start`, then /health, /health/ready and /metrics of every service.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redisMissing } from '@lookout/testkit';
import { components } from './components.ts';
import { backendsMissing } from './testing.ts';

const skip = redisMissing() ?? backendsMissing(components.map((c) => c.name));

describe.skipIf(skip)('npm run smoke', () => {
  it('starts the stack and finds every service healthy, ready and serving Prometheus text', () => {
    const smoke = spawnSync(process.execPath, [fileURLToPath(new URL('./smoke.ts', import.meta.url))], { encoding: 'utf8', timeout: 240_000 });
    expect(smoke.status, smoke.stdout + smoke.stderr).toBe(0);
    for (const service of ['reviewer', 'worker', 'mcp-server']) {
      for (const path of ['/health', '/health/ready', '/metrics']) expect(smoke.stdout).toContain(`✓ ${service} ${path}`);
    }
    expect(smoke.stdout).not.toContain('✗');
  }, 300_000);
});
