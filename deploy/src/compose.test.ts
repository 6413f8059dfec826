import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingPart, REPO_ROOT } from '@lookout/testkit';
import { describe, expect, it } from 'vitest';
import { checkCompose, environmentOf, mountsOf, parseCompose, publishedPorts, readVersions, splitImage, type ComposeFile } from './compose.ts';
import { composeConfig, findComposeCli } from './docker-compose-cli.ts';

const DEPLOY = join(REPO_ROOT, 'deploy');
const COMPOSE_FILE = join(DEPLOY, 'docker-compose.yml');
const versions = readVersions(join(DEPLOY, 'versions.json'));
const options = { composeDir: DEPLOY, versions };
const compose = () => parseCompose(readFileSync(COMPOSE_FILE, 'utf8'));
const service = (doc: ComposeFile, name: string) => {
  const found = doc.services[name];
  if (!found) throw new Error(`compose has no service ${name}`);
  return found;
};

describe('deploy/docker-compose.yml', () => {
  it('passes every check: pinned images, existing files, known services, env its configs read', () => {
    expect(checkCompose(compose(), options)).toEqual([]);
  });

  it('runs every image that versions.json pins for a backend, at exactly that tag', () => {
    const images = new Set(Object.values(compose().services).flatMap((s) => (s.build || !s.image ? [] : [s.image])));
    for (const component of ['otelcol', 'prometheus', 'alertmanager', 'victorialogs', 'jaeger', 'grafana', 'redis']) {
      expect(images, component).toContain(versions.components[component]?.image);
    }
    // Loki and Tempo are pinned for reference only (AGPL, not-to-use): never run.
    const repositories = [...images].map((image) => splitImage(image).repository);
    expect(repositories).not.toContain('grafana/loki');
    expect(repositories).not.toContain('grafana/tempo');
  });

  it('mounts the same config files npm start uses', () => {
    const doc = compose();
    const binds = (name: string) => mountsOf(service(doc, name)).filter((m) => m.kind === 'bind').map((m) => m.source);
    expect(binds('collector')).toContain('../otel-collector/config.yaml');
    expect(binds('prometheus')).toEqual(expect.arrayContaining(['./prometheus/prometheus.yml', './prometheus/rules']));
    expect(binds('jaeger')).toContain('./jaeger/config.yaml');
    expect(binds('grafana')).toEqual(expect.arrayContaining(['./grafana/provisioning', './grafana/dashboards']));
    expect(binds('alertmanager')).toEqual(['./alertmanager/alertmanager.yml', './alertmanager/templates', './alertmanager/secrets']);
    // Prometheus resolves rule_files (rules/*.yml) against the config file's folder.
    const prometheus = mountsOf(service(doc, 'prometheus'));
    const configDir = prometheus.find((m) => m.source === './prometheus/prometheus.yml')!.target.replace(/\/[^/]+$/, '');
    expect(prometheus.find((m) => m.source === './prometheus/rules')?.target).toBe(`${configDir}/rules`);
  });

  it('mounts the Alertmanager secrets where the config reads them, and its templates beside the config', () => {
    const mounts = mountsOf(service(compose(), 'alertmanager'));
    const config = readFileSync(join(DEPLOY, 'alertmanager', 'alertmanager.yml'), 'utf8');
    const secrets = mounts.find((m) => m.source === './alertmanager/secrets')!.target;
    for (const file of config.matchAll(/_file: (\S+)/g)) expect(file[1]!.startsWith(`${secrets}/`), file[1]).toBe(true);
    const configDir = mounts.find((m) => m.source === './alertmanager/alertmanager.yml')!.target.replace(/\/[^/]+$/, '');
    expect(mounts.find((m) => m.source === './alertmanager/templates')?.target).toBe(`${configDir}/templates`);
  });

  it('keeps the collector audit queue on a named volume at the directory file_storage uses', () => {
    const collector = service(compose(), 'collector');
    const dir = environmentOf(collector).LOOKOUT_COLLECTOR_STORAGE_DIR;
    expect(mountsOf(collector)).toContainEqual({ kind: 'volume', source: 'otelcol-storage', target: dir });
  });

  it('points the collector exporters at both VictoriaLogs instances and Jaeger, by the names config.yaml reads', () => {
    const env = environmentOf(service(compose(), 'collector'));
    const config = readFileSync(join(REPO_ROOT, 'otel-collector', 'config.yaml'), 'utf8');
    const endpoints = {
      LOOKOUT_LOGS_APP_OTLP_ENDPOINT: 'http://127.0.0.1:9428/insert/opentelemetry',
      LOOKOUT_LOGS_AUDIT_OTLP_ENDPOINT: 'http://127.0.0.1:9429/insert/opentelemetry',
      LOOKOUT_TRACES_OTLP_ENDPOINT: 'http://127.0.0.1:4418',
    };
    for (const [key, value] of Object.entries(endpoints)) {
      expect(env[key], key).toBe(value);
      expect(config, key).toContain(`\${env:${key}`);
    }
  });

  it('runs two VictoriaLogs instances: app 14 d on 9428, audit 400 d on 9429, each on its own volume', () => {
    const doc = compose();
    const netns = publishedPorts(service(doc, 'netns'));
    for (const [name, port, retention] of [['logs-app', 9428, '14d'], ['logs-audit', 9429, '400d']] as const) {
      const logs = service(doc, name);
      expect(logs.command, name).toEqual(expect.arrayContaining([`-httpListenAddr=:${port}`, `-retentionPeriod=${retention}`]));
      expect(netns, name).toContainEqual({ host: port, container: port });
      expect(mountsOf(logs).filter((m) => m.kind === 'volume').map((m) => m.source), name).toEqual([`${name}-data`]);
    }
  });

  it('publishes ports on loopback only (the stores have no authentication of their own)', () => {
    const ports = service(compose(), 'netns').ports ?? [];
    expect(ports.length).toBeGreaterThan(0);
    for (const entry of ports) expect(String(entry)).toMatch(/^127\.0\.0\.1:/);
  });

  it('installs the VictoriaLogs plugin before Grafana starts, at a pinned version', () => {
    const env = environmentOf(service(compose(), 'grafana'));
    expect(env.GF_PLUGINS_PREINSTALL_SYNC).toMatch(/(^|,)victoriametrics-logs-datasource@\d+\.\d+\.\d+($|,)/);
    expect(env.GF_INSTALL_PLUGINS).toBeUndefined();
  });

  it('starts each service from its entry file with the bootstrap preloaded', () => {
    const doc = compose();
    const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "--require", "@lookout\/otel-bootstrap\/register"\]/);
    for (const name of ['reviewer', 'worker', 'mcp-server']) {
      const command = service(doc, name).command;
      expect(command, name).toEqual([`apps/${name}/src/main.ts`]);
      expect(() => readFileSync(join(REPO_ROOT, `apps/${name}/src/main.ts`)), name).not.toThrow();
      expect(environmentOf(service(doc, name)).OTEL_EXPORTER_OTLP_ENDPOINT, name).toBe('http://127.0.0.1:4318');
      // The audit spool must outlive the container: on the named volume, one folder per service.
      const spool = mountsOf(service(doc, name)).find((m) => m.source === 'audit-spool');
      expect(spool?.kind, name).toBe('volume');
      expect(environmentOf(service(doc, name)).LOOKOUT_AUDIT_SPOOL_DIR, name).toBe(`${spool?.target}/${name}`);
    }
    expect(dockerfile).toContain(`chown node:node ${mountsOf(service(doc, 'worker')).find((m) => m.source === 'audit-spool')?.target}`);
  });

  it('builds the services on the Node release the project pins (package-lock.json)', () => {
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    const pinned = lock.packages['node_modules/node']?.version;
    const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
    expect(pinned).toMatch(/^24\./);
    expect(/^ARG NODE_VERSION=(.+)$/m.exec(dockerfile)?.[1]).toBe(pinned);
  });
});

