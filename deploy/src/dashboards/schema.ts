// The committed dashboards against the dashboard JSON schema of the foundation SDK (schema/README.md
// says which file and why that version), with ajv.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

const schema = JSON.parse(readFileSync(new URL('./schema/dashboard.jsonschema.json', import.meta.url), 'utf8')) as object;
// Formats (date-time of snapshots) are not checked: no dashboard here has one.
const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

/** One message per schema violation ("/panels/3/gridPos/w must be integer"), empty when the dashboard conforms. */
export function schemaProblems(dashboard: unknown): string[] {
  if (validate(dashboard)) return [];
  return [...new Set((validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`))];
}
