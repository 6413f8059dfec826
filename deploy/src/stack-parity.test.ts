import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@lookout/testkit';
import { describe, expect, it } from 'vitest';
import { parseCompose, type ComposeFile } from './compose.ts';
import { checkStackParity } from './stack-parity.ts';

const compose = () => parseCompose(readFileSync(join(REPO_ROOT, 'deploy', 'docker-compose.yml'), 'utf8'));
const parity = (doc: ComposeFile) => checkStackParity(doc, { repoRoot: REPO_ROOT });

describe('compose and npm start (apps/stack/src/components.ts)', () => {
  it('run the same components with the same settings, flags and default ports', () => {
    expect(parity(compose())).toEqual([]);
  });

  it('differ when compose changes a retention, drops a collector setting or moves a port', () => {
    const doc = compose();
    doc.services['logs-audit']!.command = ['-httpListenAddr=:9429', '-storageDataPath=/victoria-logs-data', '-retentionPeriod=30d', '-loggerLevel=WARN'];
    delete (doc.services.collector!.environment as Record<string, string>).LOOKOUT_TRACES_OTLP_ENDPOINT;
    (doc.services.jaeger!.environment as Record<string, string>).LOOKOUT_JAEGER_EXTRA = 'x';
    doc.services.netns!.ports = (doc.services.netns!.ports ?? []).filter((p) => !String(p).endsWith(':16686'));
    (doc.services.worker!.environment as Record<string, string>).PORT = '5102';
    delete (doc.services['mcp-server']!.environment as Record<string, string>).REVIEWER_URL;
    doc.services.reviewer!.command = ['apps/reviewer/src/other.ts'];
    expect(parity(doc).sort()).toEqual(
      [
        'logs-audit: npm start passes -retentionPeriod=400d; compose does not',
        'collector: npm start sets LOOKOUT_TRACES_OTLP_ENDPOINT; compose does not',
        'jaeger: compose sets LOOKOUT_JAEGER_EXTRA; npm start does not',
        'jaeger: npm start serves it on 16686; netns does not publish that port as 16686',
        'worker: PORT is 5102 in compose, 4102 in npm start',
        'mcp-server: npm start sets REVIEWER_URL; compose does not',
        'reviewer: npm start runs apps/reviewer/src/main.ts; compose runs apps/reviewer/src/other.ts',
      ].sort(),
    );
  });

  it('differ when compose lacks a component npm start runs', () => {
    const doc = compose();
    delete doc.services.prometheus;
    expect(parity(doc)).toEqual(['npm start runs prometheus; compose has no service of that name']);
  });
});
