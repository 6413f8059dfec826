import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@lookout/testkit';
import { describe, expect, it } from 'vitest';
import { parseDatasources } from './datasources.ts';
import { expandEnv, interpolateProvisioning, interpolateProvisioningValue } from '@lookout/deploy-config';

const FILE = join(REPO_ROOT, 'deploy', 'grafana', 'provisioning', 'datasources', 'datasources.yaml');

describe('Grafana provisioning interpolation (as pkg/services/provisioning/values does it)', () => {
  it('keeps $$ as a literal $, and expands ${NAME} and $NAME from the environment, unset ones to ""', () => {
    expect(interpolateProvisioningValue('$${__value.raw}')).toBe('${__value.raw}');
    expect(interpolateProvisioningValue('${__value.raw}')).toBe(''); // the mistake the escape prevents
    expect(interpolateProvisioningValue('trace_id:="$${__trace.traceId}"')).toBe('trace_id:="${__trace.traceId}"');
    expect(interpolateProvisioningValue('http://localhost:$PORT/x', { PORT: '3000' })).toBe('http://localhost:3000/x');
    expect(interpolateProvisioningValue('${HOST}:$${PORT}', { HOST: 'h', PORT: '1' })).toBe('h:${PORT}');
    expect(interpolateProvisioningValue('Pa$$sw0rd')).toBe('Pa$sw0rd');
    expect(interpolateProvisioningValue('$$$${x}')).toBe('$${x}');
  });

  it('follows Go os.Expand on odd input: a lone or trailing $ stays, bad ${ syntax is eaten', () => {
    expect(expandEnv('cost: 5$', {})).toBe('cost: 5$');
    expect(expandEnv('a $ b', {})).toBe('a $ b');
    expect(expandEnv('${}x', {})).toBe('x');
    expect(expandEnv('${unclosed', {})).toBe('unclosed');
    expect(expandEnv('$1st', { '1': 'one' })).toBe('onest');
  });
});

describe('the data source correlations survive provisioning as Grafana stores them', () => {
  const raw = parseDatasources(readFileSync(FILE, 'utf8'));
  const stored = interpolateProvisioning(raw, {});
  const byUid = (uid: string) => stored.datasources!.find((ds) => ds.uid === uid)!;

  it('logs -> trace: the trace_id field of a log line opens the trace in Jaeger', () => {
    const [field] = byUid('logs-app').jsonData!.derivedFields as Record<string, string>[];
    expect(field).toMatchObject({ matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: 'jaeger', url: '${__value.raw}' });
    expect(stored.datasources!.map((ds) => ds.uid)).toContain(field!.datasourceUid);
  });

  it('trace -> logs: the trace id in a LogsQL query on the app logs, with the window widened both ways', () => {
    const link = byUid('jaeger').jsonData!.tracesToLogsV2 as Record<string, unknown>;
    expect(link).toMatchObject({ datasourceUid: 'logs-app', customQuery: true, query: 'trace_id:="${__trace.traceId}" | sort by (_time)' });
    expect(link.spanStartTimeShift).toMatch(/^-\d+[smh]$/);
    expect(link.spanEndTimeShift).toMatch(/^\d+[smh]$/);
  });

  it('no value of the file loses a $ to the environment: every $ is escaped, none reads an env var', () => {
    const unescaped = (value: unknown): string[] =>
      typeof value === 'string' ? (value.split('$$').some((part) => part.includes('$')) ? [value] : []) : value && typeof value === 'object' ? Object.values(value).flatMap(unescaped) : [];
    expect(unescaped(raw)).toEqual([]);
  });
});
