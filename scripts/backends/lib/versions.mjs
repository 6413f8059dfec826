#!/usr/bin/env node
// Reads deploy/versions.json for build.sh and paths.sh. Plain JavaScript on purpose:
// it runs on whichever node is on PATH (the machine's v20 or the project's v24),
// before npm dependencies exist. Output for the shell is KEY='value' lines, quoted
// so that `eval` is safe.
//
// Usage:
//   versions.mjs FILE buildable                 names with build=true, in file order
//   versions.mjs FILE names                     every component name
//   versions.mjs FILE info NAME                 shell assignments describing NAME
//   versions.mjs FILE owner COMMAND             shell assignments: component owning COMMAND
//   versions.mjs FILE path COMMAND              where COMMAND's binary lives (built or not)
//   versions.mjs FILE cache-dir                 the cache root
//   versions.mjs FILE wrapper-gomod NAME GOMOD  go.mod text of a wrapper module for NAME,
//                                               given the component's own go.mod file
//   versions.mjs FILE check-manifest MANIFEST   exit 1 when the OCB manifest's versions
//                                               differ from components.otelcol

import { readFileSync } from 'node:fs';
// The one rule for where binaries live, shared with npm start and the tests (plain JS, runs on node 20).
import { binaryPath, cacheDir } from '../../../packages/backends/src/index.js';

const [, , file, verb, ...args] = process.argv;

function fail(message) {
  process.stderr.write(`versions.mjs: ${message}\n`);
  process.exit(2);
}

function shellQuote(value) {
  return `'${String(value).replaceAll("'", `'\\''`)}'`;
}

function emit(assignments) {
  for (const [key, value] of Object.entries(assignments)) {
    process.stdout.write(`${key}=${shellQuote(value ?? '')}\n`);
  }
}

const components = JSON.parse(readFileSync(file, 'utf8')).components ?? fail(`${file} has no "components"`);

function component(name) {
  return components[name] ?? fail(`unknown component "${name}"; known: ${Object.keys(components).join(' ')}`);
}

function expand(template, c) {
  return (template ?? '').replaceAll('{version}', c.version ?? '').replaceAll('{moduleVersion}', c.moduleVersion ?? '');
}

function info(name) {
  const c = component(name);
  emit({
    C_NAME: name,
    C_KIND: c.kind,
    C_BUILD: c.build === true ? 'true' : 'false',
    C_REASON: c.reason ?? '',
    C_VERSION: c.version,
    C_MODULE: c.module ?? '',
    C_MODVER: c.moduleVersion ?? '',
    C_LDFLAGS: expand(c.ldflags, c),
    C_TAGS: c.tags ?? '',
    C_COLD_SECONDS: c.coldBuildSeconds ?? '',
    C_MANIFEST: c.manifest ?? '',
    C_BUILDER_MODULE: c.builder?.module ?? '',
    C_BUILDER_VERSION: c.builder?.moduleVersion ?? '',
    // "name=package name=package": command names never contain spaces or '='.
    C_COMMANDS: Object.entries(c.commands ?? {}).map(([cmd, pkg]) => `${cmd}=${pkg.replaceAll(' ', '_')}`).join(' '),
  });
}

function owner(command) {
  for (const [name, c] of Object.entries(components)) {
    if (c.commands && command in c.commands) {
      emit({ C_NAME: name, C_VERSION: c.version, C_BUILD: c.build === true ? 'true' : 'false' });
      return;
    }
  }
  fail(`no component builds a command named "${command}"`);
}

// Parses the require/replace/exclude directives we need from a go.mod. Handles both the
// single-line and the block forms; comments are dropped.
function parseGoMod(text) {
  const result = { go: '', requires: new Map(), replaces: [], excludes: [] };
  let block = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (block) {
      if (line === ')') { block = ''; continue; }
      take(block, line);
      continue;
    }
    const m = /^(go|require|replace|exclude)\s*(\(|.*)$/.exec(line);
    if (!m) continue;
    if (m[2] === '(') block = m[1];
    else take(m[1], m[2].trim());
  }
  return result;

  function take(kind, body) {
    if (kind === 'go') result.go = body;
    else if (kind === 'require') {
      const [mod, ver] = body.split(/\s+/);
      result.requires.set(mod, ver);
    } else if (kind === 'replace') {
      const [from, to] = body.split('=>').map((s) => s.trim());
      result.replaces.push({ from, to });
    } else if (kind === 'exclude') result.excludes.push(body);
  }
}

// A wrapper module requires the component at its pinned version and copies its replace
// and exclude directives, which only take effect in the main module (this is why
// `go install MODULE@VERSION` refuses such modules). A replace pointing at a folder inside
// the component (Loki's `pkg/push => ./pkg/push`) cannot be copied: it becomes a require
// of that module at the version the component's own go.mod names.
function wrapperGoMod(name, goModFile) {
  const c = component(name);
  const parsed = parseGoMod(readFileSync(goModFile, 'utf8'));
  const requires = [[c.module, c.moduleVersion]];
  const replaces = [];
  for (const { from, to } of parsed.replaces) {
    const target = to.split(/\s+/)[0];
    if (target.startsWith('./') || target.startsWith('../')) {
      const fromModule = from.split(/\s+/)[0];
      const version = parsed.requires.get(fromModule);
      if (!version) fail(`${name}: local replace "${from} => ${to}" and no require of ${fromModule} to take a version from`);
      requires.push([fromModule, version]);
    } else {
      replaces.push(`${from} => ${to}`);
    }
  }
  const lines = [
    `// Generated by scripts/backends/build.sh from ${c.module}@${c.moduleVersion}'s go.mod. Do not edit.`,
    `module lookout.local/backends/${name}`,
    '',
    `go ${parsed.go || '1.22'}`,
    '',
    ...requires.map(([m, v]) => `require ${m} ${v}`),
  ];
  if (replaces.length) lines.push('', 'replace (', ...replaces.map((r) => `\t${r}`), ')');
  if (parsed.excludes.length) lines.push('', 'exclude (', ...parsed.excludes.map((e) => `\t${e}`), ')');
  process.stdout.write(`${lines.join('\n')}\n`);
}

