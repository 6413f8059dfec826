import { describe, expect, it } from 'vitest';
import { bareIp, clientAddressResolver } from './client-address.ts';

const request = (remoteAddress: string | undefined, forwardedFor?: string | string[]) =>
  ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as never;

describe('client.address', () => {
  it('is the socket peer when no proxy is configured, whatever X-Forwarded-For says', () => {
    const of = clientAddressResolver([]);
    expect(of(request('203.0.113.9', 'AKIAIOSFODNN7EXAMPLE, 198.51.100.1'))).toBe('203.0.113.9');
    expect(of(request('::ffff:127.0.0.1', '198.51.100.1'))).toBe('127.0.0.1');
  });

  it('is the socket peer when the peer is not a trusted proxy', () => {
    expect(clientAddressResolver(['10.0.0.0/8'])(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
  });

  it('walks X-Forwarded-For from the right past trusted proxies', () => {
    const of = clientAddressResolver(['10.0.0.0/8', '::1']);
    expect(of(request('10.1.2.3', '198.51.100.7, 10.9.9.9'))).toBe('198.51.100.7');
    // The left-most entry is the client's own claim; only what our proxies appended counts.
    expect(of(request('10.1.2.3', ['1.1.1.1, 198.51.100.7', '10.9.9.9']))).toBe('198.51.100.7');
    expect(of(request('::1', '[2001:db8::1]:4711'))).toBe('2001:db8::1');
  });

  it('stops at the last trusted proxy when a hop is not an IP', () => {
    const of = clientAddressResolver(['10.0.0.0/8']);
    expect(of(request('10.1.2.3', 'ghp_secret0000000000000000000000000000000'))).toBe('10.1.2.3');
    expect(of(request('10.1.2.3'))).toBe('10.1.2.3');
  });

  it('parses bare IPs only', () => {
    expect(bareIp('1.2.3.4:80')).toBe('1.2.3.4');
    expect(bareIp('[::1]:80')).toBe('::1');
    expect(bareIp('unknown')).toBeUndefined();
    expect(bareIp('')).toBeUndefined();
  });
});
