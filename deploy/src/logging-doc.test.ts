import { describe, expect, it } from 'vitest';
import { extractDocQueries } from './logging-doc.ts';

describe('extractDocQueries', () => {
  it('takes q and qa lines from sh blocks only, with their store and line', () => {
    const doc = [
      "q 'not in a block'",
      '```sh',
      "q() { curl …; }",
      "q '_time:1h request_id:=\"r\"'",
      "qa '_time:7d audit.outcome:in(\"denied\", \"failure\")'",
      '```',
      '```yaml',
      "q 'in yaml'",
      '```',
    ].join('\n');
    expect(extractDocQueries(doc)).toEqual([
      { store: 'app', query: '_time:1h request_id:="r"', line: 4 },
      { store: 'audit', query: '_time:7d audit.outcome:in("denied", "failure")', line: 5 },
    ]);
  });
});
