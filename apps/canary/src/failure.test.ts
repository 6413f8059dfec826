import { describe, expect, it } from 'vitest';
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { classify, ProbeFailure } from './failure.ts';
import { jittered } from './runner.ts';

describe('classify', () => {
  it('maps what a client sees onto the closed set of reasons', () => {
    expect(classify(new ProbeFailure('wrong_result', 'x'))).toBe('wrong_result');
    expect(classify(new StreamableHTTPError(401, 'unauthorized'))).toBe('auth');
    expect(classify(new StreamableHTTPError(403, 'forbidden'))).toBe('auth');
    expect(classify(new StreamableHTTPError(502, 'bad gateway'))).toBe('server_error');
    expect(classify(new McpError(ErrorCode.RequestTimeout, 'slow'))).toBe('timeout');
    expect(classify(new McpError(ErrorCode.InternalError, 'boom'))).toBe('server_error');
    expect(classify(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }))).toBe('unreachable');
    expect(classify(new DOMException('The operation timed out.', 'TimeoutError'))).toBe('timeout');
    expect(classify(new Error('anything else'))).toBe('server_error');
  });
});

describe('jittered', () => {
  it('stays within ±20 % of the interval', () => {
    expect(jittered(30_000, () => 0)).toBe(24_000);
    expect(jittered(30_000, () => 0.5)).toBe(30_000);
    expect(jittered(30_000, () => 0.999999)).toBe(36_000);
  });
});

describe('wholeTraceId', () => {
  it('is a valid trace id that every ratio sampler of 1 % or more keeps', async () => {
    const { wholeTraceId, samplerAccumulation } = await import('./trace-id.ts');
    const { TraceIdRatioBasedSampler } = await import('@opentelemetry/sdk-trace');
    const sampler = new TraceIdRatioBasedSampler(0.01);
    for (let i = 0; i < 200; i++) {
      const id = wholeTraceId();
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(samplerAccumulation(id)).toBeLessThan(0.01 * 2 ** 32);
      expect(sampler.shouldSample({} as never, id).decision).toBe(2);
    }
  });
});
