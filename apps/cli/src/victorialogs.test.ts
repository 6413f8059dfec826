import { afterEach, describe, expect, it } from 'vitest';
import { victoriaLogsBinary, victoriaLogsMissing } from './victorialogs.test-support.ts';

describe('the VictoriaLogs binary for end-to-end tests', () => {
  const saved = { ci: process.env.CI, cache: process.env.LOOKOUT_CACHE_DIR };
  afterEach(() => {
    for (const [name, value] of [['CI', saved.ci], ['LOOKOUT_CACHE_DIR', saved.cache]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('is found where scripts/backends/paths.sh says, pinned by deploy/versions.json', () => {
    process.env.LOOKOUT_CACHE_DIR = '/somewhere';
    expect(victoriaLogsBinary()).toMatch(/^\/somewhere\/bin\/victoria-logs-\d+\.\d+\.\d+$/);
  });

  it('is a skip reason locally and a failure naming victoria-logs under CI when missing', () => {
    process.env.LOOKOUT_CACHE_DIR = '/nonexistent';
    delete process.env.CI;
    expect(victoriaLogsMissing()).toContain('bash scripts/backends/build.sh victorialogs');
    process.env.CI = 'true';
    expect(() => victoriaLogsMissing()).toThrow(/\[CI\] victoria-logs is missing/);
  });
});