describe('checkCompose finds each kind of defect', () => {
  it('in a broken fixture file, one problem per defect', () => {
    const broken = parseCompose(readFileSync(join(import.meta.dirname, 'fixtures', 'broken-compose.yml'), 'utf8'));
    const problems = checkCompose(broken, options);
    const expected = [
      /^latest-image: image redis:latest is not pinned/,
      /^drifted: image prom\/prometheus:v2\.0\.0 differs from deploy\/versions\.json: prom\/prometheus:v3\.16\.0 \(prometheus\)/,
      /^unknown-repo: image example\/not-in-versions is not pinned in deploy\/versions\.json/,
      /^untagged: image grafana\/grafana is not pinned/,
      /^nothing: has neither image nor build/,
      /^ghost-dependency: depends_on names "no-such-service"/,
      /^missing-file: bind-mounts \.\/prometheus\/no-such-file\.yml, which does not exist/,
      /^undeclared-volume: mounts volume "not-declared"/,
      /^renamed-env: sets LOOKOUT_JAEGER_NO_SUCH_SETTING, which none of its mounted configs reads/,
      /^joined: network_mode names "no-such-namespace"/,
      /^joined: publishes ports but shares the network/,
      /^bad-build: Dockerfile deploy\/NoSuchDockerfile does not exist/,
    ];
    for (const pattern of expected) expect(problems.filter((p) => pattern.test(p)), String(pattern)).toHaveLength(1);
    expect(problems).toHaveLength(expected.length);
  });

  it('when one value of the real file drifts', () => {
    const drift = (edit: (doc: ComposeFile) => void) => {
      const doc = compose();
      edit(doc);
      return checkCompose(doc, options);
    };
    expect(drift((doc) => (service(doc, 'grafana').image = 'grafana/grafana:13.1.0'))).toEqual([
      'grafana: image grafana/grafana:13.1.0 differs from deploy/versions.json: grafana/grafana:13.2.0 (grafana)',
    ]);
    expect(drift((doc) => (service(doc, 'collector').image = 'otel/opentelemetry-collector-contrib:latest'))).toEqual([
      'collector: image otel/opentelemetry-collector-contrib:latest is not pinned to a version tag',
    ]);
    expect(drift((doc) => {
      // A rename on the compose side only: the collector config still reads the old name.
      const env = service(doc, 'collector').environment as Record<string, string>;
      env.LOOKOUT_LOGS_APP_ENDPOINT = env.LOOKOUT_LOGS_APP_OTLP_ENDPOINT!;
      delete env.LOOKOUT_LOGS_APP_OTLP_ENDPOINT;
    })).toEqual(['collector: sets LOOKOUT_LOGS_APP_ENDPOINT, which none of its mounted configs reads']);
    expect(drift((doc) => (service(doc, 'mcp-server').depends_on = { loki: { condition: 'service_started' } }))).toEqual([
      'mcp-server: depends_on names "loki", which is not a service',
    ]);
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
  const instructions = dockerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));
  const index = (pattern: RegExp) => instructions.findIndex((line) => pattern.test(line));

  it('installs dependencies from the manifests alone, before the sources are copied, production only', () => {
    const install = index(/^RUN npm ci --omit=dev\b/);
    expect(install).toBeGreaterThan(0);
    expect(instructions[install - 1]).toMatch(/^COPY --from=manifests /);
    expect(index(/^COPY \. \.$/)).toBeLessThan(index(/^FROM node:\S+ AS dependencies$/)); // only the manifests stage copies everything first
    expect(instructions.filter((line) => /^COPY \. \.$/.test(line))).toHaveLength(2); // manifests stage and runtime stage
  });

  it('runs as a non-root user, and every service built from it runs with init (tini as PID 1)', () => {
    expect(instructions.filter((line) => line.startsWith('USER ')).at(-1)).toMatch(/^USER (?!root|0\b)\w+/);
    const built = Object.entries(compose().services).filter(([, s]) => s.build);
    expect(built.length).toBeGreaterThanOrEqual(3);
    for (const [name, s] of built) expect(s.init, name).toBe(true);
  });
});

