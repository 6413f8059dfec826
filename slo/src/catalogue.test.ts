// The catalogue's own rules (no binary needed): every SLO and hand-written alert carries what
// routing, the messages and the on-call engineer need, and the pending SLOs are still pending.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { knownMetrics } from './metric-existence.ts';
import { PENDING_DIR, RUNBOOK_BASE_URL, SLO_SPEC } from './paths.ts';
import { parsePromql } from './promql.ts';
import { loadRules } from './rules.ts';

interface SlothSlo {
  name: string;
  objective: number;
  description: string;
  sli: { events?: { error_query: string; total_query: string }; raw?: { error_ratio_query: string } };
  alerting: {
    name: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    page_alert: { labels: Record<string, string> };
    ticket_alert: { labels: Record<string, string> };
  };
}
interface SlothDoc {
  version: string;
  service: string;
  slos: SlothSlo[];
}

const docsOf = (file: string) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as SlothDoc);
const slosOf = (docs: SlothDoc[]) => docs.flatMap((doc) => doc.slos.map((slo) => ({ service: doc.service, slo })));
const queriesOf = (slo: SlothSlo) => (slo.sli.events ? [slo.sli.events.error_query, slo.sli.events.total_query] : [slo.sli.raw!.error_ratio_query]).map((q) => q.replaceAll('{{.window}}', '5m'));

const catalogue = slosOf(docsOf(SLO_SPEC));

describe('slo/lookout.slo.yaml', () => {
  it('has the SLOs the platform promises, per service', () => {
    expect(catalogue.map(({ service, slo }) => `${service}/${slo.name}`)).toEqual([
      'mcp-server/tool-call-availability',
      'mcp-server/tool-call-latency',
      'reviewer/pipeline-latency',
      'worker/job-success',
      'worker/queue-freshness',
      'audit/delivery',
      'collector/telemetry-pipeline',
      'canary/success',
    ]);
    for (const doc of docsOf(SLO_SPEC)) expect(doc.version).toBe('prometheus/v1');
  });

  it('gives each SLO an objective, a rationale, and the labels and annotations routing and messages need', () => {
    for (const { service, slo } of catalogue) {
      const at = `${service}/${slo.name}`;
      expect(slo.objective, at).toBeGreaterThan(90);
      expect(slo.objective, at).toBeLessThan(100);
      expect(slo.description.length, at).toBeGreaterThan(60);
      expect(slo.alerting.labels, at).toEqual({ service, slo: slo.name });
      expect(slo.alerting.page_alert.labels, at).toEqual({ severity: 'page' });
      expect(slo.alerting.ticket_alert.labels, at).toEqual({ severity: 'ticket' });
      expect(Object.keys(slo.alerting.annotations).sort(), at).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
      expect(slo.alerting.annotations.runbook_url, at).toBe(`${RUNBOOK_BASE_URL}${slo.alerting.name}.md`);
      expect(slo.alerting.annotations.dashboard_url, at).toContain(`var-service=${service}&var-slo=${slo.name}`);
    }
  });

  it('writes every SLI with the {{.window}} placeholder, in PromQL that parses', () => {
    for (const { service, slo } of catalogue) {
      const raw = slo.sli.events ? [slo.sli.events.error_query, slo.sli.events.total_query] : [slo.sli.raw!.error_ratio_query];
      for (const query of raw) expect(query, `${service}/${slo.name}`).toContain('{{.window}}');
      for (const query of queriesOf(slo)) expect(parsePromql(query).errors, query).toEqual([]);
    }
  });
});

describe('hand-written alerts (deploy/prometheus/rules/alerts.yml)', () => {
  const handWritten = loadRules().filter((r) => r.alert && r.file === 'alerts.yml');

  it('cover what no SLO does, each with severity, service, summary, description, runbook and dashboard', () => {
    expect([...new Set(handWritten.map((r) => r.alert))].sort()).toEqual([
      'AuditSpoolBacklog', 'CollectorExportFailing', 'CollectorQueueNearCapacity', 'ConfigDrift', 'DriftCheckFailing', 'LookoutServiceDown', 'PrometheusTargetDown', 'SloReportStale', 'TelemetryDropped',
    ]);
    for (const rule of handWritten) {
      expect(['page', 'ticket'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.labels?.service, rule.alert).toBeTruthy();
      expect(rule.for, rule.alert).toMatch(/^\d+m$/);
      expect(Object.keys(rule.annotations ?? {}).sort(), rule.alert).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
      expect(rule.annotations?.runbook_url, rule.alert).toBe(`${RUNBOOK_BASE_URL}${rule.alert}.md`);
    }
  });

  it('watch every service for being down', () => {
    const down = handWritten.filter((r) => r.alert === 'LookoutServiceDown').map((r) => r.labels?.service).sort();
    expect(down).toEqual(['canary', 'mcp-server', 'reviewer', 'worker']);
  });
});

describe('slo/pending (SLOs whose metrics do not exist yet)', () => {
  const known = knownMetrics();
  const pending = readdirSync(PENDING_DIR).filter((f) => f.endsWith('.slo.yaml'));

  it('no longer holds the canary SLO: its metrics exist and it is in the catalogue', () => {
    expect(pending).not.toContain('canary.slo.yaml');
  });

  it.each(pending)('%s still reads a metric missing from the inventory (else: move it into lookout.slo.yaml, add its runbook, regenerate)', (file) => {
    const names = slosOf(docsOf(join(PENDING_DIR, file))).flatMap(({ slo }) => queriesOf(slo).flatMap((q) => parsePromql(q).selectors.map((s) => s.name)));
    expect(names.length).toBeGreaterThan(0);
    const missing = names.filter((name) => !known.names.has(name));
    expect(missing, `every metric of ${file} now exists: it is no longer pending`).not.toEqual([]);
  });
});
