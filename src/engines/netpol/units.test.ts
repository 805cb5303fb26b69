import { describe, expect, it } from 'vitest';
import { formatIp, parseCidr, parseIp, rangeToCidrs, subtractRanges } from './addresses.js';
import { collectEndpoints, resolveNamedPort, type Endpoint } from './endpoints.js';
import { inventoryOfObjects } from './model.testutil.js';
import { parseNetworkPolicy } from './policy.js';
import { ALL_PORTS, formatPorts, hasPort, intersectPorts, normalize, portRange, PortSetTable, subtractPorts, unionPorts } from './ports.js';
import { parseSelector, selectorMatches, selectorMatchesPartly, MAYBE, NO, YES } from './selector.js';

describe('port sets', () => {
  it.each([
    [[1, 5, 3, 9], [1, 9]],
    [[1, 5, 6, 9], [1, 9]],
    [[10, 20, 1, 2], [1, 2, 10, 20]],
    [[5, 4], []],
    [[0, 70000], [1, 65535]],
  ])('normalize %j', (input, out) => {
    expect(normalize(input)).toEqual(out);
  });

  it('union, intersection, difference, membership', () => {
    const a = unionPorts(portRange('TCP', 80, 90), portRange('UDP', 53, 53));
    const b = portRange('TCP', 85, 100);
    expect(formatPorts(a)).toBe('TCP:80-90 UDP:53');
    expect(formatPorts(intersectPorts(a, b))).toBe('TCP:85-90');
    expect(formatPorts(subtractPorts(a, b))).toBe('TCP:80-84 UDP:53');
    expect(formatPorts(subtractPorts(ALL_PORTS, portRange('TCP', 1, 65535)))).toBe('UDP:all SCTP:all');
    expect(hasPort(a, 'TCP', 90)).toBe(true);
    expect(hasPort(a, 'TCP', 91)).toBe(false);
    expect(hasPort(a, 'SCTP', 80)).toBe(false);
  });

  it('interns equal sets once and memoises operations', () => {
    const t = new PortSetTable();
    const x = t.intern(portRange('TCP', 80, 80));
    expect(t.intern(portRange('TCP', 80, 80))).toBe(x);
    const y = t.intern(portRange('TCP', 81, 81));
    const u = t.union(x, y);
    expect(formatPorts(t.get(u))).toBe('TCP:80-81');
    expect(t.intersect(u, x)).toBe(x);
    expect(t.union(x, PortSetTable.ALL)).toBe(PortSetTable.ALL);
    expect(t.subtract(u, x)).toBe(y);
  });
});

describe('addresses', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8', false],
    ['10.1.2.3/8', '10.0.0.0/8', true],
    ['0.0.0.0/0', '0.0.0.0/0', false],
    ['2001:db8::/32', '2001:db8::/32', false],
    ['::ffff:10.0.0.1/128', '::ffff:a00:1/128', false],
  ])('parseCidr %s', (text, canonical, hostBits) => {
    const c = parseCidr(text);
    if (typeof c === 'string') throw new Error(c);
    expect(c.text).toBe(canonical);
    expect(c.hostBitsSet).toBe(hostBits);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '300.0.0.0/8', 'fd00::/129', 'x/8'])('rejects %s', (text) => {
    expect(typeof parseCidr(text)).toBe('string');
  });

  it('subtracts excepts and renders ranges as CIDRs', () => {
    const a = parseCidr('10.0.0.0/8');
    const e = parseCidr('10.1.0.0/16');
    if (typeof a === 'string' || typeof e === 'string') throw new Error('parse');
    const r = subtractRanges([a.lo, a.hi], [e.lo, e.hi]);
    expect(rangeToCidrs(r[0] as bigint, r[1] as bigint)).toEqual(['10.0.0.0/16']);
    expect(rangeToCidrs(r[2] as bigint, r[3] as bigint)).toEqual(['10.2.0.0/15', '10.4.0.0/14', '10.8.0.0/13', '10.16.0.0/12', '10.32.0.0/11', '10.64.0.0/10', '10.128.0.0/9']);
    const ip = parseIp('2001:db8::1');
    expect(ip && formatIp(ip.value)).toBe('2001:db8::1');
  });
});

describe('label selectors', () => {
  const sel = (raw: unknown) => {
    const r = parseSelector(raw, 'sel');
    expect(r.errors).toEqual([]);
    return r.selector;
  };
  it('null and empty select everything', () => {
    expect(selectorMatches(sel(null), { a: 'b' })).toBe(true);
    expect(selectorMatches(sel({ matchLabels: null }), {})).toBe(true);
    expect(sel({}).text).toBe('{}');
  });
  it('reports invalid operators and values', () => {
    expect(parseSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, 's').errors).toHaveLength(1);
    expect(parseSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 's').errors).toHaveLength(1);
    expect(parseSelector({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }, 's').errors).toHaveLength(1);
    expect(parseSelector({ matchLabels: { a: 1 } }, 's').errors).toHaveLength(1);
    expect(parseSelector({ matchLabels: { 'bad key!': 'x' } }, 's').errors).toHaveLength(1);
  });
  it('three-valued matching when only some keys are known', () => {
    const known = new Set(['kubernetes.io/metadata.name']);
    const labels = { 'kubernetes.io/metadata.name': 'ops' };
    expect(selectorMatchesPartly(sel({ matchLabels: { 'kubernetes.io/metadata.name': 'ops' } }), labels, known)).toBe(YES);
    expect(selectorMatchesPartly(sel({ matchLabels: { 'kubernetes.io/metadata.name': 'dev', team: 'x' } }), labels, known)).toBe(NO);
    expect(selectorMatchesPartly(sel({ matchLabels: { team: 'x' } }), labels, known)).toBe(MAYBE);
    expect(selectorMatchesPartly(sel({}), labels, known)).toBe(YES);
  });
});