describe('splitImage', () => {
  it('tells a tag from a registry port', () => {
    expect(splitImage('redis:7.0.15')).toEqual({ repository: 'redis', tag: '7.0.15' });
    expect(splitImage('registry.local:5000/team/app')).toEqual({ repository: 'registry.local:5000/team/app' });
    expect(splitImage('registry.local:5000/team/app:1.2@sha256:abc')).toEqual({ repository: 'registry.local:5000/team/app', tag: '1.2' });
  });
});

// Compose itself checks the file too: the plugin where Docker is installed, else Debian's standalone
// docker-compose, which .ci/run installs. A real part like any other: under CI its absence fails.
const cli = findComposeCli();
const skip = missingPart('docker compose', cli !== undefined, 'install Docker with its compose plugin, or `apt-get install docker-compose` (.ci/run does)');
const cliName = cli ? [cli.command, ...cli.args].join(' ') : 'missing';
describe.skipIf(skip)(`docker compose config (${cliName})`, () => {
  it('accepts deploy/docker-compose.yml', () => {
    const result = composeConfig(cli!, COMPOSE_FILE);
    expect(result.ok, result.message).toBe(true);
  });

  it('rejects the broken fixture (Compose names its first defect)', () => {
    const result = composeConfig(cli!, join(import.meta.dirname, 'fixtures', 'broken-compose.yml'));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/invalid|undefined|not found/i);
  });
});
