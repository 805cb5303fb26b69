import { describe, expect, it } from 'vitest';
import { wildcardMatch } from './glob.js';

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
