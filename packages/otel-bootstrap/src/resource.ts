import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { arch, hostname, type as osType } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Resource } from '@opentelemetry/resources';
import type { BootstrapConfig } from './config.ts';
import { requireOtel } from './otel.ts';

// Semconv keys are spelled out: loading @opentelemetry/semantic-conventions
// for a handful of strings would cost start-up time.
const HOST_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm32', ia32: 'x86', ppc64: 'ppc64', s390x: 's390x' };

/** The version of the app's own package.json, found by walking up from the entry script. */
export function findAppVersion(entryScript: string | undefined = process.argv[1]): string | undefined {
  if (!entryScript) return undefined;
  let directory = dirname(resolve(entryScript));
  for (let depth = 0; depth < 8; depth++) {
    const candidate = join(directory, 'package.json');
    if (existsSync(candidate)) {
      try {
        const version: unknown = JSON.parse(readFileSync(candidate, 'utf8')).version;
        return typeof version === 'string' ? version : undefined;
      } catch {
        return undefined;
      }
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
  return undefined;
}

export function resourceAttributes(config: BootstrapConfig, env: NodeJS.ProcessEnv = process.env): Record<string, string | number> {
  const version = config.resourceAttributes['service.version'] ?? env.npm_package_version ?? findAppVersion();
  return {
    'service.instance.id': randomUUID(),
    'host.name': hostname(),
    'host.arch': HOST_ARCH[arch()] ?? arch(),
    'os.type': osType().toLowerCase(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'process.executable.name': 'node',
    'telemetry.distro.name': '@lookout/otel-bootstrap',
    ...(version ? { 'service.version': version } : {}),
    // OTEL_RESOURCE_ATTRIBUTES overrides the detected values above...
    ...config.resourceAttributes,
    // ...and the two that config.ts already resolved with their own precedence win.
    'service.name': config.serviceName,
    'deployment.environment.name': config.deploymentEnvironment,
  };
}

export function buildResource(config: BootstrapConfig): Resource {
  const { defaultResource, resourceFromAttributes } = requireOtel('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  return defaultResource().merge(resourceFromAttributes(resourceAttributes(config)));
}
