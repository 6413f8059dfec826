import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knownMetrics, loadRules, recordedNames, RULES_DIR } from '@lookout/slo';
import { REPO_ROOT } from '@lookout/testkit';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mountsOf, parseCompose } from '../compose.ts';
import { parseDatasources } from '../datasources.ts';
import { BURN_WINDOWS, readCatalogue, renderDashboards, staleDashboards } from './index.ts';
import { schemaProblems } from './schema.ts';
import { explorePanes, validateDashboard, variablesIn, type DashboardJson, type ValidationContext } from './validate.ts';

const DEPLOY = join(REPO_ROOT, 'deploy');
const paths = { catalogue: join(REPO_ROOT, 'slo', 'lookout.slo.yaml'), outDir: join(DEPLOY, 'grafana', 'dashboards') };
const committed = readdirSync(paths.outDir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(paths.outDir, f), 'utf8')) as DashboardJson);
const provisioned = parseDatasources(readFileSync(join(DEPLOY, 'grafana', 'provisioning', 'datasources', 'datasources.yaml'), 'utf8'));
const context: ValidationContext = {
  datasources: new Map(provisioned.datasources!.map((ds) => [ds.uid!, ds.type!])),
  metrics: new Set([...knownMetrics().names, ...recordedNames(loadRules())]),
};
const byUid = (uid: string) => committed.find((d) => d.uid === uid)!;
const queries = (d: DashboardJson) => (d.panels ?? []).flatMap((p) => (p.targets ?? []).map((t) => String(t.expr ?? t.service)));

describe('deploy/grafana/dashboards', () => {
  it('are what the generator writes (npm run dashboards -w @lookout/deploy -- generate)', () => {
    expect(staleDashboards(paths)).toEqual([]);
    expect(committed.map((d) => d.uid).sort()).toEqual(['lookout-pipeline', 'lookout-services', 'lookout-slo']);
  });

  it('conform to the dashboard JSON schema of the foundation SDK (schema/README.md)', () => {
    for (const dashboard of committed) expect(schemaProblems(dashboard), dashboard.uid).toEqual([]);
  });

  it('pass every file check: shape, provisioned data sources, defined variables, PromQL that parses and reads known metrics', () => {
    for (const dashboard of committed) expect(validateDashboard(dashboard, context), dashboard.uid).toEqual([]);
    const panels = committed.flatMap((d) => d.panels ?? []).filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(30);
  });

  it('are provisioned by a file provider at the path compose mounts them on', () => {
    const provider = (parse(readFileSync(join(DEPLOY, 'grafana', 'provisioning', 'dashboards', 'lookout.yaml'), 'utf8')) as { providers: { type: string; options: { path: string } }[] }).providers[0]!;
    expect(provider.type).toBe('file');
    const grafana = parseCompose(readFileSync(join(DEPLOY, 'docker-compose.yml'), 'utf8')).services.grafana!;
    expect(mountsOf(grafana).find((m) => m.source === './grafana/dashboards')?.target).toBe(provider.options.path);
  });

  it('resolve every SLO alert\'s dashboard_url: the uid and its service and slo variables', () => {
    const slos = readCatalogue(paths.catalogue);
    expect(slos.length).toBeGreaterThanOrEqual(7);
    for (const slo of slos) {
      const url = new URL(slo.dashboardUrl);
      const dashboard = byUid(url.pathname.split('/')[2]!);
      expect(dashboard, slo.dashboardUrl).toBeDefined();
      const variables = dashboard.templating!.list!.map((v) => v.name);
      for (const key of url.searchParams.keys()) expect(variables, slo.dashboardUrl).toContain(key.replace(/^var-/, ''));
      // The catalogue panel names each alert and links its runbook.
      const catalogue = dashboard.panels!.find((p) => p.type === 'text') as { options?: { content?: string } };
      expect(catalogue.options?.content).toContain(`[${slo.alert}](${slo.runbookUrl})`);
    }
  });

  it('draw the burn-rate thresholds the generated alerts use', () => {
    const rules = loadRules(RULES_DIR).filter((r) => r.alert);
    for (const { factor, long, short } of BURN_WINDOWS) {
      for (const window of [long, short]) {
        expect(rules.some((r) => r.expr.includes(`slo:sli_error:ratio_rate${window}{`) && r.expr.includes(`> (${factor} * `)), `${factor}x ${window}`).toBe(true);
      }
    }
    const burn = byUid('lookout-slo').panels!.find((p) => p.title === 'Burn rate per alert window') as { fieldConfig: { defaults: { thresholds: { steps: { value: number | null }[] } } } };
    expect(burn.fieldConfig.defaults.thresholds.steps.map((s) => s.value)).toEqual([null, 1, 3, 6, 14.4]);
  });

  it('filter every service query by the environment and service variables, hard-coding neither', () => {
    for (const uid of ['lookout-services', 'lookout-pipeline']) {
      for (const query of queries(byUid(uid)).filter((q) => /lookout_|http_server|mcp_server|nodejs_|v8js_/.test(q))) {
        expect(query, uid).toContain('job=~"$service"');
        if (!query.includes('service.name')) expect(query, uid).toContain('deployment_environment_name=~"$environment"');
        expect(query, uid).not.toMatch(/job="(reviewer|worker|mcp-server)"/);
      }
    }
  });

  it("show each service's Node.js runtime: event loop delay and utilization, heap, GC", () => {
    const runtime = queries(byUid('lookout-services')).filter((q) => /nodejs_|v8js_/.test(q));
    for (const metric of ['nodejs_eventloop_delay_p99_seconds', 'nodejs_eventloop_utilization_ratio', 'v8js_memory_heap_used_bytes', 'v8js_gc_duration_seconds_sum']) {
      expect(runtime.filter((q) => q.includes(metric)), metric).toHaveLength(1);
    }
  });

  it('link service panels to the logs and traces of the clicked service and time range', () => {
    const links = byUid('lookout-services').panels!.flatMap((p) => p.fieldConfig?.defaults?.links ?? []);
    expect(links.length).toBeGreaterThan(0);
    const panes = links.map((l) => Object.values(explorePanes(l.url!)!)[0]!);
    expect(panes.map((p) => p.datasource)).toEqual(expect.arrayContaining(['logs-app', 'jaeger']));
    for (const link of links) expect(link.url).toMatch(/\$\{__field\.labels\.job:percentencode\}.*\$\{__from\}.*\$\{__to\}/);
  });
});

