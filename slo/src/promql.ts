// PromQL read with Prometheus's own grammar (@prometheus-io/lezer-promql, the parser of the
// Prometheus UI), so a metric name is found wherever the language allows it, and a syntax error
// is reported instead of guessed around.
import { parser } from '@prometheus-io/lezer-promql';

export interface Selector {
  /** The metric name (from the identifier or a __name__="..." matcher). */
  name: string;
  /** The selector as written, label matchers included: what /api/v1/series takes as match[]. */
  text: string;
  /** Whether it had an exact metric name (a regex __name__ matcher has none). */
  exact: boolean;
}

export interface ParsedQuery {
  selectors: Selector[];
  /** Positions of syntax errors (empty when the query parses). */
  errors: number[];
}

export function parsePromql(query: string): ParsedQuery {
  const selectors: Selector[] = [];
  const errors: number[] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
      if (node.name !== 'VectorSelector') return;
      const text = query.slice(node.from, node.to);
      const identifier = node.node.getChild('Identifier');
      if (identifier) {
        selectors.push({ name: query.slice(identifier.from, identifier.to), text, exact: true });
        return;
      }
      const byName = /__name__\s*(=~|=)\s*"([^"]*)"/.exec(text);
      selectors.push({ name: byName?.[2] ?? '', text, exact: byName?.[1] === '=' });
    },
  });
  return { selectors, errors };
}
