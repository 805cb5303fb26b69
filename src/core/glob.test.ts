import { describe, expect, it } from 'vitest';
import { compilePathGlob, wildcardMatch, type PathGlob } from './glob.js';

/** The regular expression the matcher replaced, as an oracle. */
function viaRegExp(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's').test(value);
}

describe('wildcardMatch', () => {
  it('matches like `*` → `.*`', () => {
    const cases: [string, string, boolean][] = [
      ['*', '', true],
      ['', '', true],
      ['', 'a', false],
      ['kube-*', 'kube-system', true],
      ['kube-*', 'kube', false],
      ['*-system', 'kube-system', true],
      ['a*b*c', 'abc', true],
      ['a*b*c', 'aXbYc', true],
      ['a*b*c', 'aXbY', false],
      ['a.b', 'aXb', false],
      ['**', 'x', true],
      ['a*a*a*b', 'aaaaaaaaab', true],
      ['a*a*a*b', 'aaaaaaaaaa', false],
    ];
    for (const [p, v, want] of cases) expect(wildcardMatch(p, v), `${p} ~ ${v}`).toBe(want);
  });
  it('agrees with the regular expression on 20,000 random pairs', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    const pick = (atoms: string, n: number): string => Array.from({ length: Math.floor(rand() * n) }, () => atoms.charAt(Math.floor(rand() * atoms.length))).join('');
    for (let i = 0; i < 20_000; i++) {
      const p = pick('ab*.-\n', 7);
      const v = pick('ab.-\n', 9);
      expect(wildcardMatch(p, v), `${JSON.stringify(p)} ~ ${JSON.stringify(v)}`).toBe(viaRegExp(p, v));
    }
  });
});

/**
 * The translation to a regular expression that compilePathGlob replaced (sources/files.ts globToRegExp), as an
 * oracle; one deliberate difference: a set never matches `/` (the expression's `[^...]` did).
 */
function pathViaRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const j = glob.indexOf(']', i);
      if (j < 0) re += '\\[';
      else {
        re += `(?:(?!/)[${glob.slice(i + 1, j).replace(/^!/, '^')}])`;
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

function compiled(glob: string): PathGlob {
  const g = compilePathGlob(glob);
  if ('error' in g) throw new Error(g.error);
  return g;
}

describe('compilePathGlob', () => {
  it('matches like the shell globs of the input paths', () => {
    const cases: [string, string, boolean][] = [
      ['**/*.yaml', 'x/y/z.yaml', true],
      ['**/*.yaml', 'z.yaml', true],
      ['*.yaml', 'x/z.yaml', false],
      ['*.yaml', '.yaml', true],
      ['p[0-9].y?ml', 'p1.yaml', true],
      ['p[0-9].y?ml', 'pa.yaml', false],
      ['p[!0-9].yaml', 'pa.yaml', true],
      ['p[!0-9].yaml', 'p1.yaml', false],
      ['p[^a].yaml', 'p/.yaml', false],
      ['a?b', 'a/b', false],
      ['a**b', 'a/x/b', true],
      ['a/**/b', 'a/b', true],
      ['a/**/b', 'a/x/y/b', true],
      ['a/**/b', 'ab', false],
      ['x[', 'x[', true],
      ['[]]', ']', false],
      ['[a-]', '-', true],
      ['', '', true],
    ];
    for (const [g, path, want] of cases) expect(compiled(g).test(path), `${g} ~ ${path}`).toBe(want);
  });
  it('refuses a range out of order with a sentence', () => {
    expect(compilePathGlob('[z-a].yaml')).toEqual({ error: 'invalid pattern [z-a].yaml: the range z-a is out of order' });
  });
  it('agrees with the regular expression on 20,000 random pairs', () => {
    let seed = 11;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    const pick = (atoms: readonly string[], n: number): string => Array.from({ length: Math.floor(rand() * n) }, () => atoms[Math.floor(rand() * atoms.length)] ?? '').join('');
    const globAtoms = ['a', 'b', '/', '.', '*', '**', '**/', '?', '[ab]', '[!a]', '[a-b]', '[^/]', '['];
    for (let i = 0; i < 20_000; i++) {
      const g = pick(globAtoms, 6);
      const path = pick(['a', 'b', '/', '.', 'c'], 10);
      expect(compiled(g).test(path), `${JSON.stringify(g)} ~ ${JSON.stringify(path)}`).toBe(pathViaRegExp(g).test(path));
    }
  });
  it('takes (path × pattern) steps where the expression backtracked polynomially', () => {
    // `^[^/]*a[^/]*a…b$` on 4,000 `a`s is 4000^12 steps for a backtracking engine; this finishes at once.
    const name = 'a'.repeat(4000);
    expect(compiled('*a*a*a*a*a*a*a*a*a*a*a*b').test(name)).toBe(false);
    expect(compiled('**a**a**a**a**a**a**b').test(`${name}/${name}`)).toBe(false);
  });
});
