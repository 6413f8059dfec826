// Alertmanager: the loaded config (/api/v2/status, config.original) against
// deploy/alertmanager/alertmanager.yml rendered as the stack renders it.
import { parse } from 'yaml';
import { ALERTMANAGER_RULES } from './alertmanager-defaults.ts';
import { readAlertmanagerSource, renderAlertmanager } from './alertmanager-config.ts';
import { fetchJson } from './http.ts';
import { normalise, type Tree } from './normalise.ts';
import type { TargetCheck } from './prometheus-drift.ts';
import { readRenderRecord, type AlertmanagerRender } from './render-record.ts';
import { driftedObjects, resultOf, type ComponentResult } from './report.ts';

export async function checkAlertmanager({ repoRoot, dataDir, url, timeoutMs = 5000 }: TargetCheck): Promise<ComponentResult> {
  const render = readRenderRecord<AlertmanagerRender>(dataDir, 'alertmanager') ?? {};
  const expected = renderAlertmanager(readAlertmanagerSource(repoRoot), repoRoot, render);
  const body = await fetchJson<{ config?: { original?: string } }>('alertmanager', `${url}/api/v2/status`, timeoutMs);
  const loaded = parse(body.config?.original ?? '') as Tree;
  return resultOf('alertmanager', url, driftedObjects('alertmanager', normalise(expected as unknown as Tree, ALERTMANAGER_RULES), normalise(loaded, ALERTMANAGER_RULES), ['receivers']));
}
