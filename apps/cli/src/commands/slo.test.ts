import { describe, expect, it } from 'vitest';
import { runCli } from '../program.ts';
import { parseStep } from './slo.ts';

const cli = async (...argv: string[]) => {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {} });
  return { code, out, err };
};

describe('lookout slo report', () => {
  it('reads a step as a duration', () => {
    expect(parseStep('30s')).toBe(30);
    expect(parseStep('5m')).toBe(300);
    expect(parseStep('1d')).toBe(86_400);
    expect(() => parseStep('0s')).toThrow(/duration/);
    expect(() => parseStep('1w')).toThrow(/duration/);
  });

  it('refuses a bad step, format or range with a usage error (exit 2) that says what is expected', async () => {
    expect(await cli('slo', 'report', '--step', 'hourly')).toMatchObject({ code: 2, err: expect.stringMatching(/30s, 5m, 1h or 1d/) });
    expect(await cli('slo', 'report', '--format', 'xlsx')).toMatchObject({ code: 2, err: expect.stringMatching(/csv, json/) });
    expect(await cli('slo', 'report', '--from', '1h', '--to', '2h')).toMatchObject({ code: 2, err: expect.stringMatching(/--from .* must be before --to/) });
  });

  it('names Prometheus and what to check when it cannot be reached (exit 1)', async () => {
    const result = await cli('slo', 'report', '--prometheus-url', 'http://127.0.0.1:1');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/Prometheus at http:\/\/127\.0\.0\.1:1 is unreachable .*--prometheus-url/);
  });
});
