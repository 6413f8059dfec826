import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { binaryPath, type PinnedBinary } from './binaries.ts';
import { DEFAULT_REDIS_URL } from '@lookout/service-kit/env';
import { renderAlertmanagerConfig, renderPrometheusConfig, type AlertmanagerRenderOptions } from '@lookout/deploy-config';

/** Where a component's process comes from and how to tell it is healthy. */
export interface Component {
  name: string;
  /** Started after these are healthy. */
  dependsOn: string[];
  /** The component's main port: `ctx.port(name)`, `--port NAME=PORT`. */
  defaultPort: number;
  /** Its other ports by role: `ctx.port('NAME.ROLE')`, `--port NAME.ROLE=PORT` (e.g. collector.health). */
  extraPorts?: Record<string, number>;
  /** A pinned backend binary from the cache (built by scripts/backends/build.sh when missing). */
  binary?: PinnedBinary;
  /** Writes what the process needs before it starts (folders, a rendered config). */
  prepare?(ctx: StackContext): void;
  start(ctx: StackContext): { command: string; args: string[]; env?: NodeJS.ProcessEnv };
  /** The URL that answers 200 when ready, or a check of the process output. */
  ready: { url: (ctx: StackContext) => string } | { outputIncludes: string };
  /** What the user gets told, e.g. `{ 'MCP endpoint': 'http://127.0.0.1:4100/mcp' }`. */
  links(ctx: StackContext): Record<string, string>;
  /** What to check when it fails to become healthy, beyond the generic port hint. */
  hint?: string;
}

export interface StackContext {
  repoRoot: string;
  dataDir: string;
  /** A component's main port by name, or one of its extra ports as 'name.role'. */
  port(name: string): number;
  redisUrl: string;
  /** The local API key the mcp-server seeds (hash only) at start-up. */
  apiKey: string;
  /** Node flags every service starts with; the bootstrap preload unless a benchmark measures without it. */
  serviceNodeArgs?: string[];
  /** The components this stack runs (start order); the worker's drift check targets those of them it checks. */
  running?: readonly string[];
  /** Where services send OTLP, set when this stack runs the collector; otherwise they keep the inherited environment. */
  otlpEndpoint?: string;
  /** Prometheus scrape and rule interval; default the config's 15s (tests shorten it). */
  scrapeInterval?: string;
  /** Prometheus rule files instead of the config's rules/*.yml (tests: the SLO rules on compressed windows). */
  ruleFiles?: string[];
  /** Where Alertmanager's placeholder receiver secrets point; default a closed loopback port (tests: a recorder). */
  alertReceiverUrl?: string;
  /** Alertmanager group timings instead of the config's (tests). */
  alertTiming?: AlertmanagerRenderOptions['timing'];
}

export const BOOTSTRAP_PRELOAD = ['--require', '@lookout/otel-bootstrap/register'];

const host = '127.0.0.1';
const http = (ctx: StackContext, name: string, path = '') => `http://${host}:${ctx.port(name)}${path}`;
const address = (ctx: StackContext, name: string) => `${host}:${ctx.port(name)}`;

/** Every port of a component with its default: the main one under its name, the others as name.role. */
export function portsOf(component: Component): [string, number][] {
  return [[component.name, component.defaultPort], ...Object.entries(component.extraPorts ?? {}).map(([role, port]): [string, number] => [`${component.name}.${role}`, port])];
}

/** A service started the way production starts it: Node 24, the bootstrap preloaded. */
function service(name: string, entry: string, defaultPort: number, dependsOn: string[], env: (ctx: StackContext) => NodeJS.ProcessEnv): Component {
  return {
    name,
    dependsOn,
    defaultPort,
    start: (ctx) => ({
      command: process.execPath,
      args: [...(ctx.serviceNodeArgs ?? BOOTSTRAP_PRELOAD), join(ctx.repoRoot, entry)],
      env: {
        OTEL_SERVICE_NAME: name,
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=local',
        // Four pushes per minute: well inside the collector's 60 s metric_expiration (ADR 0002).
        OTEL_METRIC_EXPORT_INTERVAL: process.env.OTEL_METRIC_EXPORT_INTERVAL ?? '15000',
        ...(ctx.otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: ctx.otlpEndpoint } : {}),
        PORT: String(ctx.port(name)),
        HOST: host,
        // @lookout/audit's on-disk spool (events wait there until the collector took them): in the data dir.
        LOOKOUT_AUDIT_SPOOL_DIR: join(ctx.dataDir, 'audit', name),
        ...env(ctx),
      },
    }),
    ready: { url: (ctx) => http(ctx, name, '/health/ready') },
    links: (ctx) => ({ [`${name} /health, /metrics`]: http(ctx, name) }),
  };
}

