import { join } from 'node:path';

/** Where a component's process comes from and how to tell it is healthy. */
export interface Component {
  name: string;
  /** Started after these are healthy. */
  dependsOn: string[];
  defaultPort: number;
  start(ctx: StackContext): { command: string; args: string[]; env?: NodeJS.ProcessEnv };
  /** The URL that answers 200 when ready, or a check of the process output. */
  ready: { url: (ctx: StackContext) => string } | { outputIncludes: string };
  /** What the user gets told, e.g. `{ 'MCP endpoint': 'http://127.0.0.1:4100/mcp' }`. */
  links(ctx: StackContext): Record<string, string>;
}

export interface StackContext {
  repoRoot: string;
  dataDir: string;
  port(name: string): number;
  redisUrl: string;
  /** The local API key the mcp-server seeds (hash only) at start-up. */
  apiKey: string;
  /** Node flags every service starts with; the bootstrap preload unless a benchmark measures without it. */
  serviceNodeArgs?: string[];
}

export const BOOTSTRAP_PRELOAD = ['--require', '@lookout/otel-bootstrap/register'];

const host = '127.0.0.1';
const http = (ctx: StackContext, name: string, path = '') => `http://${host}:${ctx.port(name)}${path}`;

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
        PORT: String(ctx.port(name)),
        HOST: host,
        ...env(ctx),
      },
    }),
    ready: { url: (ctx) => http(ctx, name, '/health/ready') },
    links: (ctx) => ({ [`${name} /health, /metrics`]: http(ctx, name) }),
  };
}

export const components: Component[] = [
  {
    name: 'redis',
    dependsOn: [],
    defaultPort: 6390,
    start: (ctx) => ({
      command: 'redis-server',
      // Append-only file in the data dir, so a second start keeps queued jobs and stored reviews.
      args: ['--port', String(ctx.port('redis')), '--bind', host, '--dir', join(ctx.dataDir, 'redis'), '--appendonly', 'yes', '--save', ''],
    }),
    ready: { outputIncludes: 'Ready to accept connections' },
    links: (ctx) => ({ redis: ctx.redisUrl }),
  },
  service('reviewer', 'apps/reviewer/src/main.ts', 4101, [], () => ({})),
  service('worker', 'apps/worker/src/main.ts', 4102, ['redis'], (ctx) => ({ REDIS_URL: ctx.redisUrl })),
  {
    ...service('mcp-server', 'apps/mcp-server/src/main.ts', 4100, ['redis', 'reviewer'], (ctx) => ({
      REDIS_URL: ctx.redisUrl,
      REVIEWER_URL: http(ctx, 'reviewer'),
      LOOKOUT_SEED_API_KEY: ctx.apiKey,
    })),
    links: (ctx) => ({ 'mcp-server /health, /metrics': http(ctx, 'mcp-server'), 'MCP endpoint': http(ctx, 'mcp-server', '/mcp') }),
  },
];
