// Semantic form of a config tree, so that two configs that mean the same compare equal: the same
// function runs on the repository's side and on what the server reports.
//   - durations (`90s`, `1m30s`, `24h` = `1d`) become one canonical spelling;
//   - values the server fills in when the file leaves them out (a defaults table per component, and
//     the integrations' own `{{ template "slack.default.title" . }}` templates) are dropped, as are
//     null, empty lists and empty maps;
//   - lists whose order means nothing (group_by, targets, matchers, …) are sorted, and lists of
//     named objects (scrape_configs by job_name, receivers by name) become maps by that name, so a
//     difference is reported per object rather than per position;
//   - paths that only say where a file is mounted (rule_files, templates, *_file) keep their last
//     segments: `npm start`, compose and the repository mount the same files in different places.
export type Tree = null | boolean | number | string | Tree[] | { [key: string]: Tree };
export type Path = readonly string[];

export interface NormaliseRules {
  /** Dotted path patterns (`*` one segment, `**` any number) -> the value the server fills in. */
  defaults: readonly (readonly [pattern: string, value: Tree | typeof ANY])[];
  /** Key name -> the field that names each element: the list becomes a map by it. */
  keyedLists: Readonly<Record<string, string>>;
  /** Key names whose lists are sets. */
  setLists: readonly string[];
  /** Key names whose values (strings or lists of them) are paths reduced to their last `n` segments. */
  mountPaths: Readonly<Record<string, number>>;
}

/** A default that is dropped whatever its value: it comes from flags or the environment, not the file. */
export const ANY = Symbol('any value');

const DURATION = /^(?:\d+(?:ms|[smhdwy]))+$/;
const UNIT_MS: Record<string, number> = { y: 31_536_000_000, w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** `1m30s` -> 90000, or undefined when the string is not a Prometheus duration. */
export function durationMs(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|[smhdwy])/g)) total += Number(amount) * UNIT_MS[unit!]!;
  return total;
}

/** Milliseconds in Prometheus's own spelling (largest units first): 90000 -> `1m30s`, 86400000 -> `1d`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const [unit, size] of Object.entries(UNIT_MS)) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}

const DEFAULT_TEMPLATE = /^\{\{ template "[a-z]+\.default\.[a-z]+" \. \}\}$/;
const MATCHER = /^\s*([^\s=!~]+)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|(.*?))\s*$/;

function patternMatches(pattern: readonly string[], path: Path): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') return Array.from({ length: path.length + 1 }, (_, i) => i).some((skip) => patternMatches(rest, path.slice(skip)));
  return path.length > 0 && (head === '*' || head === path[0]) && patternMatches(rest, path.slice(1));
}

const isEmpty = (value: Tree | undefined) => value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);

function isDefault(rules: NormaliseRules, path: Path, value: Tree): boolean {
  if (typeof value === 'string' && DEFAULT_TEMPLATE.test(value)) return true;
  return rules.defaults.some(([pattern, expected]) => patternMatches(pattern.split('.'), path) && (expected === ANY || JSON.stringify(expected) === JSON.stringify(value)));
}

function scalar(value: Tree, key: string | undefined, rules: NormaliseRules): Tree {
  if (typeof value !== 'string') return value;
  const segments = key === undefined ? undefined : (rules.mountPaths[key] ?? (key.endsWith('_file') ? 1 : undefined));
  if (segments) return value.split('/').slice(-segments).join('/');
  const ms = durationMs(value);
  if (ms !== undefined) return formatDuration(ms);
  const matcher = key?.endsWith('matchers') ? MATCHER.exec(value) : null;
  if (matcher) return `${matcher[1]}${matcher[2]}"${matcher[3] ?? matcher[4]}"`;
  return value;
}

function normaliseList(list: Tree[], key: string | undefined, path: Path, rules: NormaliseRules): Tree {
  const nameField = key === undefined ? undefined : rules.keyedLists[key];
  if (nameField) {
    const byName: Record<string, Tree> = {};
    for (const item of list) {
      const name = item !== null && typeof item === 'object' && !Array.isArray(item) ? item[nameField] : undefined;
      const base = typeof name === 'string' ? name : JSON.stringify(item);
      // A repeated name (two panels with one title) gets its occurrence, rather than overwriting the first.
      let unique = base;
      for (let n = 2; unique in byName; n++) unique = `${base} #${n}`;
      byName[unique] = normaliseAt(item, [...path, '*'], rules);
    }
    return byName;
  }
  const items = list.map((item) => normaliseAt(item, [...path, '*'], rules, key));
  return key !== undefined && rules.setLists.includes(key) ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : items;
}

/** `key` is the map key the value sits under (list items inherit their list's). */
function normaliseAt(value: Tree, path: Path, rules: NormaliseRules, key = path.at(-1)): Tree {
  if (Array.isArray(value)) return normaliseList(value, key, path, rules);
  if (value === null || typeof value !== 'object') return scalar(value, key, rules);
  const out: Record<string, Tree> = {};
  for (const [k, v] of Object.entries(value)) {
    const child = normaliseAt(v, [...path, k], rules);
    if (!isEmpty(child) && !isDefault(rules, [...path, k], child)) out[k] = child;
  }
  return out;
}

export function normalise(value: Tree, rules: NormaliseRules): Tree {
  return normaliseAt(value, [], rules);
}