/**
 * The worker's drift check (apps/worker, `lookout drift`): the Prometheus and Alertmanager this stack
 * runs, and the data dir whose render.json files say how they were rendered. The interval is the
 * worker's default unless LOOKOUT_DRIFT_INTERVAL_MS is set (tests shorten it).
 */
function driftTargets(ctx: StackContext): NodeJS.ProcessEnv {
  const runs = (name: string) => ctx.running?.includes(name) ?? false;
  if (!runs('prometheus') && !runs('alertmanager')) return {};
  return {
    ...(runs('prometheus') ? { LOOKOUT_PROMETHEUS_URL: http(ctx, 'prometheus') } : {}),
    ...(runs('alertmanager') ? { LOOKOUT_ALERTMANAGER_URL: http(ctx, 'alertmanager') } : {}),
    LOOKOUT_DRIFT_DATA_DIR: ctx.dataDir,
  };
}

/** One VictoriaLogs instance; two run, because retention (-retentionPeriod) is per instance. */
function victoriaLogs(name: string, defaultPort: number, retention: string, accountId: number): Component {
  return {
    name,
    dependsOn: [],
    defaultPort,
    binary: { component: 'victorialogs', command: 'victoria-logs' },
    prepare: (ctx) => mkdirSync(join(ctx.dataDir, name), { recursive: true }),
    // The flags are documented, with the reasons, in deploy/victorialogs/README.md; keep them alike.
    start: (ctx) => ({
      command: binaryPath(ctx.repoRoot, { component: 'victorialogs', command: 'victoria-logs' }),
      args: [
        `-httpListenAddr=${address(ctx, name)}`,
        `-storageDataPath=${join(ctx.dataDir, name)}`,
        `-retentionPeriod=${retention}`,
        '-loggerLevel=WARN',
      ],
    }),
    ready: { url: (ctx) => http(ctx, name, '/health') },
    links: (ctx) => ({
      [`${name} LogsQL API (header AccountID: ${accountId})`]: http(ctx, name, '/select/logsql/query'),
      [`${name} UI (vmui, in the binary)`]: http(ctx, name, '/select/vmui/'),
    }),
    hint: `VictoriaLogs keeps its data in ${name}/ under the data dir; a second instance on the same folder refuses to start.`,
  };
}

