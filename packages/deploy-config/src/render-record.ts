// What `npm start` rendered a deploy/ config with, written beside the copy it runs (render.json):
// the drift check renders the repository's file with the same options, so a stack on other ports or
// with test timings is compared with what it was meant to run, not with the defaults.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface PrometheusRender {
  /** Default port (as in deploy/prometheus/prometheus.yml) -> the port this stack uses. */
  ports: Record<string, number>;
  scrapeInterval?: string;
  ruleFiles?: string[];
}

export interface AlertmanagerRender {
  /** Where the secret files are (the copy's secrets/); default the committed /etc/alertmanager/secrets/. */
  secretsDir?: string;
  /** Base URL of the placeholder receivers (Telegram's api_url is pointed there while its token is the placeholder). */
  receiverUrl?: string;
  timing?: { group_wait?: string; group_interval?: string; repeat_interval?: string };
}

export const RENDER_RECORD = 'render.json';

export function writeRenderRecord(configFile: string, render: PrometheusRender | AlertmanagerRender): void {
  writeFileSync(join(dirname(configFile), RENDER_RECORD), `${JSON.stringify(render, null, 2)}\n`);
}

/** The options a stack data dir recorded for `component`, or undefined (no stack there: compose, or the committed file as is). */
export function readRenderRecord<T extends PrometheusRender | AlertmanagerRender>(dataDir: string | undefined, component: 'prometheus' | 'alertmanager'): T | undefined {
  if (!dataDir) return undefined;
  const file = join(dataDir, component, RENDER_RECORD);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(`deploy-config: ${file} is not JSON (${(error as Error).message}); start the stack again to rewrite it`, { cause: error });
  }
}

/** The repository this package is part of (where deploy/ is): packages/deploy-config/src/../../.. */
export const REPO_ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..', '..');
