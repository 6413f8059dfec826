// One lint config for the whole workspace. The two restrictions encode the
// logging RFC (docs/rfc/0001-logging.md): @lookout/logger is the only logger.
// The module-boundary rule encodes the layering (README "Where things live"): apps depend on
// libraries, never on other apps; runtime code never depends on test support. Each project's tag is
// in its package.json (`nx.tags`).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Files that only tests load: they may also use test support (@lookout/testkit).
const TEST_FILES = ['**/*.test.ts', '**/*.test-support.ts', '**/testing/**', '**/testing.ts', '**/test/**'];

/** enforce-module-boundaries for runtime code, or for test code when `forTests`. */
function layering(forTests) {
  const testSupport = forTests ? ['type:test-support'] : [];
  return ['error', {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', ...testSupport] },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', ...testSupport] },
      { sourceTag: 'type:test-support', onlyDependOnLibsWithTags: ['type:lib', 'type:test-support'] },
      // Benchmarks, deploy checks and repo checks exercise the apps as a whole.
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:test-support', 'type:app', 'type:tool'] },
    ],
  }];
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', '**/.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', queueMicrotask: 'readonly', performance: 'readonly', structuredClone: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/**/*.ts', 'apps/**/*.ts'],
    ignores: ['packages/logger/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', {
        paths: [{ name: 'pino', message: 'Use getLogger() from @lookout/logger: it adds context, masking and the OTel bridge.' }],
        patterns: [{ group: ['pino/*'], message: 'Use getLogger() from @lookout/logger.' }],
      }],
    },
  },
  { plugins: { '@nx': nx } },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: { '@nx/enforce-module-boundaries': layering(false) },
  },
  {
    files: TEST_FILES.map((pattern) => (pattern.endsWith('/**') ? `${pattern}/*.{ts,js,mjs}` : pattern)),
    rules: { '@nx/enforce-module-boundaries': layering(true) },
  },
  {
    // Fixtures stand in for a user's app: they import our packages by name, as a user would.
    files: ['**/fixtures/**'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // CommonJS fixtures exist to test and measure `--require` on a plain CJS app.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['packages/logger/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
