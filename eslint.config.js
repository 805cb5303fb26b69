// One lint set-up for the whole repository: typescript-eslint strict, type-checked.
import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-check/**', 'node_modules/**', 'coverage/**', '**/fixtures/**', 'bench/out/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', global: 'readonly', performance: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
  {
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }] },
  },
  {
    // Only sources/ and cli/ may talk to the outside world.
    files: ['src/core/**/*.ts', 'src/model/**/*.ts', 'src/framework/**/*.ts', 'src/engines/**/*.ts', 'src/checks/**/*.ts', 'src/reporters/**/*.ts'],
    ignores: ['**/*.test.ts', '**/tester.ts', '**/*.testutil.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:fs', 'node:fs/*', 'fs', 'node:child_process', 'node:net', 'node:http', 'node:https', 'node:process'], message: 'No I/O outside src/sources and src/cli.' }] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'No process access outside src/sources and src/cli.' }, { name: 'console', message: 'No console outside src/cli.' }],
    },
  },
  {
    // Every regular expression on user data is linear (issue 10 §2): expressions that can backtrack super-linearly,
    // or that restart at every character of a long run (a quadratic search), are errors. A disable comment must say
    // why the expression is safe (bounded or trusted input).
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.testutil.ts', '**/tester.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { report: 'potential', ignoreSticky: false, ignorePartial: false }],
      // The checks above see literals only: an expression built at run time (from a glob, a name) is not checked.
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='RegExp']", message: 'RegExp built at run time escapes the linear-regex lint gate: use a literal, or a hand-written matcher (core/glob.ts)' },
        { selector: "CallExpression[callee.name='RegExp']", message: 'RegExp built at run time escapes the linear-regex lint gate: use a literal, or a hand-written matcher (core/glob.ts)' },
      ],
    },
  },
  // Imports point one way: cli → sources → reporters → checks → engines → framework → model → core.
  ...[
    ['src/core/**/*.ts', ['**/model/**', '**/framework/**', '**/engines/**', '**/checks/**', '**/reporters/**', '**/sources/**', '**/cli/**']],
    ['src/model/**/*.ts', ['**/framework/**', '**/engines/**', '**/checks/**', '**/reporters/**', '**/sources/**', '**/cli/**']],
    ['src/framework/**/*.ts', ['**/engines/**', '**/checks/**', '**/reporters/**', '**/sources/**', '**/cli/**']],
    ['src/engines/**/*.ts', ['**/checks/**', '**/reporters/**', '**/sources/**', '**/cli/**']],
  ].map(([files, banned]) => ({
    files: [files],
    ignores: ['**/*.test.ts', '**/*.testutil.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [
      { group: ['node:fs', 'node:fs/*', 'fs', 'node:child_process', 'node:net', 'node:http', 'node:https', 'node:process', 'node:tls', 'node:os', 'node:dns'], message: 'No I/O outside src/sources and src/cli.' },
      { group: banned, message: `Imports point one way (cli → sources → reporters → checks → engines → framework → model → core).` },
    ] }] },
  })),
);