describe('npm run dashboards', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(DEPLOY, 'src', 'dashboards', 'cli.ts'), ...args], { encoding: 'utf8' });

  it('has --help, checks without writing, and names what is wrong with a bad command', () => {
    const help = cli('--help');
    expect([help.status, help.stdout]).toEqual([0, expect.stringMatching(/^Usage: dashboards[^]*generate[^]*check/)]);
    expect(cli('check').status).toBe(0);
    const unknown = cli('publish');
    expect([unknown.status, unknown.stderr]).toEqual([1, expect.stringMatching(/unknown command 'publish'/)]);
    const flag = cli('generate', '--force');
    expect([flag.status, flag.stderr]).toEqual([1, expect.stringMatching(/unknown option '--force'/)]);
  });
});

describe('validateDashboard finds each kind of defect', () => {
  const good = () => JSON.parse(renderDashboards(paths.catalogue).get('lookout-services.json')!) as DashboardJson & { panels: Record<string, unknown>[] };
  const problemsAfter = (edit: (d: ReturnType<typeof good>) => void) => {
    const dashboard = good();
    edit(dashboard);
    return validateDashboard(dashboard, context);
  };
  const firstQuery = (d: ReturnType<typeof good>) => (d.panels[1]!.targets as Record<string, unknown>[])[0]!;

  it('one problem per defect', () => {
    expect(problemsAfter(() => {})).toEqual([]);
    expect(problemsAfter((d) => (firstQuery(d).expr = 'sum(rate(lookout_invented_total[5m]))'))).toEqual([expect.stringMatching(/metric lookout_invented_total is neither in the inventory/)]);
    expect(problemsAfter((d) => (firstQuery(d).expr = 'sum(rate(up[5m])'))).toEqual([expect.stringMatching(/PromQL does not parse/)]);
    expect(problemsAfter((d) => (firstQuery(d).expr = 'sum(up{job=~"$tenant"})'))).toEqual([expect.stringMatching(/uses \$tenant, which is not a variable/)]);
    expect(problemsAfter((d) => (d.panels[1]!.datasource = { type: 'prometheus', uid: 'mimir' }))).toEqual([expect.stringMatching(/uid "mimir", which is not provisioned/)]);
    expect(problemsAfter((d) => (firstQuery(d).datasource = { type: 'loki', uid: 'logs-app' }))).toEqual([expect.stringMatching(/is a loki, provisioning says victoriametrics-logs-datasource/)]);
    expect(problemsAfter((d) => (d.panels[2]!.id = d.panels[1]!.id))).toEqual([expect.stringMatching(/needs a unique numeric id/)]);
    expect(problemsAfter((d) => (d.panels[1]!.gridPos = { x: 20, y: 0, w: 8, h: 8 }))).toEqual([expect.stringMatching(/24-column grid/)]);
    expect(problemsAfter((d) => ((d.panels[1]!.fieldConfig as { defaults: { links: { url: string }[] } }).defaults.links[0]!.url = '/explore?panes=%7B%22a%22%3A%7B%22datasource%22%3A%22tempo%22%7D%7D'))).toEqual([expect.stringMatching(/opens data source tempo/)]);
  });

  it('the schema check fails on a property Grafana does not know or a value of the wrong type', () => {
    expect(schemaProblems({ ...good(), panelz: [] })).toContainEqual('/ must NOT have additional properties: panelz');
    const badGrid = good();
    badGrid.panels[1]!.gridPos = { x: 0, y: 0, w: 'wide' as unknown as number, h: 8 };
    expect(schemaProblems(badGrid)).toContainEqual('/panels/1/gridPos/w must be integer');
    const noVersion = good() as unknown as Record<string, unknown>;
    delete noVersion.schemaVersion;
    expect(schemaProblems(noVersion)).toContainEqual("/ must have required property 'schemaVersion'");
  });

  it('reads variables as Grafana writes them', () => {
    expect(variablesIn('a $service ${environment} ${service:regex} ${__field.labels.job} $__rate_interval')).toEqual(['service', 'environment', 'service', '__field', '__rate_interval']);
  });
});
