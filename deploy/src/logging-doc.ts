// The sample queries of docs/operations/logging.md, as the doc's shell helpers run them:
// `q '…'` against the app store (AccountID 1), `qa '…'` against the audit store (AccountID 2).
// Extracted so a test can run every one of them on the real VictoriaLogs and the doc cannot rot.

export interface DocQuery {
  store: 'app' | 'audit';
  query: string;
  /** 1-based line in the document, for failure messages. */
  line: number;
}

/** Every `q '…'` / `qa '…'` line inside the document's ```sh blocks. */
export function extractDocQueries(markdown: string): DocQuery[] {
  const queries: DocQuery[] = [];
  let inShell = false;
  for (const [index, line] of markdown.split('\n').entries()) {
    if (/^\s*```/.test(line)) {
      inShell = !inShell && /^\s*```sh\s*$/.test(line);
      continue;
    }
    if (!inShell) continue;
    const match = /^(qa?) '(.*)'\s*$/.exec(line.trim());
    if (match) queries.push({ store: match[1] === 'qa' ? 'audit' : 'app', query: match[2]!, line: index + 1 });
  }
  return queries;
}