describe('NetworkPolicy validation (as the API server)', () => {
  const issues = (spec: unknown): string[] => {
    const [obj] = inventoryOfObjects([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'n' }, spec }]).objects;
    if (!obj) throw new Error('no object');
    return parseNetworkPolicy(obj).issues.map((i) => `${i.path}: ${i.message}`);
  };
  it.each([
    [{ podSelector: {}, ingress: [{ from: [{}] }] }, 'spec.ingress[0].from[0]: must specify a peer (podSelector, namespaceSelector or ipBlock)'],
    [{ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, namespaceSelector: {} }] }] }, 'spec.egress[0].to[0]: may not specify both ipBlock and another peer'],
    [{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }] }] }, 'spec.ingress[0].from[0].ipBlock.except[0]: 10.1.0.0/24 must be a strict subset of cidr 10.0.0.0/16'],
    [{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.0.0/16'] } }] }] }, 'spec.ingress[0].from[0].ipBlock.except[0]: 10.0.0.0/16 must be a strict subset of cidr 10.0.0.0/16'],
    [{ podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 79 }] }] }, 'spec.ingress[0].ports[0].endPort: must be greater than or equal to `port`'],
    [{ podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }, 'spec.ingress[0].ports[0].endPort: may not be specified when `port` is non-numeric'],
    [{ podSelector: {}, ingress: [{ ports: [{ endPort: 90 }] }] }, 'spec.ingress[0].ports[0].endPort: may not be specified when `port` is not specified'],
    [{ podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] }, 'spec.ingress[0].ports[0].port: 0 is not a valid port number (1-65535)'],
    [{ podSelector: {}, ingress: [{ ports: [{ port: '80' }] }] }, 'spec.ingress[0].ports[0].port: port name "80" must contain at least one letter'],
    [{ podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP' }] }] }, 'spec.ingress[0].ports[0].protocol: unsupported protocol "ICMP": must be TCP, UDP or SCTP'],
    [{ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }, 'spec.policyTypes: may not specify more than two policyTypes'],
    [{ podSelector: {}, policyTypes: ['ingress'] }, 'spec.policyTypes[0]: unsupported value "ingress": must be Ingress or Egress'],
  ])('%j', (spec, expected) => {
    expect(issues(spec)).toEqual([expected]);
  });

  it('accepts valid policies and defaults policyTypes', () => {
    const [obj] = inventoryOfObjects([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spec: { podSelector: { matchLabels: null }, egress: [{}] } }]).objects;
    if (!obj) throw new Error('no object');
    const r = parseNetworkPolicy(obj);
    expect(r.issues).toEqual([]);
    expect([...(r.policy?.types ?? [])]).toEqual(['Ingress', 'Egress']);
    expect(r.policy?.namespace).toBe('default');
  });
});

describe('endpoints (collectEndpoints)', () => {
  const deployment = (name: string, ports: readonly { name: string; containerPort: number; protocol?: string }[], labels: Record<string, string> = { app: name }): unknown => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'registry.example/app:1', ports }] } } },
  });

  it('gives endpoints with the same named ports one map, and endpoints with other ports their own', () => {
    const { endpoints } = collectEndpoints(inventoryOfObjects([
      deployment('a', [{ name: 'http', containerPort: 8080 }]),
      deployment('b', [{ name: 'http', containerPort: 8080 }]),
      deployment('c', [{ name: 'http', containerPort: 8081 }]),
      deployment('d', [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]),
      deployment('e', [{ name: 'http', containerPort: 8080, protocol: 'UDP' }]),
    ]));
    const by = new Map(endpoints.map((e) => [e.name, e]));
    const ports = (n: string): ReadonlyMap<string, readonly number[]> => (by.get(n) as Endpoint).namedPorts;
    expect(ports('a')).toBe(ports('b'));
    expect([...ports('a')]).toEqual([['http/TCP', [8080]]]);
    expect([...ports('c')]).toEqual([['http/TCP', [8081]]]);
    expect([...ports('d')]).toEqual([['http/TCP', [8080]], ['dns/UDP', [53]]]);
    expect([...ports('e')]).toEqual([['http/UDP', [8080]]]);
    expect(resolveNamedPort(by.get('d') as Endpoint, 'dns', 'UDP')).toEqual([53]);
    expect(resolveNamedPort(by.get('e') as Endpoint, 'http', 'TCP')).toEqual([]);
  });

  it('reads a template\'s labels as they are, and gives endpoints without IPs or folded pods empty lists', () => {
    const { endpoints } = collectEndpoints(inventoryOfObjects([deployment('a', [], { app: 'a', tier: 'web' })]));
    const [a] = endpoints as [Endpoint];
    expect(a.labels).toEqual({ app: 'a', tier: 'web' });
    expect(a.ips).toEqual([]);
    expect(a.folded).toEqual([]);
  });
});
