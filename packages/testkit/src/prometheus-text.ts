/** One metric family as a Prometheus scrape shows it. */
export interface ScrapedFamily {
  name: string;
  type?: string;
  unit?: string;
  help?: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/**
 * The Prometheus text exposition format, read enough for assertions: families with their
 * TYPE/UNIT/HELP and samples with labels. Histogram samples join their family.
 */
export function parsePrometheusText(text: string): Map<string, ScrapedFamily> {
  const families = new Map<string, ScrapedFamily>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, samples: [] }));
    return f;
  };
  for (const line of text.split('\n')) {
    const meta = /^# (TYPE|UNIT|HELP) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, value] = meta as unknown as [string, 'TYPE' | 'UNIT' | 'HELP', string, string];
      family(name)[kind.toLowerCase() as 'type' | 'unit' | 'help'] = value;
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample || line.startsWith('#')) continue;
    const [, sampleName, rawLabels = '', value] = sample as unknown as [string, string, string | undefined, string];
    const labels: Record<string, string> = {};
    for (const [, key, val] of rawLabels.matchAll(LABEL)) labels[key as string] = (val as string).replace(/\\(.)/g, '$1');
    const suffix = HISTOGRAM_SUFFIXES.find((s) => sampleName.endsWith(s));
    const base = suffix && families.get(sampleName.slice(0, -suffix.length))?.type === 'histogram' ? sampleName.slice(0, -suffix.length) : sampleName;
    family(base).samples.push({ name: sampleName, labels, value: Number(value) });
  }
  return families;
}