// The manifest must agree with versions.json, or the binary's name would lie about its content.
function checkManifest(manifestFile) {
  const c = component('otelcol');
  const text = readFileSync(manifestFile, 'utf8');
  const problems = [];
  const distVersion = /^\s*version:\s*(\S+)/m.exec(text)?.[1];
  if (distVersion !== c.version) problems.push(`dist.version is ${distVersion}, versions.json says ${c.version}`);
  for (const m of text.matchAll(/^\s*-\s*gomod:\s*(\S+)\s+(\S+)/gm)) {
    const [, mod, ver] = m;
    const want = mod.includes('/confmap/provider/') ? c.providersVersion
      : mod.startsWith('github.com/open-telemetry/opentelemetry-collector-contrib/') ? c.contribVersion
        : c.coreVersion;
    if (ver !== want) problems.push(`${mod} is ${ver}, versions.json says ${want}`);
  }
  if (problems.length) {
    process.stderr.write(`${manifestFile} disagrees with versions.json:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
}

switch (verb) {
  case 'buildable':
    process.stdout.write(`${Object.keys(components).filter((n) => components[n].build === true).join('\n')}\n`);
    break;
  case 'names':
    process.stdout.write(`${Object.keys(components).join('\n')}\n`);
    break;
  case 'info': info(args[0]); break;
  case 'owner': owner(args[0]); break;
  case 'path': {
    let path = '';
    try {
      path = binaryPath(args[0], { versions: { components } });
    } catch (error) {
      fail(error.message);
    }
    process.stdout.write(`${path}\n`);
    break;
  }
  case 'cache-dir': process.stdout.write(`${cacheDir()}\n`); break;
  case 'wrapper-gomod': wrapperGoMod(args[0], args[1]); break;
  case 'check-manifest': checkManifest(args[0]); break;
  default: fail(`unknown verb "${verb}"`);
}
