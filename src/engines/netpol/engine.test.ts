import { describe, expect, it } from 'vitest';
import { buildNetpolEngine, NetpolEngine } from './engine.js';
import { inventoryOfObjects, namespace, pod, policy } from './model.testutil.js';
import { formatPorts, type Protocol } from './ports.js';
import { referenceModel, referenceVerdict } from './reference.js';

type Q = readonly [src: string, dst: string, proto: Protocol, port: number, expected: 'allowed' | 'denied' | 'unknown'];

interface Case {
  readonly name: string;
  readonly objects: readonly unknown[];
  readonly queries: readonly Q[];
  readonly podIps?: boolean;
}

const web = (ns = 'default', labels: Record<string, string> = { app: 'web' }): unknown => pod(ns, 'web', labels, [{ name: 'http', port: 8080 }, { name: 'dns', port: 53, protocol: 'UDP' }]);
const client = (ns: string, name: string, labels: Record<string, string> = {}): unknown => pod(ns, name, labels);

const CASES: readonly Case[] = [
  {
    name: 'no policy: everything is allowed',
    objects: [namespace('default'), web(), client('default', 'c')],
    queries: [
      ['default/c', 'default/web', 'TCP', 80, 'allowed'],
      ['default/web', 'default/c', 'SCTP', 9, 'allowed'],
    ],
  },
  {
    name: 'policyTypes defaulting: ingress: [] without egress isolates ingress only',
    objects: [namespace('default'), web(), client('default', 'c'), policy('default', 'deny', { podSelector: {}, ingress: [] })],
    queries: [
      ['default/c', 'default/web', 'TCP', 80, 'denied'],
      ['default/web', 'default/c', 'TCP', 80, 'denied'],
      ['default/web', 'default/web', 'TCP', 80, 'allowed'],
    ],
  },
  {
    name: 'policyTypes defaulting: egress: [] alone does not isolate egress',
    objects: [namespace('default'), web(), client('default', 'c'), policy('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}], egress: [] })],
    queries: [
      ['default/web', 'default/c', 'TCP', 80, 'allowed'],
      ['default/c', 'default/web', 'TCP', 80, 'allowed'],
    ],
  },
  {
    name: 'policyTypes defaulting: egress rules present add Egress',
    objects: [namespace('default'), web(), client('default', 'c'), policy('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })],
    queries: [
      ['default/web', 'default/c', 'TCP', 80, 'denied'],
      ['default/web', 'default/c', 'UDP', 53, 'allowed'],
      ['default/c', 'default/web', 'TCP', 1, 'denied'],
    ],
  },
  {
    name: 'explicit policyTypes Egress with no rules denies egress, leaves ingress open',
    objects: [namespace('default'), web(), client('default', 'c'), policy('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'] })],
    queries: [
      ['default/web', 'default/c', 'TCP', 80, 'denied'],
      ['default/c', 'default/web', 'TCP', 80, 'allowed'],
    ],
  },
  {
    name: '[{}] allows all, and policies add up',
    objects: [namespace('default'), web(), client('default', 'c'), policy('default', 'deny', { podSelector: {}, ingress: [] }), policy('default', 'allow', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })],
    queries: [
      ['default/c', 'default/web', 'UDP', 7, 'allowed'],
      ['default/web', 'default/c', 'TCP', 80, 'denied'],
    ],
  },
  {
    name: 'podSelector alone means the policy namespace',
    objects: [namespace('default'), namespace('other'), web(), client('default', 'c', { role: 'x' }), client('other', 'c', { role: 'x' }), policy('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'x' } } }] }] })],
    queries: [
      ['default/c', 'default/web', 'TCP', 80, 'allowed'],
      ['other/c', 'default/web', 'TCP', 80, 'denied'],
    ],
  },
  {
    name: 'namespaceSelector and podSelector in one peer are ANDed; in two peers ORed',
    objects: [
      namespace('default'),
      namespace('ops', { team: 'ops' }),
      web(),
      client('ops', 'mon', { type: 'mon' }),
      client('ops', 'plain'),
      client('default', 'mon', { type: 'mon' }),
      policy('default', 'and', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { type: 'mon' } } }], ports: [{ port: 80 }] }] }),
      policy('default', 'or', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }, { podSelector: { matchLabels: { type: 'mon' } } }], ports: [{ port: 81 }] }] }),
    ],
    queries: [
      ['ops/mon', 'default/web', 'TCP', 80, 'allowed'],
      ['ops/plain', 'default/web', 'TCP', 80, 'denied'],
      ['default/mon', 'default/web', 'TCP', 80, 'denied'],
      ['ops/plain', 'default/web', 'TCP', 81, 'allowed'],
      ['default/mon', 'default/web', 'TCP', 81, 'allowed'],
      ['ops/mon', 'default/web', 'TCP', 81, 'allowed'],
    ],
  },
  {
    name: 'named ports resolve on the destination with the same protocol',
    objects: [
      namespace('default'),
      web(),
      client('default', 'c'),
      policy('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 'http' }, { port: 'dns', protocol: 'TCP' }] }] }),
    ],
    queries: [
      ['default/c', 'default/web', 'TCP', 8080, 'allowed'],
      ['default/c', 'default/web', 'TCP', 80, 'denied'],
      ['default/c', 'default/web', 'TCP', 53, 'denied'],
      ['default/c', 'default/web', 'UDP', 53, 'denied'],
    ],
  },
  {
    name: 'egress named ports resolve on each destination',
    objects: [
      namespace('default'),
      pod('default', 's1', { app: 's' }, [{ name: 'metrics', port: 9100 }]),
      pod('default', 's2', { app: 's' }, [{ name: 'metrics', port: 9200 }]),
      client('default', 'c', { app: 'c' }),
      policy('default', 'p', { podSelector: { matchLabels: { app: 'c' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'metrics' }] }] }),
    ],
    queries: [
      ['default/c', 'default/s1', 'TCP', 9100, 'allowed'],
      ['default/c', 'default/s1', 'TCP', 9200, 'denied'],
      ['default/c', 'default/s2', 'TCP', 9200, 'allowed'],
    ],
  },
  {
    name: 'endPort ranges and protocols',
    objects: [
      namespace('default'),
      web(),
      client('default', 'c'),
      policy('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 8000, endPort: 8010 }, { protocol: 'SCTP', port: 9000 }, { protocol: 'UDP' }] }] }),
    ],
    queries: [
      ['default/c', 'default/web', 'TCP', 8000, 'allowed'],
      ['default/c', 'default/web', 'TCP', 8010, 'allowed'],
      ['default/c', 'default/web', 'TCP', 8011, 'denied'],
      ['default/c', 'default/web', 'SCTP', 9000, 'allowed'],
      ['default/c', 'default/web', 'TCP', 9000, 'denied'],
      ['default/c', 'default/web', 'UDP', 12345, 'allowed'],
    ],
  },
  {
    name: 'both egress and ingress must allow',
    objects: [
      namespace('default'),
      web(),
      client('default', 'c', { app: 'c' }),
      policy('default', 'in', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 80 }, { port: 81 }] }] }),
      policy('default', 'out', { podSelector: { matchLabels: { app: 'c' } }, egress: [{ ports: [{ port: 81 }, { port: 82 }] }] }),
    ],
    queries: [
      ['default/c', 'default/web', 'TCP', 80, 'denied'],
      ['default/c', 'default/web', 'TCP', 81, 'allowed'],
      ['default/c', 'default/web', 'TCP', 82, 'denied'],
    ],
  },
  {
    name: 'hostNetwork pods: unknown',
    objects: [namespace('default'), web(), pod('default', 'node-agent', { app: 'agent' }, [], { hostNetwork: true }), policy('default', 'deny', { podSelector: {}, ingress: [] })],
    queries: [
      ['default/node-agent', 'default/web', 'TCP', 80, 'unknown'],
      ['default/web', 'default/node-agent', 'TCP', 80, 'unknown'],
    ],
  },
  {
    name: 'ipBlock against pods: unknown without pod IPs',
    objects: [namespace('default'), web(), client('default', 'c', { app: 'c' }), policy('default', 'p', { podSelector: { matchLabels: { app: 'c' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })],
    queries: [['default/c', 'default/web', 'TCP', 80, 'unknown']],
  },
  {
    name: 'ipBlock against pods: decided with pod IPs, except honoured',
    podIps: true,
    objects: [
      namespace('default'),
      pod('default', 'web', { app: 'web' }, [], { ips: ['10.1.2.3'] }),
      pod('default', 'db', { app: 'db' }, [], { ips: ['10.9.9.9'] }),
      client('default', 'c', { app: 'c' }),
      policy('default', 'p', { podSelector: { matchLabels: { app: 'c' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.9.0.0/16'] } }] }] }),
    ],
    queries: [
      ['default/c', 'default/web', 'TCP', 80, 'allowed'],
      ['default/c', 'default/db', 'TCP', 80, 'denied'],
    ],
  },
  {
    name: 'namespace labels unknown without a Namespace object: unknown, except the name label',
    objects: [
      web(),
      client('ops', 'c'),
      policy('default', 'by-label', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }], ports: [{ port: 80 }] }] }),
      policy('default', 'by-name', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }], ports: [{ port: 81 }] }] }),
    ],
    queries: [
      ['ops/c', 'default/web', 'TCP', 80, 'unknown'],
      ['ops/c', 'default/web', 'TCP', 81, 'allowed'],
      ['ops/c', 'default/web', 'TCP', 82, 'denied'],
    ],
  },
  {
    name: 'matchExpressions In, NotIn, Exists, DoesNotExist',
    objects: [
      namespace('default'),
      web(),
      client('default', 'a', { tier: 'fe' }),
      client('default', 'b', { tier: 'be', legacy: 'yes' }),
      client('default', 'c'),
      policy('default', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [
          { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }, { key: 'legacy', operator: 'DoesNotExist' }] } }], ports: [{ port: 1 }] },
          { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] } }], ports: [{ port: 2 }] },
          { from: [{ podSelector: { matchExpressions: [{ key: 'legacy', operator: 'Exists' }] } }], ports: [{ port: 3 }] },
        ],
      }),
    ],
    queries: [
      ['default/a', 'default/web', 'TCP', 1, 'allowed'],
      ['default/b', 'default/web', 'TCP', 1, 'denied'],
      ['default/a', 'default/web', 'TCP', 2, 'denied'],
      ['default/b', 'default/web', 'TCP', 2, 'allowed'],
      ['default/c', 'default/web', 'TCP', 2, 'allowed'],
      ['default/b', 'default/web', 'TCP', 3, 'allowed'],
      ['default/c', 'default/web', 'TCP', 3, 'denied'],
    ],
  },
];

