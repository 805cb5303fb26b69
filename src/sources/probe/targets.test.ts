import { describe, expect, it } from 'vitest';
import { expandCidr, parsePorts, parseTarget, parseTargets } from './targets.js';

describe('probe targets', () => {
  const ok: [string, { host: string; port?: number }[]][] = [
    ['10.0.0.1', [{ host: '10.0.0.1' }]],
    ['10.0.0.1:10250', [{ host: '10.0.0.1', port: 10250 }]],
    ['node-1.example.com:6443', [{ host: 'node-1.example.com', port: 6443 }]],
    ['localhost', [{ host: 'localhost' }]],
    ['[::1]:2379', [{ host: '::1', port: 2379 }]],
    ['[fd00::1]', [{ host: 'fd00::1' }]],
    ['fd00::1', [{ host: 'fd00::1' }]],
  ];
  for (const [arg, want] of ok) {
    it(`parses ${arg}`, () => {
      const r = parseTarget(arg);
      expect(r.error).toBeUndefined();
      expect(r.targets.map((t) => ({ host: t.host, ...(t.port !== undefined ? { port: t.port } : {}) }))).toEqual(want);
    });
  }
  const bad: [string, RegExp][] = [
    ['10.0.0.0/30', /needs --allow-range/],
    ['https://10.0.0.1:6443', /not a URL/],
    ['10.0.0.1:0', /bad port/],
    ['10.0.0.1:70000', /bad port/],
    ['host name', /not a host name/],
    ['-rf', /not a host name/],
    ['[zz::1]:1', /not a host name/],
    ['[1.2.3.4]:1', /not an IPv6/],
    ['', /empty/],
  ];
  for (const [arg, re] of bad) it(`refuses ${JSON.stringify(arg)}`, () => { expect(parseTarget(arg).error).toMatch(re); });

  it('expands ranges only when allowed, and caps them', () => {
    expect(parseTarget('10.0.0.0/30', { allowRange: true }).targets.map((t) => t.host)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(parseTarget('10.0.0.7/32', { allowRange: true }).targets.map((t) => t.host)).toEqual(['10.0.0.7']);
    expect(parseTarget('10.0.0.0/16', { allowRange: true }).error).toMatch(/65536 addresses, more than the cap of 256/);
    expect(parseTarget('10.0.0.0/22', { allowRange: true, maxHosts: 1024 }).targets).toHaveLength(1022);
    expect(parseTarget('10.0.0.0/8', { allowRange: true, maxHosts: 1e9 }).error).toMatch(/cap of 4096/);
    expect(parseTarget('::/0', { allowRange: true }).error).toMatch(/too many addresses/);
    expect(expandCidr('fd00::10/126', 256).hosts).toEqual(['fd00:0:0:0:0:0:0:10', 'fd00:0:0:0:0:0:0:11', 'fd00:0:0:0:0:0:0:12', 'fd00:0:0:0:0:0:0:13']);
    expect(expandCidr('10.0.0.0/33', 256).error).toMatch(/longer than 32 bits/);
  });
  it('keeps good targets beside bad ones', () => {
    const r = parseTargets(['10.0.0.1', 'bad host', '10.0.0.2:2379']);
    expect(r.targets.map((t) => t.label)).toEqual(['10.0.0.1', '10.0.0.2:2379']);
    expect(r.errors).toHaveLength(1);
  });
  it('parses port lists', () => {
    expect(parsePorts('10250,10255,2375-2377').ports).toEqual([2375, 2376, 2377, 10250, 10255]);
    expect(parsePorts('1-0').error).toMatch(/range/);
    expect(parsePorts('x').error).toMatch(/not a port/);
    expect(parsePorts(',').error).toMatch(/no port/);
  });
});
