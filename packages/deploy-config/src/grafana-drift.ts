// Grafana: every provisioned dashboard (deploy/grafana/dashboards/*.json, by uid, from
// /api/dashboards/uid/:uid) and every provisioned data source (datasources.yaml as Grafana stores it,
// by uid, from /api/datasources) against what Grafana serves. Grafana's API needs a token: a service
// account token whose role may read data sources (datasources:read, the Admin role by default).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { diffTrees } from './diff.ts';
import { interpolateProvisioning } from './grafana-provisioning-values.ts';
import { fetchJson, fetchJsonOrAbsent, type FetchOptions } from './http.ts';
import { ANY, normalise, type NormaliseRules, type Tree } from './normalise.ts';
import type { TargetCheck } from './prometheus-drift.ts';
import { resultOf, type ComponentResult, type DriftedObject } from './report.ts';

export const GRAFANA_DASHBOARDS = join('deploy', 'grafana', 'dashboards');
export const GRAFANA_DATASOURCES = join('deploy', 'grafana', 'provisioning', 'datasources', 'datasources.yaml');

/** What Grafana adds to a dashboard it stores: its own ids and counters, and the schema migrations it runs. */
const DASHBOARD_RULES: NormaliseRules = {
  defaults: [['id', ANY], ['version', ANY], ['iteration', ANY], ['schemaVersion', ANY], ['panels.*.id', ANY], ['panels.*.panels.*.id', ANY], ['**.pluginVersion', ANY]],
  // Panels by title, queries by refId, variables by name: a change names its panel, not its position.
  keyedLists: { panels: 'title', targets: 'refId', list: 'name' },
  setLists: ['tags'],
  mountPaths: {},
};

/** A data source's fields the provisioning file sets; the API's others (id, orgId, typeLogoUrl, …) are Grafana's. */
const DATASOURCE_FIELDS = ['name', 'type', 'access', 'url', 'user', 'database', 'basicAuth', 'basicAuthUser', 'withCredentials', 'isDefault', 'readOnly', 'jsonData'] as const;
const DATASOURCE_RULES: NormaliseRules = {
  defaults: [['*.isDefault', false], ['*.basicAuth', false], ['*.withCredentials', false], ['*.user', ''], ['*.database', ''], ['*.basicAuthUser', '']],
  keyedLists: {},
  setLists: [],
  mountPaths: {},
};

type Json = Record<string, Tree>;
const pick = (source: Json) => Object.fromEntries(DATASOURCE_FIELDS.filter((f) => source[f] !== undefined).map((f) => [f, source[f]!]));

/** The provisioned data sources as Grafana stores them: `$$` unescaped (no environment: the file reads none), `editable` as `readOnly`. */
function expectedDatasources(repoRoot: string): Record<string, Json> {
  const file = parse(readFileSync(join(repoRoot, GRAFANA_DATASOURCES), 'utf8')) as { datasources?: Json[] };
  const stored = interpolateProvisioning(file.datasources ?? [], {});
  return Object.fromEntries(stored.map((ds) => [String(ds.uid), pick({ ...ds, readOnly: ds.editable !== true })]));
}

function readDashboards(repoRoot: string): Json[] {
  const dir = join(repoRoot, GRAFANA_DASHBOARDS);
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Json);
}

/** A whole object absent from Grafana: one line naming it, not its whole JSON. */
const absent = (section: DriftedObject['section'], object: string, name: Tree): DriftedObject => ({ section, object, changes: [{ path: '', kind: 'missing', expected: name }] });

async function dashboardDrift(repoRoot: string, url: string, timeoutMs: number, auth: FetchOptions): Promise<DriftedObject[]> {
  const results = await Promise.all(readDashboards(repoRoot).map(async (dashboard) => {
    const uid = String(dashboard.uid);
    const body = await fetchJsonOrAbsent<{ dashboard?: Json }>('grafana', `${url}/api/dashboards/uid/${encodeURIComponent(uid)}`, timeoutMs, auth);
    if (!body?.dashboard) return [absent('dashboards', `dashboards/${uid}`, dashboard.title ?? uid)];
    const changes = diffTrees(normalise(dashboard, DASHBOARD_RULES), normalise(body.dashboard, DASHBOARD_RULES));
    return changes.length ? [{ section: 'dashboards' as const, object: `dashboards/${uid}`, changes }] : [];
  }));
  return results.flat();
}

async function datasourceDrift(repoRoot: string, url: string, timeoutMs: number, auth: FetchOptions): Promise<DriftedObject[]> {
  const expected = normalise(expectedDatasources(repoRoot), DATASOURCE_RULES) as Record<string, Tree>;
  const list = await fetchJson<Json[]>('grafana', `${url}/api/datasources`, timeoutMs, auth);
  const deployed = normalise(Object.fromEntries(list.map((ds) => [String(ds.uid), pick(ds)])), DATASOURCE_RULES) as Record<string, Tree>;
  return [...new Set([...Object.keys(expected), ...Object.keys(deployed)])].sort().flatMap((uid) => {
    const [e, d] = [expected[uid], deployed[uid]];
    if (e !== undefined && d === undefined) return [absent('datasources', `datasources/${uid}`, (e as Json).name ?? uid)];
    const changes = diffTrees(e, d);
    return changes.length ? [{ section: 'datasources' as const, object: `datasources/${uid}`, changes }] : [];
  });
}

export async function checkGrafana({ repoRoot, url, token, tokenSource, timeoutMs = 5000 }: TargetCheck): Promise<ComponentResult> {
  const auth: FetchOptions = { token, tokenSource };
  // Data sources first: a refused token or a wrong URL (404 there) is unreadable, reported once,
  // before a 404 per dashboard could pass for "missing".
  const datasources = await datasourceDrift(repoRoot, url, timeoutMs, auth);
  return resultOf('grafana', url, [...(await dashboardDrift(repoRoot, url, timeoutMs, auth)), ...datasources]);
}
