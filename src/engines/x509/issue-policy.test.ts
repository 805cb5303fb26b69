import { isIPv4 as nodeIsIPv4, isIPv6 as nodeIsIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { daysProblem, dnsNameProblem, isIPv4, isIPv6, privilegedIdentity, sanProblem } from './issue-policy.js';

describe('DNS names (RFC 1123, wildcards as the whole leftmost label)', () => {
  it.each(['kubernetes', 'kubernetes.default.svc.cluster.local', 'a-b.c1.example', 'x.y.', '*.example.com', `${'a'.repeat(63)}.io`, '1.2.3.example'])('accepts %s', (n) => {
    expect(dnsNameProblem(n)).toBeUndefined();
  });
  it.each([
    ['', 'an empty DNS name'],
    ['-bad', '"-bad" is not a DNS label (letters, digits and hyphens, 1-63 characters, no hyphen at either end)'],
    ['bad-.example', '"bad-" is not a DNS label (letters, digits and hyphens, 1-63 characters, no hyphen at either end)'],
    ['a..b', 'a DNS name has no empty labels'],
    ['under_score.io', '"under_score" is not a DNS label (letters, digits and hyphens, 1-63 characters, no hyphen at either end)'],
    [`${'a'.repeat(64)}.io`, `"${'a'.repeat(64)}" is not a DNS label (letters, digits and hyphens, 1-63 characters, no hyphen at either end)`],
    ['*.com', 'a wildcard needs at least two labels after it (*.example.com)'],
    ['a.*.example.com', 'a wildcard must be the whole leftmost label (*.example.com)'],
    ['f*o.example.com', 'a wildcard must be the whole leftmost label (*.example.com)'],
    ['*', 'a wildcard needs at least two labels after it (*.example.com)'],
    [`${'a.'.repeat(127)}ab`, 'a DNS name is at most 253 characters'],
    ['host name', '"host name" is not a DNS label (letters, digits and hyphens, 1-63 characters, no hyphen at either end)'],
  ])('refuses %j', (n, why) => {
    expect(dnsNameProblem(n)).toBe(why);
  });
});

describe('IP addresses agree with node:net on generated inputs', () => {
  // A small deterministic generator of near-miss addresses: the differential oracle is Node's own parser.
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)] as T;
  const v4Part = (): string => pick(['0', '1', '9', '10', '99', '100', '255', '256', '01', '001', '300', '', 'a', '-1', '1e2']);
  const v6Group = (): string => pick(['0', '1', 'ff', 'FFFF', 'abcd', '12345', 'g', '', '0000', '00000', 'fe80']);
  const v4 = (): string => Array.from({ length: pick([3, 4, 4, 4, 5]) }, v4Part).join('.');
  const v6 = (): string => {
    const groups = Array.from({ length: pick([2, 3, 6, 7, 8, 8, 9]) }, v6Group);
    let s = groups.join(':');
    if (rnd(3) === 0) s = s.replace(/:/, '::');
    if (rnd(4) === 0) s = `${s.slice(0, s.lastIndexOf(':') + 1)}${v4()}`;
    if (rnd(8) === 0) s = `::${s}`;
    return s;
  };
  it('IPv4: 5,000 generated strings', () => {
    for (let i = 0; i < 5000; i++) {
      const s = v4();
      expect(isIPv4(s), s).toBe(nodeIsIPv4(s));
    }
  });
  it('IPv6: 20,000 generated strings', () => {
    for (let i = 0; i < 20_000; i++) {
      const s = v6();
      expect(isIPv6(s), s).toBe(nodeIsIPv6(s));
    }
  });
  it.each(['::', '::1', '1::', 'fe80::1', '::ffff:10.0.0.1', '2001:db8::8a2e:370:7334', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4'])('IPv6 %s', (s) => {
    expect(isIPv6(s)).toBe(true);
    expect(nodeIsIPv6(s)).toBe(true);
  });
});

describe('SANs, lifetimes and privileged identities', () => {
  it('validates each SAN type', () => {
    expect(sanProblem('ip', '10.0.0.1')).toBeUndefined();
    expect(sanProblem('ip', '999.1.1.1')).toBe('not an IPv4 or IPv6 address');
    expect(sanProblem('email', 'jane@example.com')).toBeUndefined();
    expect(sanProblem('email', 'jane')).toBe('not an email address (local@domain)');
    expect(sanProblem('uri', 'spiffe://cluster.local/ns/a/sa/b')).toBeUndefined();
    expect(sanProblem('uri', 'no scheme')).toBe('not a URI with a scheme (spiffe://…, https://…)');
  });
  it('bounds --days', () => {
    expect(daysProblem(365, false)).toBeUndefined();
    expect(daysProblem(398, false)).toBeUndefined();
    expect(daysProblem(399, false)).toMatch(/over the 398-day limit/);
    expect(daysProblem(3653, true)).toBeUndefined();
    expect(daysProblem(3654, true)).toMatch(/over the 3653-day limit/);
    expect(daysProblem(0, false)).toBe('--days must be a positive whole number');
    expect(daysProblem(Number.NaN, false)).toBe('--days must be a positive whole number');
  });
  it('names privileged groups and users', () => {
    expect(privilegedIdentity('jane', ['developers'])).toEqual([]);
    expect(privilegedIdentity('admin', ['system:masters', 'kubeadm:cluster-admins'])).toHaveLength(2);
    expect(privilegedIdentity('system:node:n1', ['system:nodes'])).toHaveLength(2);
    expect(privilegedIdentity('system:kube-controller-manager', [])).toHaveLength(1);
    expect(privilegedIdentity(undefined, ['system:bootstrappers'])).toHaveLength(1);
  });
});