describe('netpol engine (table)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const inv = inventoryOfObjects(c.objects);
      const engine = buildNetpolEngine(inv, { podIps: c.podIps === true });
      const ref = referenceModel(inv, { podIps: c.podIps === true });
      expect(engine.issues).toEqual([]);
      for (const [s, d, proto, port, expected] of c.queries) {
        const [src] = engine.findEndpoints(s);
        const [dst] = engine.findEndpoints(d);
        if (!src || !dst) throw new Error(`no endpoint ${s} or ${d}`);
        const decision = engine.decide({ type: 'endpoint', endpoint: src }, { type: 'endpoint', endpoint: dst }, { protocol: proto, port });
        expect(decision.verdict, `${s} -> ${d} ${proto}/${port}`).toBe(expected);
        const rs = ref.endpoints.find((e) => e.id === src.id);
        const rd = ref.endpoints.find((e) => e.id === dst.id);
        if (!rs || !rd) throw new Error('reference lost an endpoint');
        expect(referenceVerdict(ref, rs, rd, proto, port), `reference ${s} -> ${d} ${proto}/${port}`).toBe(expected);
      }
    });
  }

  it('explains which policies and rules decide each side', () => {
    const inv = inventoryOfObjects(CASES[11]?.objects ?? []);
    const engine = buildNetpolEngine(inv);
    const [c] = engine.findEndpoints('default/c');
    const [w] = engine.findEndpoints('default/web');
    if (!c || !w) throw new Error('missing');
    const d = engine.decide({ type: 'endpoint', endpoint: c }, { type: 'endpoint', endpoint: w }, { protocol: 'TCP', port: 81 });
    expect(d.egress.policies.map((p) => p.name)).toEqual(['out']);
    expect(d.ingress.policies.map((p) => p.name)).toEqual(['in']);
    expect(d.egress.matches.map((m) => m.rule.path)).toEqual(['spec.egress[0]']);
    expect(d.ingress.verdict).toBe('allowed');
    const any = engine.decide({ type: 'endpoint', endpoint: c }, { type: 'endpoint', endpoint: w });
    expect(formatPorts(any.allowed)).toBe('TCP:81');
  });

  it('finds endpoints by NAMESPACE/NAME and NAMESPACE/KIND/NAME', () => {
    const inv = inventoryOfObjects([
      pod('shop', 'api', { app: 'api' }),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'x', image: 'x' }] } } } },
    ]);
    const engine = buildNetpolEngine(inv);
    expect(engine.findEndpoints('shop/api')).toHaveLength(2);
    expect(engine.findEndpoints('shop/deployment/api').map((e) => e.kind)).toEqual(['Deployment']);
  });

  it('folds pods into the workload that controls them', () => {
    const inv = inventoryOfObjects([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'x', image: 'x' }] } } } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'api-1', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'api', controller: true }] }, spec: { template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'x', image: 'x' }] } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-1-x', namespace: 'shop', labels: { app: 'api' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'api-1', controller: true }] }, spec: { containers: [{ name: 'x', image: 'x' }] }, status: { podIP: '10.0.0.7' } },
    ]);
    const engine = buildNetpolEngine(inv);
    expect(engine.endpoints.map((e) => e.id)).toEqual(['shop/Deployment/api']);
    expect(engine.endpoints[0]?.folded).toHaveLength(2);
    expect(engine.endpoints[0]?.ips).toHaveLength(1);
  });

  it('leaves invalid policies out and says why', () => {
    const inv = inventoryOfObjects([
      namespace('default'),
      web(),
      client('default', 'c'),
      policy('default', 'bad', { podSelector: {}, ingress: [{ from: [{}] }] }),
      policy('default', 'mixed', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }),
      policy('default', 'except', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }] }] }),
    ]);
    const engine = buildNetpolEngine(inv);
    expect(engine.policies).toHaveLength(0);
    expect(engine.issues.map((i) => `${i.object.metadata.name} ${i.path}`)).toEqual(['bad spec.ingress[0].from[0]', 'mixed spec.ingress[0].from[0]', 'except spec.ingress[0].from[0].ipBlock.except[0]']);
    const [c] = engine.findEndpoints('default/c');
    const [w] = engine.findEndpoints('default/web');
    if (!c || !w) throw new Error('missing');
    expect(engine.reach(c, w).allowed).toEqual(engine.reach(w, c).allowed);
    expect(engine.notes.some((n) => n.includes('invalid'))).toBe(true);
  });

  it('external blocks: egress to addresses by ipBlock, named ports never match outside', () => {
    const inv = inventoryOfObjects([
      namespace('default'),
      client('default', 'c', { app: 'c' }),
      policy('default', 'p', {
        podSelector: { matchLabels: { app: 'c' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] } }], ports: [{ port: 443 }, { port: 'https' }] }],
      }),
    ]);
    const engine = buildNetpolEngine(inv);
    const [c] = engine.findEndpoints('default/c');
    if (!c) throw new Error('missing');
    const meta = NetpolEngineParse('169.254.169.254');
    const out = NetpolEngineParse('8.8.8.8');
    const d1 = engine.decide({ type: 'endpoint', endpoint: c }, { type: 'external', ...meta }, { protocol: 'TCP', port: 443 });
    const d2 = engine.decide({ type: 'endpoint', endpoint: c }, { type: 'external', ...out }, { protocol: 'TCP', port: 443 });
    const d3 = engine.decide({ type: 'endpoint', endpoint: c }, { type: 'external', ...NetpolEngineParse('2001:db8::1') }, { protocol: 'TCP', port: 443 });
    expect([d1.verdict, d2.verdict, d3.verdict]).toEqual(['denied', 'allowed', 'denied']);
    expect(engine.externalBlocks.map((b) => b.label)).toContain('169.254.0.0/16');
  });
});

function NetpolEngineParse(text: string): { address: bigint; text: string } {
  const a = NetpolEngine.parseAddress(text);
  if (!a) throw new Error(`bad address ${text}`);
  return a;
}
