// Compose and `npm start` must run the same stack: the same component names, the same env var
// names, the same version-free flags (retention, log level) and the same default ports. This
// compares the compose file with how apps/stack/src/components.ts would start each component,
// without starting anything.
import { relative } from 'node:path';
import { BOOTSTRAP_PRELOAD, components, portsOf, type Component, type StackContext } from '@lookout/stack/components';
import { environmentOf, publishedPorts, type ComposeFile, type ComposeService } from './compose.ts';

export interface ParityOptions {
  repoRoot: string;
  /** The service whose network namespace the others join, and which publishes every port. Default 'netns'. */
  publisher?: string;
  /** Components whose main port compose deliberately keeps unpublished. Default ['redis']. */
  unpublished?: string[];
  /** The stack's components; default apps/stack's own list. */
  stack?: Component[];
}

/** npm start's context with every default port, as `npm start` with no options would use it. */
export function defaultContext(repoRoot: string, stack: Component[] = components): StackContext {
  const ports = new Map(stack.flatMap(portsOf));
  return {
    repoRoot,
    dataDir: '/nonexistent/lookout-data',
    port: (name) => {
      const port = ports.get(name);
      if (port === undefined) throw new Error(`no default port named ${name}`);
      return port;
    },
    redisUrl: `redis://127.0.0.1:${ports.get('redis')}`,
    apiKey: 'unused',
    serviceNodeArgs: BOOTSTRAP_PRELOAD,
    otlpEndpoint: `http://127.0.0.1:${ports.get('collector')}`,
  };
}

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : value.split(/\s+/));

/**
 * `-name=value` flags whose value is neither a path nor an address: what must read the same in
 * both places (-retentionPeriod=14d, -loggerLevel=WARN, --storage.tsdb.retention.time=15d).
 */
function portableFlags(args: string[]): string[] {
  return args.filter((arg) => /^--?[\w.]+=/.test(arg) && !/[/:]/.test(arg.slice(arg.indexOf('=') + 1)));
}

/** Every difference found, one sentence each; empty when compose and npm start agree. */
export function checkStackParity(compose: ComposeFile, options: ParityOptions): string[] {
  const stack = options.stack ?? components;
  const publisher = options.publisher ?? 'netns';
  const unpublished = new Set(options.unpublished ?? ['redis']);
  const ctx = defaultContext(options.repoRoot, stack);
  const published = new Set(publishedPorts(compose.services[publisher] ?? {}).filter((p) => p.host === p.container).map((p) => p.container));
  const problems: string[] = [];

  for (const component of stack) {
    const service: ComposeService | undefined = compose.services[component.name];
    if (!service) {
      problems.push(`npm start runs ${component.name}; compose has no service of that name`);
      continue;
    }
    const start = component.start(ctx);
    const stackEnv = start.env ?? {};
    const composeEnv = environmentOf(service);

    if (!unpublished.has(component.name) && !published.has(component.defaultPort)) {
      problems.push(`${component.name}: npm start serves it on ${component.defaultPort}; ${publisher} does not publish that port as ${component.defaultPort}`);
    }

    const isService = start.command === process.execPath;
    if (isService) {
      // A service: same entry point, and at least the environment npm start gives it.
      const entry = relative(options.repoRoot, start.args.at(-1) ?? '');
      const command = asList(service.command);
      if (command[0] !== entry) problems.push(`${component.name}: npm start runs ${entry}; compose runs ${command[0] ?? 'the image default'}`);
      for (const key of Object.keys(stackEnv)) {
        if (!(key in composeEnv)) problems.push(`${component.name}: npm start sets ${key}; compose does not`);
      }
      if (composeEnv.PORT !== undefined && composeEnv.PORT !== String(component.defaultPort)) {
        problems.push(`${component.name}: PORT is ${composeEnv.PORT} in compose, ${component.defaultPort} in npm start`);
      }
    } else {
      // A backend reading a mounted config: the same set of LOOKOUT_* settings, values aside.
      const stackKeys = Object.keys(stackEnv).filter((key) => key.startsWith('LOOKOUT_'));
      const composeKeys = Object.keys(composeEnv).filter((key) => key.startsWith('LOOKOUT_'));
      for (const key of stackKeys) if (!composeKeys.includes(key)) problems.push(`${component.name}: npm start sets ${key}; compose does not`);
      for (const key of composeKeys) if (!stackKeys.includes(key)) problems.push(`${component.name}: compose sets ${key}; npm start does not`);
    }

    const command = asList(service.command);
    for (const flag of portableFlags(start.args)) {
      if (!command.includes(flag)) problems.push(`${component.name}: npm start passes ${flag}; compose does not`);
    }
  }
  return problems;
}
