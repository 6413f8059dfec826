// Checks a Grafana data source provisioning file: the shape Grafana reads, the uids later issues
// refer to, the app tenant on the logs data source, and that nothing reaches the audit store.
import { parse } from 'yaml';

export interface Datasource {
  name?: string;
  uid?: string;
  type?: string;
  access?: string;
  url?: string;
  isDefault?: boolean;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, unknown>;
}

export interface DatasourceFile {
  apiVersion?: number;
  datasources?: Datasource[];
}

export function parseDatasources(text: string): DatasourceFile {
  const doc = parse(text) as DatasourceFile | null;
  if (!doc || typeof doc !== 'object') throw new Error('not a provisioning file: empty or not a map');
  return doc;
}

export interface DatasourceCheckOptions {
  /** uid -> plugin type every file must provision, e.g. { 'logs-app': 'victoriametrics-logs-datasource' }. */
  required: Record<string, string>;
  /** uid -> the VictoriaLogs AccountID its queries must carry, e.g. { 'logs-app': '1' }. */
  tenants: Record<string, string>;
  /** The audit store: no data source may send its tenant's AccountID or point at its port. */
  audit: { accountId: string; port: number };
}

/**
 * The AccountID a data source sends: the VictoriaLogs plugin's jsonData.multitenancyHeaders, or
 * Grafana's generic custom headers (jsonData.httpHeaderNameN + secureJsonData.httpHeaderValueN).
 */
export function accountIdOf(ds: Datasource): string | undefined {
  const tenant = ds.jsonData?.multitenancyHeaders as Record<string, unknown> | undefined;
  if (tenant?.AccountID !== undefined) return String(tenant.AccountID);
  for (const [key, value] of Object.entries(ds.jsonData ?? {})) {
    const n = /^httpHeaderName(\d+)$/.exec(key)?.[1];
    if (n && String(value).toLowerCase() === 'accountid') {
      const header = ds.secureJsonData?.[`httpHeaderValue${n}`];
      return header === undefined ? undefined : String(header);
    }
  }
  return undefined;
}

function portOf(url: string): number | undefined {
  try {
    const parsed = new URL(url);
    return Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  } catch {
    return undefined;
  }
}

/** Every problem found, one sentence each; empty when the file is sound. */
export function checkDatasources(file: DatasourceFile, options: DatasourceCheckOptions): string[] {
  const problems: string[] = [];
  if (file.apiVersion !== 1) problems.push(`apiVersion must be 1, found ${String(file.apiVersion)}`);
  if (!Array.isArray(file.datasources)) return [...problems, 'datasources must be a list'];

  const seenUids = new Set<string>();
  const seenNames = new Set<string>();
  for (const [i, ds] of file.datasources.entries()) {
    const label = ds.uid ?? ds.name ?? `#${i}`;
    for (const field of ['name', 'uid', 'type', 'url'] as const) {
      if (typeof ds[field] !== 'string' || ds[field] === '') problems.push(`${label}: ${field} is missing`);
    }
    if (ds.uid && seenUids.has(ds.uid)) problems.push(`${label}: uid is used twice`);
    if (ds.name && seenNames.has(ds.name)) problems.push(`${label}: name "${ds.name}" is used twice`);
    if (ds.uid) seenUids.add(ds.uid);
    if (ds.name) seenNames.add(ds.name);
    // Server-side (proxy) access: the browser never talks to a backend, so none needs publishing
    // beyond Grafana, and Grafana's own auth stands in front of every query.
    if (ds.access !== 'proxy') problems.push(`${label}: access must be proxy, found ${String(ds.access)}`);
    if (ds.url && portOf(ds.url) === undefined) problems.push(`${label}: url ${ds.url} is not a URL`);

    if (accountIdOf(ds) === options.audit.accountId) problems.push(`${label}: queries the audit tenant (AccountID ${options.audit.accountId}), which Grafana must not reach`);
    if (ds.url && portOf(ds.url) === options.audit.port) problems.push(`${label}: points at the audit store (port ${options.audit.port}), which Grafana must not reach`);
  }

  const defaults = file.datasources.filter((ds) => ds.isDefault === true);
  if (defaults.length > 1) problems.push(`only one data source may be the default, found ${defaults.map((ds) => ds.uid).join(', ')}`);

  for (const [uid, type] of Object.entries(options.required)) {
    const ds = file.datasources.find((candidate) => candidate.uid === uid);
    if (!ds) problems.push(`no data source has uid "${uid}"`);
    else if (ds.type !== type) problems.push(`${uid}: type must be ${type}, found ${String(ds.type)}`);
  }
  for (const [uid, accountId] of Object.entries(options.tenants)) {
    const ds = file.datasources.find((candidate) => candidate.uid === uid);
    const sent = ds ? accountIdOf(ds) : undefined;
    if (ds && sent !== accountId) problems.push(`${uid}: must query tenant AccountID ${accountId}, sends ${sent ?? 'none (tenant 0)'}`);
  }
  return problems;
}