export const components: Component[] = [
  victoriaLogs('logs-app', 9428, '14d', 1),
  victoriaLogs('logs-audit', 9429, '400d', 2),
  {
    name: 'jaeger',
    dependsOn: [],
    defaultPort: 16686,
    // 4418, 8898 and 13134: the collector holds 4318, 8888 and 13133 on the same host.
    extraPorts: { otlp: 4418, metrics: 8898, health: 13134, grpc: 16685 },
    binary: { component: 'jaeger', command: 'jaeger' },
    prepare: (ctx) => mkdirSync(join(ctx.dataDir, 'jaeger'), { recursive: true }),
    start: (ctx) => ({
      command: binaryPath(ctx.repoRoot, { component: 'jaeger', command: 'jaeger' }),
      args: ['--config', join(ctx.repoRoot, 'deploy', 'jaeger', 'config.yaml')],
      env: {
        LOOKOUT_JAEGER_OTLP_HTTP_ENDPOINT: address(ctx, 'jaeger.otlp'),
        LOOKOUT_JAEGER_QUERY_ENDPOINT: address(ctx, 'jaeger'),
        LOOKOUT_JAEGER_QUERY_GRPC_ENDPOINT: address(ctx, 'jaeger.grpc'),
        LOOKOUT_JAEGER_METRICS_HOST: host,
        LOOKOUT_JAEGER_METRICS_PORT: String(ctx.port('jaeger.metrics')),
        LOOKOUT_JAEGER_HEALTH_ENDPOINT: address(ctx, 'jaeger.health'),
        LOOKOUT_JAEGER_DATA_DIR: join(ctx.dataDir, 'jaeger'),
      },
    }),
    ready: { url: (ctx) => http(ctx, 'jaeger.health', '/status') },
    // The module build has no UI (the jaeger-ui assets are not in the Go module): its page is a
    // placeholder, so the table says API, and where to look at a trace instead.
    links: (ctx) => ({ 'Jaeger API only, no UI in this build (/api/traces/<id>; `npm run lookout -- trace <id>`)': http(ctx, 'jaeger') }),
    hint: 'Badger locks jaeger/ in the data dir: is another Jaeger running on it?',
  },
  {
    name: 'collector',
    // Started after the stores it exports to, so its first exports land instead of retrying.
    dependsOn: ['logs-app', 'logs-audit', 'jaeger'],
    defaultPort: 4318,
    extraPorts: { grpc: 4317, health: 13133, metrics: 8888, exporter: 8889 },
    binary: { component: 'otelcol', command: 'otelcol' },
    start: (ctx) => ({
      command: binaryPath(ctx.repoRoot, { component: 'otelcol', command: 'otelcol' }),
      args: ['--config', join(ctx.repoRoot, 'otel-collector', 'config.yaml')],
      env: {
        // Loopback only: on one host nothing else needs to reach it.
        LOOKOUT_OTLP_HOST: host,
        LOOKOUT_OTLP_HTTP_PORT: String(ctx.port('collector')),
        LOOKOUT_OTLP_GRPC_PORT: String(ctx.port('collector.grpc')),
        LOOKOUT_HEALTH_HOST: host,
        LOOKOUT_HEALTH_PORT: String(ctx.port('collector.health')),
        LOOKOUT_COLLECTOR_METRICS_HOST: host,
        LOOKOUT_COLLECTOR_METRICS_PORT: String(ctx.port('collector.metrics')),
        LOOKOUT_PROMETHEUS_EXPORTER_ENDPOINT: address(ctx, 'collector.exporter'),
        LOOKOUT_COLLECTOR_STORAGE_DIR: join(ctx.dataDir, 'otelcol', 'storage'),
        LOOKOUT_LOGS_APP_OTLP_ENDPOINT: http(ctx, 'logs-app', '/insert/opentelemetry'),
        LOOKOUT_LOGS_AUDIT_OTLP_ENDPOINT: http(ctx, 'logs-audit', '/insert/opentelemetry'),
        LOOKOUT_TRACES_OTLP_ENDPOINT: http(ctx, 'jaeger.otlp'),
        LOOKOUT_DEPLOYMENT_ENVIRONMENT: 'local',
      },
    }),
    ready: { url: (ctx) => http(ctx, 'collector.health', '/') },
    links: (ctx) => ({
      'collector OTLP/HTTP (services send here)': http(ctx, 'collector'),
      'collector health': http(ctx, 'collector.health', '/'),
      'collector metrics for Prometheus': http(ctx, 'collector.exporter', '/metrics'),
    }),
    hint: 'otelcol names the config field or port it rejects in the lines above.',
  },
  {
    name: 'alertmanager',
    dependsOn: [],
    defaultPort: 9093,
    binary: { component: 'alertmanager', command: 'alertmanager' },
    prepare: (ctx) =>
      renderAlertmanagerConfig({
        repoRoot: ctx.repoRoot,
        outFile: join(ctx.dataDir, 'alertmanager', 'alertmanager.yml'),
        receiverUrl: ctx.alertReceiverUrl,
        timing: ctx.alertTiming,
      }),
    start: (ctx) => ({
      command: binaryPath(ctx.repoRoot, { component: 'alertmanager', command: 'alertmanager' }),
      args: [
        `--config.file=${join(ctx.dataDir, 'alertmanager', 'alertmanager.yml')}`,
        `--storage.path=${join(ctx.dataDir, 'alertmanager', 'data')}`,
        `--web.listen-address=${address(ctx, 'alertmanager')}`,
        // One instance: no gossip cluster (it would listen on 0.0.0.0:9094).
        '--cluster.listen-address=',
      ],
    }),
    ready: { url: (ctx) => http(ctx, 'alertmanager', '/-/ready') },
    links: (ctx) => ({
      'Alertmanager UI and API (/api/v2/alerts)': http(ctx, 'alertmanager'),
      'Alertmanager receiver secrets (placeholders until replaced)': join(ctx.dataDir, 'alertmanager', 'secrets'),
    }),
    hint: 'Alertmanager names the config field it rejects above; the copy it runs is alertmanager/alertmanager.yml in the data dir.',
  },
  {
    name: 'prometheus',
    dependsOn: [],
    defaultPort: 9090,
    binary: { component: 'prometheus', command: 'prometheus' },
    prepare: (ctx) => {
      const ports = new Map(components.flatMap(portsOf).map(([name, port]) => [port, name]));
      renderPrometheusConfig({
        repoRoot: ctx.repoRoot,
        outFile: join(ctx.dataDir, 'prometheus', 'prometheus.yml'),
        portFor: (defaultPort) => {
          const name = ports.get(defaultPort);
          return name ? ctx.port(name) : undefined;
        },
        scrapeInterval: ctx.scrapeInterval,
        ruleFiles: ctx.ruleFiles,
      });
    },
    start: (ctx) => ({
      command: binaryPath(ctx.repoRoot, { component: 'prometheus', command: 'prometheus' }),
      args: [
        `--config.file=${join(ctx.dataDir, 'prometheus', 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(ctx.dataDir, 'prometheus', 'data')}`,
        '--storage.tsdb.retention.time=15d',
        `--web.listen-address=${address(ctx, 'prometheus')}`,
        // POST /-/reload after editing a rule file, as the drift runbook says (loopback only).
        '--web.enable-lifecycle',
      ],
    }),
    ready: { url: (ctx) => http(ctx, 'prometheus', '/-/ready') },
    // Built without the builtinassets tag (deploy/versions.json): the API only.
    links: (ctx) => ({ 'Prometheus API only, no UI in this build (/api/v1/query)': http(ctx, 'prometheus') }),
    hint: 'Prometheus locks prometheus/data in the data dir: is another Prometheus running on it?',
  },
  {
    name: 'redis',
    dependsOn: [],
    // The port every service and the CLI default to, so they find this Redis with no flags.
    defaultPort: Number(new URL(DEFAULT_REDIS_URL).port),
    prepare: (ctx) => mkdirSync(join(ctx.dataDir, 'redis'), { recursive: true }),
    start: (ctx) => ({
      command: 'redis-server',
      // Append-only file in the data dir, so a second start keeps queued jobs and stored reviews.
      args: ['--port', String(ctx.port('redis')), '--bind', host, '--dir', join(ctx.dataDir, 'redis'), '--appendonly', 'yes', '--save', ''],
    }),
    ready: { outputIncludes: 'Ready to accept connections' },
    links: (ctx) => ({ redis: ctx.redisUrl }),
  },
  service('reviewer', 'apps/reviewer/src/main.ts', 4101, [], () => ({})),
  service('worker', 'apps/worker/src/main.ts', 4102, ['redis'], (ctx) => ({
    REDIS_URL: ctx.redisUrl,
    ...driftTargets(ctx),
    // The scheduled SLO report reads Prometheus (LOOKOUT_PROMETHEUS_URL) and writes its CSV files into the data dir.
    LOOKOUT_SLO_REPORT_DIR: join(ctx.dataDir, 'reports'),
  })),
  {
    ...service('mcp-server', 'apps/mcp-server/src/main.ts', 4100, ['redis', 'reviewer'], (ctx) => ({
      REDIS_URL: ctx.redisUrl,
      REVIEWER_URL: http(ctx, 'reviewer'),
      LOOKOUT_SEED_API_KEY: ctx.apiKey,
    })),
    links: (ctx) => ({ 'mcp-server /health, /metrics': http(ctx, 'mcp-server'), 'MCP endpoint': http(ctx, 'mcp-server', '/mcp') }),
  },
  // The synthetic canary (apps/canary): probes the MCP server as a client, with its own API key
  // (created in the data dir when missing). Every run is traced (always_on): a failure has a whole trace.
  service('canary', 'apps/canary/src/main.ts', 4103, ['mcp-server'], (ctx) => ({
    REDIS_URL: ctx.redisUrl,
    LOOKOUT_CANARY_MCP_URL: http(ctx, 'mcp-server', '/mcp'),
    LOOKOUT_CANARY_KEY_FILE: join(ctx.dataDir, 'canary', 'api-key'),
    OTEL_TRACES_SAMPLER: 'always_on',
  })),
];

/** The platform without the observability backends: what tests that bring their own receiver start. */
export const PLATFORM = ['redis', 'reviewer', 'worker', 'mcp-server'];
/** The synthetic clients, started after the platform they probe (not in PLATFORM: tests that count requests stay quiet). */
export const PROBES = ['canary'];
/** The observability backends, in start order. */
export const BACKENDS = ['logs-app', 'logs-audit', 'jaeger', 'collector', 'alertmanager', 'prometheus'];
