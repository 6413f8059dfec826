// Checks a Docker Compose file without Docker: what `docker compose config` would reject for this
// stack (unknown services, missing files) plus what it would not notice (unpinned images, a tag
// that drifted from deploy/versions.json, an env var the mounted config no longer reads).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

/** deploy/versions.json, as far as compose cares. */
export interface Versions {
  components: Record<string, { version: string; image?: string }>;
}

export interface ComposeVolume {
  type?: string;
  source?: string;
  target?: string;
}

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  network_mode?: string;
  init?: boolean;
  user?: string;
  ports?: (string | number | { published?: string | number; target?: number })[];
  volumes?: (string | ComposeVolume)[];
  environment?: Record<string, string | number | boolean | null> | string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Parses compose YAML, merge keys (`<<: *anchor`) included, as Compose does. */
export function parseCompose(text: string): ComposeFile {
  const doc = parse(text, { merge: true }) as Partial<ComposeFile> | null;
  if (!doc || typeof doc !== 'object' || !doc.services || typeof doc.services !== 'object') {
    throw new Error('not a compose file: no services map');
  }
  return doc as ComposeFile;
}

export function readVersions(file: string): Versions {
  return JSON.parse(readFileSync(file, 'utf8')) as Versions;
}

/** `repo[:tag]` split at the tag's colon, not a registry's port (`host:5000/repo:tag`). */
export function splitImage(image: string): { repository: string; tag?: string } {
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon <= slash) return { repository: withoutDigest };
  return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
}

/** The service's environment as a map, from either the map or the `KEY=value` list form. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => {
      const eq = entry.indexOf('=');
      return eq === -1 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

export function dependenciesOf(service: ComposeService): string[] {
  const deps = service.depends_on ?? [];
  return Array.isArray(deps) ? deps : Object.keys(deps);
}

export interface Mount {
  kind: 'bind' | 'volume';
  source: string;
  target: string;
}

/** Short (`src:dst[:mode]`) and long (`{type, source, target}`) volume entries alike. */
export function mountsOf(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((entry): Mount => {
    if (typeof entry === 'string') {
      const [source = '', target = ''] = entry.split(':');
      // Compose's rule: a source that looks like a path is a bind mount, anything else names a volume.
      const kind = /^[./~]/.test(source) ? 'bind' : 'volume';
      return { kind, source, target };
    }
    return { kind: entry.type === 'bind' ? 'bind' : 'volume', source: entry.source ?? '', target: entry.target ?? '' };
  });
}

/** Container ports published to the host, from `[ip:]host:container[/proto]` and long entries. */
export function publishedPorts(service: ComposeService): { host: number; container: number }[] {
  return (service.ports ?? []).flatMap((entry) => {
    if (typeof entry === 'object') {
      return entry.target === undefined ? [] : [{ host: Number(entry.published ?? entry.target), container: entry.target }];
    }
    const parts = String(entry).split('/')[0]!.split(':');
    const container = Number(parts.at(-1));
    const host = parts.length >= 2 ? Number(parts.at(-2)) : container;
    return [{ host, container }];
  });
}

export interface ComposeCheckOptions {
  /** The compose file's folder: relative bind mounts and build contexts resolve against it. */
  composeDir: string;
  /** deploy/versions.json: every image not built here must carry the tag it pins. */
  versions: Versions;
  /**
   * Env var prefix of settings that a mounted config must read (`${env:NAME...}` or `${NAME}`).
   * Default 'LOOKOUT_'. Catches a renamed variable on one side only.
   */
  configEnvPrefix?: string;
}

/** Every problem found, one sentence each naming the service; empty when the file is sound. */
export function checkCompose(compose: ComposeFile, options: ComposeCheckOptions): string[] {
  const problems: string[] = [];
  const names = new Set(Object.keys(compose.services));
  const declaredVolumes = new Set(Object.keys(compose.volumes ?? {}));
  const prefix = options.configEnvPrefix ?? 'LOOKOUT_';

  for (const [name, service] of Object.entries(compose.services)) {
    problems.push(...checkImage(name, service, options.versions));
    problems.push(...checkBuild(name, service, options.composeDir));

    for (const dep of dependenciesOf(service)) {
      if (!names.has(dep)) problems.push(`${name}: depends_on names "${dep}", which is not a service`);
      if (dep === name) problems.push(`${name}: depends on itself`);
    }

    const shared = /^service:(.+)$/.exec(service.network_mode ?? '')?.[1];
    if (shared !== undefined) {
      if (!names.has(shared)) problems.push(`${name}: network_mode names "${shared}", which is not a service`);
      // Docker refuses to publish ports on a container that joined another's network namespace.
      if ((service.ports ?? []).length > 0) problems.push(`${name}: publishes ports but shares the network of "${shared}"; publish them there`);
    }

    const configs: string[] = [];
    for (const mount of mountsOf(service)) {
      if (mount.kind === 'volume') {
        if (mount.source && !declaredVolumes.has(mount.source)) problems.push(`${name}: mounts volume "${mount.source}", which the top-level volumes do not declare`);
        continue;
      }
      const path = resolve(options.composeDir, mount.source);
      if (!existsSync(path)) {
        problems.push(`${name}: bind-mounts ${mount.source}, which does not exist (${path})`);
      } else if (statSync(path).isFile()) {
        configs.push(readFileSync(path, 'utf8'));
      }
    }

    if (configs.length > 0) {
      for (const key of Object.keys(environmentOf(service))) {
        if (!key.startsWith(prefix)) continue;
        const reads = new RegExp(`\\$\\{(?:env:)?${key}(?:[:}-])`);
        if (!configs.some((text) => reads.test(text))) problems.push(`${name}: sets ${key}, which none of its mounted configs reads`);
      }
    }
  }
  return problems;
}

function checkImage(name: string, service: ComposeService, versions: Versions): string[] {
  if (!service.image) return service.build ? [] : [`${name}: has neither image nor build`];
  // An image built from this repository is named locally; its inputs are pinned elsewhere (Dockerfile).
  if (service.build) return [];
  const { repository, tag } = splitImage(service.image);
  if (!tag || tag === 'latest') return [`${name}: image ${service.image} is not pinned to a version tag`];
  const pins = Object.entries(versions.components).filter(([, c]) => c.image && splitImage(c.image).repository === repository);
  if (pins.length === 0) return [`${name}: image ${repository} is not pinned in deploy/versions.json`];
  if (pins.some(([, c]) => splitImage(c.image!).tag === tag)) return [];
  const pinned = pins.map(([component, c]) => `${c.image} (${component})`).join(', ');
  return [`${name}: image ${service.image} differs from deploy/versions.json: ${pinned}`];
}

function checkBuild(name: string, service: ComposeService, composeDir: string): string[] {
  if (!service.build) return [];
  const build = typeof service.build === 'string' ? { context: service.build } : service.build;
  const context = resolve(composeDir, build.context ?? '.');
  if (!existsSync(context)) return [`${name}: build context ${build.context} does not exist (${context})`];
  const dockerfile = resolve(context, build.dockerfile ?? 'Dockerfile');
  return existsSync(dockerfile) ? [] : [`${name}: Dockerfile ${build.dockerfile ?? 'Dockerfile'} does not exist (${dockerfile})`];
}
