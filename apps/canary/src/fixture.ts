// The canary's fixture: a small diff whose review is known, so every answer can be compared
// exactly. It holds no secret-shaped text (the canary's requests are logged and traced like any).
export const FIXTURE_DIFF = [
  'diff --git a/src/canary.ts b/src/canary.ts',
  '--- a/src/canary.ts',
  '+++ b/src/canary.ts',
  '@@ -1,1 +1,4 @@',
  ' export const canary = true;',
  '+// TODO: remove this synthetic probe line',
  '+console.log("synthetic probe");',
  '+export const probe = 1;',
  '',
].join('\n');

/** What the reviewer finds in FIXTURE_DIFF with its default modules: compared exactly. */
export const EXPECTED_FINDINGS = [
  { module: 'todos', severity: 'info', file: 'src/canary.ts', line: 2, message: 'TODO added: remove this synthetic probe line' },
  { module: 'debug_leftovers', severity: 'warning', file: 'src/canary.ts', line: 3, message: 'debug leftover: console.log' },
] as const;
