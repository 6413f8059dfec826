import { describe, expect, it } from 'vitest';
import { runCli } from '../program.ts';

const cli = async (...argv: string[]) => {
  let err = '';
  const code = await runCli(argv, { stdout: () => {}, stderr: (t) => void (err += t), env: {} });
  return { code, err };
};

describe('lookout trace refuses input it would put into a query (exit 2)', () => {
  it('a trace id that is not 32 lowercase hex digits', async () => {
    expect(await cli('trace', 'not-a-trace')).toMatchObject({ code: 2, err: expect.stringMatching(/32 lowercase hex digits/) });
  });

  it('a request id or service with LogsQL or URL syntax in it', async () => {
    expect(await cli('trace', '--request-id', 'x" OR *')).toMatchObject({ code: 2, err: expect.stringMatching(/a request id/) });
    expect(await cli('trace', '--service', 'a&limit=1')).toMatchObject({ code: 2, err: expect.stringMatching(/a service name/) });
  });

  it('none, or more than one, of trace id, --request-id and --service', async () => {
    expect(await cli('trace')).toMatchObject({ code: 2, err: expect.stringMatching(/exactly one of/) });
    expect(await cli('trace', 'a'.repeat(32), '--service', 'worker')).toMatchObject({ code: 2, err: expect.stringMatching(/exactly one of/) });
  });

  it('names Jaeger and the option to check when it cannot be reached (exit 1)', async () => {
    expect(await cli('trace', '--service', 'worker', '--jaeger-url', 'http://127.0.0.1:1')).toMatchObject({ code: 1, err: expect.stringMatching(/Jaeger at http:\/\/127\.0\.0\.1:1 is unreachable .*--jaeger-url/) });
  });
});
