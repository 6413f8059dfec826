import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { components } from '@lookout/stack/components';
import { REPO_ROOT } from '@lookout/testkit';
import { describe, expect, it } from 'vitest';
import { accountIdOf, checkDatasources, parseDatasources, type DatasourceCheckOptions } from './datasources.ts';

const FILE = join(REPO_ROOT, 'deploy', 'grafana', 'provisioning', 'datasources', 'datasources.yaml');
const collectorConfig = readFileSync(join(REPO_ROOT, 'otel-collector', 'config.yaml'), 'utf8');

/** The AccountID the collector writes a store's logs under: the default of its exporter's header. */
function collectorTenant(variable: string): string {
  const match = new RegExp(`AccountID: \\$\\{env:${variable}:-(\\d+)\\}`).exec(collectorConfig);
  if (!match?.[1]) throw new Error(`otel-collector/config.yaml has no AccountID header from ${variable}`);
  return match[1];
}

const defaultPort = (name: string) => components.find((c) => c.name === name)!.defaultPort;

const options: DatasourceCheckOptions = {
  required: { prometheus: 'prometheus', 'logs-app': 'victoriametrics-logs-datasource', jaeger: 'jaeger' },
  tenants: { 'logs-app': collectorTenant('LOOKOUT_LOGS_APP_ACCOUNT_ID') },
  audit: { accountId: collectorTenant('LOOKOUT_LOGS_AUDIT_ACCOUNT_ID'), port: defaultPort('logs-audit') },
};

describe('deploy/grafana/provisioning/datasources/datasources.yaml', () => {
  const file = parseDatasources(readFileSync(FILE, 'utf8'));

  it('provisions Prometheus, the app logs tenant and Jaeger under stable uids, and nothing that reaches the audit store', () => {
    expect(options.tenants['logs-app']).toBe('1');
    expect(options.audit.accountId).toBe('2');
    expect(checkDatasources(file, options)).toEqual([]);
    expect(file.datasources?.map((ds) => ds.uid)).toEqual(['prometheus', 'logs-app', 'jaeger']);
  });

  it('points each data source at the port npm start and compose serve it on', () => {
    const url = (uid: string) => new URL(file.datasources!.find((ds) => ds.uid === uid)!.url!);
    expect(Number(url('prometheus').port)).toBe(defaultPort('prometheus'));
    expect(Number(url('logs-app').port)).toBe(defaultPort('logs-app'));
    expect(Number(url('jaeger').port)).toBe(defaultPort('jaeger'));
  });
});

describe('checkDatasources finds each kind of defect', () => {
  it('in a broken fixture file', () => {
    const broken = parseDatasources(readFileSync(join(import.meta.dirname, 'fixtures', 'broken-datasources.yaml'), 'utf8'));
    expect(checkDatasources(broken, options).sort()).toEqual(
      [
        'apiVersion must be 1, found 2',
        'prometheus: access must be proxy, found direct',
        'prometheus: type must be prometheus, found loki',
        'logs-app: must query tenant AccountID 1, sends none (tenant 0)',
        'logs-audit: queries the audit tenant (AccountID 2), which Grafana must not reach',
        'logs-audit: points at the audit store (port 9429), which Grafana must not reach',
        'Audit: uid is missing',
        'Audit: url is missing',
        'Audit: name "Audit" is used twice',
        'only one data source may be the default, found prometheus, logs-audit',
        'no data source has uid "jaeger"',
      ].sort(),
    );
  });

  it('reads the tenant from the plugin setting or from Grafana custom headers', () => {
    expect(accountIdOf({ jsonData: { multitenancyHeaders: { AccountID: '1', ProjectID: '0' } } })).toBe('1');
    expect(accountIdOf({ jsonData: { httpHeaderName2: 'AccountID' }, secureJsonData: { httpHeaderValue2: '7' } })).toBe('7');
    expect(accountIdOf({ jsonData: { httpHeaderName1: 'X-Other' }, secureJsonData: { httpHeaderValue1: '7' } })).toBeUndefined();
  });

  it('rejects a file that is not a provisioning map', () => {
    expect(() => parseDatasources('')).toThrow(/not a provisioning file/);
    expect(checkDatasources({ apiVersion: 1 }, options)).toEqual(['datasources must be a list']);
  });
});
