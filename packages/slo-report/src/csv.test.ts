import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv.ts';

describe('RFC 4180 CSV', () => {
  it('has a header row and CRLF line ends, the last line included', () => {
    expect(toCsv(['a', 'b'], [{ a: 1, b: 'x' }, { a: 2, b: 'y' }])).toBe('a,b\r\n1,x\r\n2,y\r\n');
    expect(toCsv(['a'], [])).toBe('a\r\n');
  });

  it('quotes a field with a comma, a quote, CR or LF, doubling the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('plain')).toBe('plain');
  });

  it('writes numbers without locale: a dot, no grouping, whatever the process locale; absent is empty', () => {
    expect(csvField(1234567.891)).toBe('1234567.891');
    expect(csvField(0.995)).toBe('0.995');
    expect(csvField(-0.25)).toBe('-0.25');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(csvField(true)).toBe('true');
    // What a locale-aware formatter would have written instead.
    expect((1234567.891).toLocaleString('de-DE')).not.toBe(csvField(1234567.891));
  });
});
