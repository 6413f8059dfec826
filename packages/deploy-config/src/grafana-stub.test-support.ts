// A loopback stand-in for Grafana's HTTP API (Grafana itself cannot run here; the compose smoke job
// checks the real one): /api/datasources and /api/dashboards/uid/:uid answered as Grafana 13 answers
// them, with what Grafana adds when it stores provisioned objects (ids, versions, orgId, typeLogoUrl,
// readOnly, the dashboard's meta, panel ids and pluginVersion). Requests without the token get 401.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { listenLocally } from '@lookout/testkit';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GRAFANA_DASHBOARDS, GRAFANA_DATASOURCES } from './grafana-drift.ts';
import { interpolateProvisioning } from './grafana-provisioning-values.ts';

type Json = Record<string, unknown>;

export interface GrafanaStub {
  url: string;
  /** What it serves, editable by a test: dashboards by uid, data sources in list order. */
  dashboards: Map<string, Json>;
  datasources: Json[];
  close(): Promise<void>;
}

/** A provisioned dashboard as Grafana stores it: ids, a version, and each panel's id and pluginVersion. */
function stored(dashboard: Json, id: number): Json {
  const panels = (dashboard.panels as Json[] | undefined ?? []).map((panel, i) => ({ ...panel, id: panel.id ?? i + 1, pluginVersion: '13.2.0' }));
  return { ...dashboard, id, version: 4, panels };
}

/** The provisioned data sources as Grafana lists them. */
function listed(repoRoot: string): Json[] {
  const file = parse(readFileSync(join(repoRoot, GRAFANA_DATASOURCES), 'utf8')) as { datasources: Json[] };
  return interpolateProvisioning(file.datasources, {}).map(({ editable, ...ds }, i) => ({
    id: i + 1, orgId: 1, typeName: String(ds.type), typeLogoUrl: `public/plugins/${String(ds.type)}/img/logo.svg`,
    user: '', database: '', basicAuth: false, isDefault: false, readOnly: editable !== true, jsonData: {}, ...ds,
  }));
}

export async function startGrafanaStub(repoRoot: string, token: string): Promise<GrafanaStub> {
  const dir = join(repoRoot, GRAFANA_DASHBOARDS);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Json);
  const dashboards = new Map(files.map((d, i) => [String(d.uid), stored(d, 10 + i)]));
  const stub = { dashboards, datasources: listed(repoRoot) };
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { message: 'invalid API key', messageId: 'api-key.invalid', statusCode: 401 });
    if (req.url === '/api/datasources') return send(200, stub.datasources);
    const uid = /^\/api\/dashboards\/uid\/([^/?]+)$/.exec(req.url ?? '')?.[1];
    const dashboard = uid === undefined ? undefined : stub.dashboards.get(decodeURIComponent(uid));
    if (!dashboard) return send(404, { message: 'Dashboard not found' });
    send(200, { dashboard, meta: { type: 'db', canSave: false, slug: String(dashboard.uid), url: `/d/${String(dashboard.uid)}`, provisioned: true, provisionedExternalId: `${String(dashboard.uid)}.json`, version: dashboard.version, folderTitle: 'Lookout' } });
  });
  return { ...(await listenLocally(server)), ...stub };
}
