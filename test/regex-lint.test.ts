/**
 * The lint gate for regular expressions (issue 10 §2): the project's ESLint config applies eslint-plugin-regexp's
 * super-linear checks to src/, and they catch every expression this project had to rewrite. If the block is removed
 * or weakened, this fails.
 */
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import config from '../eslint.config.js';

/** The expressions found by the audit, as they were before the rewrite (src/engines/credentials and others). */
const FORMER = [
  String.raw`/-{3,}\s*BEGIN\s+(?:[A-Z0-9]+\s+)*PRIVATE\s+KEY(?:\s+BLOCK)?\s*-{3,}/i`,
  String.raw`/[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*:([^\s@/'"]+)@[^\s'"]/gi`,
  String.raw`/([A-Z]+)([A-Z][a-z])/g`,
  String.raw`/^(?:\s*(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{[^}]*\}|\{\{.*?\}\}|%[A-Za-z_][A-Za-z0-9_]*%|\$[A-Za-z_][A-Za-z0-9_]*)\s*)+$/s`,
  String.raw`/^\s*(?:-\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.*?)\s*,?\s*$/`,
  String.raw`/^\s*([^—:]*?)\s*(?:(?:—|--|:)\s*(.*))?$/s`,
  String.raw`/^\s*ExecStart=\s*\S/m`,
  String.raw`/\/+$/`,
  String.raw`/^([A-Za-z-]+):\s*(.*)$/`,
];

type Block = { files?: unknown; plugins?: NonNullable<Linter.Config['plugins']>; rules?: Linter.RulesRecord };

describe('the regular-expression lint gate', () => {
  const block = (config as Block[]).find((b) => b.plugins?.regexp !== undefined);
  it('is configured for src/', () => {
    expect(block?.files).toEqual(['src/**/*.ts']);
    expect(Object.keys(block?.rules ?? {})).toEqual(expect.arrayContaining(['regexp/no-super-linear-backtracking', 'regexp/no-super-linear-move']));
  });
  it.each(FORMER)('rejects %s', (re) => {
    const linter = new Linter({ configType: 'flat' });
    const messages = linter.verify(`export const x = ${re};\n`, [{ files: ['**/*.js'], plugins: block?.plugins ?? {}, rules: block?.rules ?? {} }], 'x.js');
    expect(messages.map((m) => m.ruleId)).toEqual(expect.arrayContaining([expect.stringMatching(/^regexp\/no-super-linear-/)]));
  });
  it('rejects expressions built at run time, which it cannot see', () => {
    const linter = new Linter({ configType: 'flat' });
    for (const code of ['export const f = (g) => new RegExp(`^${g}$`);\n', 'export const f = (g) => RegExp(g);\n']) {
      expect(linter.verify(code, [{ files: ['**/*.js'], plugins: block?.plugins ?? {}, rules: block?.rules ?? {} }], 'x.js').map((m) => m.ruleId), code).toContain('no-restricted-syntax');
    }
  });
  it('accepts the linear forms that replaced them', () => {
    const linter = new Linter({ configType: 'flat' });
    for (const re of [String.raw`/(?<!-)-{3,}\s*BEGIN\s+(?:[A-Z0-9]+\s+)*PRIVATE\s+KEY(?:\s+BLOCK)?\s*-{3,}/i`, String.raw`/^[ \t]*ExecStart=[ \t]*\S/m`, String.raw`/^([A-Za-z-]+):(.*)$/`]) {
      expect(linter.verify(`export const x = ${re};\n`, [{ files: ['**/*.js'], plugins: block?.plugins ?? {}, rules: block?.rules ?? {} }], 'x.js'), re).toEqual([]);
    }
  });
});
