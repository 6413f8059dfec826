// Grafana's interpolation of provisioning file values (pkg/services/provisioning/values,
// interpolateValue): the value is split at every "$$", each part has its environment variables
// expanded as Go's os.ExpandEnv does (${NAME} and $NAME; an unset name becomes ""), and the parts
// are joined with a literal "$". So a Grafana template variable in a provisioning file must be
// written $${...}, or provisioning silently turns it into "" before Grafana ever sees it.
// Dashboard JSON files are NOT interpolated (Grafana's docs: "not in the dashboard definition
// files themselves"), so there ${...} is written as is.

const SPECIAL = /[*#$@!?\-0-9]/;
const NAME = /^[A-Za-z0-9_]*/;

/** Go's os.Expand: the name after a "$" and how many characters it took. */
function shellName(rest: string): { name: string; width: number } {
  if (rest[0] === '{') {
    if (rest.length > 2 && SPECIAL.test(rest[1]!) && rest[2] === '}') return { name: rest[1]!, width: 3 };
    const close = rest.indexOf('}');
    if (close === 1) return { name: '', width: 2 }; // "${}": bad syntax, eaten
    if (close < 0) return { name: '', width: 1 }; // "${" without "}": bad syntax, eaten
    return { name: rest.slice(1, close), width: close + 1 };
  }
  if (rest[0] && SPECIAL.test(rest[0])) return { name: rest[0], width: 1 };
  const name = NAME.exec(rest)![0];
  return { name, width: name.length };
}

/** Go's os.ExpandEnv over one part (no "$$" left in it). */
export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  let out = '';
  let i = 0;
  for (let j = 0; j < text.length; j++) {
    if (text[j] !== '$' || j + 1 >= text.length) continue;
    out += text.slice(i, j);
    const { name, width } = shellName(text.slice(j + 1));
    if (name) out += env[name] ?? '';
    else if (width === 0) out += '$'; // "$" before a character that starts no name: kept
    j += width;
    i = j + 1;
  }
  return out + text.slice(i);
}

/** What Grafana stores for one provisioning file value. */
export function interpolateProvisioningValue(value: string, env: Readonly<Record<string, string | undefined>> = {}): string {
  return value.split('$$').map((part) => expandEnv(part, env)).join('$');
}

/** Every string value of a parsed provisioning file, as Grafana stores it (nested maps and lists too). */
export function interpolateProvisioning<T>(value: T, env: Readonly<Record<string, string | undefined>> = {}): T {
  if (typeof value === 'string') return interpolateProvisioningValue(value, env) as T;
  if (Array.isArray(value)) return value.map((v) => interpolateProvisioning(v, env)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateProvisioning(v, env)])) as T;
  return value;
}
