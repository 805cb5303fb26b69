/**
 * The Kubernetes e2e NetworkPolicy model, transcribed as truth tables: namespaces x, y, z
 * (labelled ns=<name>, plus kubernetes.io/metadata.name); pods a, b, c in each (labelled
 * pod=<name>) serving ports 80 and 81 on TCP, UDP and SCTP, each port named
 * serve-<port>-<protocol>. Each scenario of test/e2e/network/netpol/network_policy.go is restated
 * here: its policies, the probed port and protocol, and the expected reachability of every ordered
 * pod pair, built like upstream's truth tables (everything allowed, then the expected changes).
 * Loopback pairs are ignored, as upstream does. Multi-step scenarios (policy updated, labels
 * changed, policy deleted) are one stage per step.
 */
import { describe, expect, it } from 'vitest';
import { buildNetpolEngine } from './engine.js';
import { inventoryOfObjects, namespace, pod, policy, type PodPort } from './model.testutil.js';
import type { Protocol } from './ports.js';
import { referenceModel, referenceVerdict } from './reference.js';

const NS = ['x', 'y', 'z'] as const;
const PODS = ['a', 'b', 'c'] as const;
type PodName = `${(typeof NS)[number]}/${(typeof PODS)[number]}`;
const ALL_PODS: PodName[] = NS.flatMap((n) => PODS.map((p): PodName => `${n}/${p}`));

/** Each pod's IP, for the ipBlock scenarios (upstream reads them from the running pods). */
const IP: Record<PodName, string> = Object.fromEntries(ALL_PODS.map((p, i) => [p, `10.${NS.indexOf(p[0] as 'x')}.${i}.${10 + i}`])) as Record<PodName, string>;

const SERVE_PORTS: PodPort[] = [80, 81].flatMap((port) => (['TCP', 'UDP', 'SCTP'] as const).map((protocol) => ({ name: `serve-${port}-${protocol.toLowerCase()}`, port, protocol })));

interface Peer {
  readonly ns?: string;
  readonly pod?: string;
}

/** A truth table: every ordered pair allowed, then the scenario's expectations applied in order. */
class Truth {
  private readonly m = new Map<string, boolean>();
  constructor() {
    for (const s of ALL_PODS) for (const d of ALL_PODS) this.m.set(`${s}>${d}`, true);
  }
  private static hit(p: Peer, pod: string): boolean {
    const [ns, name] = pod.split('/');
    return (p.ns === undefined || p.ns === ns) && (p.pod === undefined || p.pod === name);
  }
  peer(from: Peer, to: Peer, v: boolean): this {
    for (const s of ALL_PODS) for (const d of ALL_PODS) if (Truth.hit(from, s) && Truth.hit(to, d)) this.m.set(`${s}>${d}`, v);
    return this;
  }
  pair(from: PodName, to: PodName, v: boolean): this {
    this.m.set(`${from}>${to}`, v);
    return this;
  }
  allIngress(to: PodName, v: boolean): this {
    for (const s of ALL_PODS) this.m.set(`${s}>${to}`, v);
    return this;
  }
  allEgress(from: PodName, v: boolean): this {
    for (const d of ALL_PODS) this.m.set(`${from}>${d}`, v);
    return this;
  }
  get(from: string, to: string): boolean {
    return this.m.get(`${from}>${to}`) ?? true;
  }
}

type Labels = Record<string, string>;
type Json = Record<string, unknown>;

/** A policy built like upstream's helpers: policyTypes gets Ingress/Egress for each rule list given. */
function np(ns: string, name: string, podSelector: Json, rules: { ingress?: Json[]; egress?: Json[]; types?: string[] }): unknown {
  const types = rules.types ?? [...(rules.ingress ? ['Ingress'] : []), ...(rules.egress ? ['Egress'] : [])];
  return policy(ns, name, { podSelector, policyTypes: types, ...(rules.ingress ? { ingress: rules.ingress } : {}), ...(rules.egress ? { egress: rules.egress } : {}) });
}

const ml = (labels: Labels): Json => ({ matchLabels: labels });
const NAME = 'kubernetes.io/metadata.name';

interface Stage {
  readonly policies: readonly unknown[];
  readonly port: number;
  readonly protocol: Protocol;
  readonly truth: Truth;
  readonly nsLabels?: Partial<Record<string, Labels>>;
  readonly podLabels?: Partial<Record<PodName, Labels>>;
  readonly podIps?: boolean;
}

interface Scenario {
  readonly name: string;
  readonly stages: readonly Stage[];
}

const T = (): Truth => new Truth();

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'default-deny-ingress in x (TCP)',
    stages: [{ policies: [np('x', 'deny-ingress', {}, { ingress: [] })], port: 80, protocol: 'TCP', truth: T().peer({}, { ns: 'x' }, false) }],
  },
  {
    name: 'default-deny-all (ingress and egress) in x',
    stages: [{ policies: [np('x', 'deny-all', {}, { ingress: [], egress: [] })], port: 80, protocol: 'TCP', truth: T().peer({}, { ns: 'x' }, false).peer({ ns: 'x' }, {}, false) }],
  },
  {
    name: 'x/a admits only pods b of its own namespace (podSelector)',
    stages: [{ policies: [np('x', 'x-a-allows-x-b', ml({ pod: 'a' }), { ingress: [{ from: [{ podSelector: ml({ pod: 'b' }) }] }] })], port: 80, protocol: 'TCP', truth: T().allIngress('x/a', false).pair('x/b', 'x/a', true) }],
  },
  {
    name: 'deny-all in x, then every pod of every namespace admitted to x/a',
    stages: [
      {
        policies: [np('x', 'deny-all', {}, { ingress: [] }), np('x', 'allow-all-to-a', ml({ pod: 'a' }), { ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] })],
        port: 80,
        protocol: 'TCP',
        truth: T().allIngress('x/a', true).allIngress('x/b', false).allIngress('x/c', false),
      },
    ],
  },
  {
    name: 'x/a admits pods of all namespaces (empty namespaceSelector)',
    stages: [{ policies: [np('x', 'allow-from-another-ns', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: { matchLabels: {} } }] }] })], port: 80, protocol: 'TCP', truth: T() }],
  },
  {
    name: 'x/a admits only namespace y (namespaceSelector on the name label)',
    stages: [
      {
        policies: [np('x', 'allow-client-a-via-ns-selector', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'y' }) }] }] })],
        port: 80,
        protocol: 'TCP',
        truth: T().peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false),
      },
    ],
  },
  {
    name: 'podSelector with matchExpressions (pod In [b])',
    stages: [
      {
        policies: [np('x', 'x-a-allows-x-b', ml({ pod: 'a' }), { ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] }] })],
        port: 80,
        protocol: 'TCP',
        truth: T().allIngress('x/a', false).pair('x/b', 'x/a', true),
      },
    ],
  },
  {
    name: 'namespaceSelector with matchExpressions (name In [y])',
    stages: [
      {
        policies: [np('x', 'allow-ns-y-match-selector', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: NAME, operator: 'In', values: ['y'] }] } }] }] })],
        port: 80,
        protocol: 'TCP',
        truth: T().peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false),
      },
    ],
  },
  {
    name: 'podSelector OR namespaceSelector (two peers)',
    stages: [
      {
        policies: [
          np('x', 'allow-ns-y-match-selector', ml({ pod: 'a' }), {
            ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: NAME, operator: 'NotIn', values: ['x'] }] } }, { podSelector: ml({ pod: 'b' }) }] }],
          }),
        ],
        port: 80,
        protocol: 'TCP',
        truth: T().pair('x/a', 'x/a', false).pair('x/c', 'x/a', false),
      },
    ],
  },
  {
    name: 'podSelector AND namespaceSelector (one peer)',
    stages: [
      {
        policies: [
          np('x', 'allow-ns-y-podselector-and-nsselector', ml({ pod: 'a' }), {
            ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: NAME, operator: 'NotIn', values: ['x'] }] }, podSelector: ml({ pod: 'b' }) }] }],
          }),
        ],
        port: 80,
        protocol: 'TCP',
        truth: T().allIngress('x/a', false).pair('y/b', 'x/a', true).pair('z/b', 'x/a', true),
      },
    ],
  },
  {
    name: 'multiple podSelectors and namespaceSelectors (pods b, c outside x)',
    stages: [
      {
        policies: [
          np('x', 'allow-ns-y-z-pod-b-c', ml({ pod: 'a' }), {
            ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: NAME, operator: 'NotIn', values: ['x'] }] }, podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] } }] }],
          }),
        ],
        port: 80,
        protocol: 'TCP',
        truth: T().peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).pair('y/a', 'x/a', false).pair('z/a', 'x/a', false),
      },
    ],
  },
  {
    name: 'any of several podSelectors (pod b or pod c)',
    stages: [
      {
        policies: [np('x', 'allow-ns-x-pod-b-c', ml({ pod: 'a' }), { ingress: [{ from: [{ podSelector: ml({ pod: 'b' }) }, { podSelector: ml({ pod: 'c' }) }] }] })],
        port: 80,
        protocol: 'TCP',
        truth: T().allIngress('x/a', false).pair('x/b', 'x/a', true).pair('x/c', 'x/a', true),
      },
    ],
  },
  {
    name: 'only a pod of another namespace (y/a by namespace and pod selector)',
    stages: [
      {
        policies: [np('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'y' }), podSelector: ml({ pod: 'a' }) }] }] })],
        port: 80,
        protocol: 'TCP',
        truth: T().allIngress('x/a', false).pair('y/a', 'x/a', true),
      },
    ],
  },
  {
    name: 'ports: namespace y admitted to x/a on TCP 81 only',
    stages: [
      {
        policies: [np('x', 'allow-client-a-via-ns-selector', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'y' }) }], ports: [{ port: 81, protocol: 'TCP' }] }] })],
        port: 81,
        protocol: 'TCP',
        truth: T().peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false),
      },
    ],
  },
  {
    name: 'stacked policies with overlapping podSelectors (81, then 80 opened by a second policy)',
    stages: (() => {
      const p81 = np('x', 'allow-client-a-via-ns-selector', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'y' }) }], ports: [{ port: 81, protocol: 'TCP' }] }] });
      const p80 = np('x', 'allow-client-a-via-ns-selector-80', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'y' }) }], ports: [{ port: 80, protocol: 'TCP' }] }] });
      const allow = (): Truth => T().peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false);
      return [
        { policies: [p81], port: 81, protocol: 'TCP', truth: allow() },
        { policies: [p81], port: 80, protocol: 'TCP', truth: T().allIngress('x/a', false) },
        { policies: [p81, p80], port: 80, protocol: 'TCP', truth: allow() },
      ];
    })(),
  },
  {
    name: 'allow-all policy (80 and 81)',
    stages: [80, 81].map((port) => ({ policies: [np('x', 'allow-all', ml({}), { ingress: [{}] })], port, protocol: 'TCP' as const, truth: T() })),
  },
  {
    name: 'ingress on one named port (serve-81-tcp) for all of x',
    stages: [
      { policies: [np('x', 'allow-all', ml({}), { ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })], port: 81, protocol: 'TCP', truth: T() },
      { policies: [np('x', 'allow-all', ml({}), { ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })], port: 80, protocol: 'TCP', truth: T().peer({}, { ns: 'x' }, false) },
    ],
  },
  {
    name: 'ingress from namespace y on one named port (serve-80-tcp)',
    stages: (() => {
      const p = np('x', 'allow-client-a-via-ns-selector-80', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'y' }) }], ports: [{ port: 'serve-80-tcp', protocol: 'TCP' }] }] });
      return [
        { policies: [p], port: 80, protocol: 'TCP' as const, truth: T().peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false) },
        { policies: [p], port: 81, protocol: 'TCP' as const, truth: T().allIngress('x/a', false) },
      ];
    })(),
  },
  {
    name: 'egress on one named port (serve-80-tcp) from all of x',
    stages: (() => {
      const p = np('x', 'allow-egress', ml({}), { egress: [{ ports: [{ port: 'serve-80-tcp' }] }] });
      return [
        { policies: [p], port: 80, protocol: 'TCP' as const, truth: T() },
        { policies: [p], port: 81, protocol: 'TCP' as const, truth: T().peer({ ns: 'x' }, {}, false) },
      ];
    })(),
  },
  {
    name: 'policy updated from allow-all to deny-all',
    stages: [
      { policies: [np('x', 'allow-all-mutate-to-deny-all', ml({}), { ingress: [{}] })], port: 81, protocol: 'TCP', truth: T() },
      { policies: [np('x', 'allow-all-mutate-to-deny-all', ml({}), { ingress: [] })], port: 81, protocol: 'TCP', truth: T().peer({}, { ns: 'x' }, false) },
    ],
  },
  {
    name: 'ingress from a namespace whose labels are updated',
    stages: (() => {
      const p = np('x', 'allow-client-a-via-ns-selector', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ ns2: 'updated' }) }] }] });
      return [
        { policies: [p], port: 80, protocol: 'TCP' as const, truth: T().allIngress('x/a', false) },
        { policies: [p], port: 80, protocol: 'TCP' as const, nsLabels: { y: { ns2: 'updated' } }, truth: T().allIngress('x/a', false).peer({ ns: 'y' }, {}, true) },
      ];
    })(),
  },
  {
    name: 'ingress from a pod whose labels are updated',
    stages: (() => {
      const p = np('x', 'allow-client-a-via-pod-selector', ml({ pod: 'a' }), { ingress: [{ from: [{ podSelector: ml({ pod: 'b', pod2: 'updated' }) }] }] });
      return [
        { policies: [p], port: 80, protocol: 'TCP' as const, truth: T().allIngress('x/a', false) },
        { policies: [p], port: 80, protocol: 'TCP' as const, podLabels: { 'x/b': { pod: 'b', pod2: 'updated' } }, truth: T().allIngress('x/a', false).pair('x/b', 'x/a', true) },
      ];
    })(),
  },
  {
    name: 'deny ingress from other namespaces (empty podSelector peer)',
    stages: [
      {
        policies: [np('x', 'deny-empty-policy', {}, { ingress: [{ from: [{ podSelector: { matchLabels: {} } }] }] })],
        port: 80,
        protocol: 'TCP',
        truth: T().peer({ ns: 'y' }, { ns: 'x' }, false).peer({ ns: 'z' }, { ns: 'x' }, false),
      },
    ],
  },
  {
    name: 'deny ingress to a pod once it gets the isolated label',
    stages: (() => {
      const p = np('x', 'deny-ingress-via-label-selector', ml({ target: 'isolated' }), { ingress: [] });
      return [
        { policies: [p], port: 80, protocol: 'TCP' as const, truth: T() },
        { policies: [p], port: 80, protocol: 'TCP' as const, podLabels: { 'x/a': { pod: 'a', target: 'isolated' } }, truth: T().allIngress('x/a', false) },
      ];
    })(),
  },
  {
    name: 'deny egress from x/a (podSelector)',
    stages: [{ policies: [np('x', 'deny-egress-pod-a', ml({ pod: 'a' }), { egress: [] })], port: 80, protocol: 'TCP', truth: T().allEgress('x/a', false) }],
  },
  {
    name: 'deny egress from every pod of x',
    stages: [{ policies: [np('x', 'deny-egress-ns-x', {}, { egress: [] })], port: 80, protocol: 'TCP', truth: T().peer({ ns: 'x' }, {}, false) }],
  },
  {
    name: 'ingress and egress in one policy (egress only to port 80)',
    stages: (() => {
      const p = np('x', 'allow-client-a-via-pod-selector', ml({ pod: 'a' }), { ingress: [{ from: [{ podSelector: ml({ pod: 'b' }) }] }], egress: [{ ports: [{ port: 80 }] }], types: ['Egress', 'Ingress'] });
      return [
        { policies: [p], port: 80, protocol: 'TCP' as const, truth: T().allIngress('x/a', false).pair('x/b', 'x/a', true) },
        { policies: [p], port: 81, protocol: 'TCP' as const, truth: T().allIngress('x/a', false).allEgress('x/a', false).pair('x/b', 'x/a', true) },
      ];
    })(),
  },
  {
    name: 'egress denied on the client even when the server admits it',
    stages: [
      {
        policies: [
          np('x', 'allow-to-ns-y-pod-a', ml({ pod: 'a' }), { egress: [{ to: [{ namespaceSelector: ml({ [NAME]: 'y' }), podSelector: ml({ pod: 'a' }) }] }] }),
          np('y', 'allow-from-xa-on-ya-match-selector', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'x' }), podSelector: ml({ pod: 'a' }) }] }] }),
          np('y', 'allow-from-xa-on-yb-match-selector', ml({ pod: 'b' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'x' }), podSelector: ml({ pod: 'a' }) }] }] }),
        ],
        port: 80,
        protocol: 'TCP',
        truth: T().peer({ ns: 'x', pod: 'a' }, {}, false).peer({}, { ns: 'y', pod: 'a' }, false).peer({ ns: 'x', pod: 'a' }, { ns: 'y', pod: 'a' }, true).peer({}, { ns: 'y', pod: 'b' }, false),
      },
    ],
  },
  {
    name: 'egress to a server of another namespace by pod and namespace selector',
    stages: [
      {
        policies: [np('x', 'allow-to-ns-y-pod-a', ml({ pod: 'a' }), { egress: [{ to: [{ namespaceSelector: ml({ [NAME]: 'y' }), podSelector: ml({ pod: 'a' }) }] }] })],
        port: 80,
        protocol: 'TCP',
        truth: T().allEgress('x/a', false).pair('x/a', 'y/a', true),
      },
    ],
  },
  {
    name: 'any port of one protocol (TCP allowed, UDP denied)',
    stages: (() => {
      const p = np('x', 'allow-ingress-by-proto', ml({ pod: 'a' }), { ingress: [{ ports: [{ protocol: 'TCP' }] }] });
      return [
        { policies: [p], port: 80, protocol: 'TCP' as const, truth: T() },
        { policies: [p], port: 80, protocol: 'UDP' as const, truth: T().peer({}, { ns: 'x', pod: 'a' }, false) },
      ];
    })(),
  },
  {
    name: 'ingress allow-all takes precedence over a port-80 policy',
    stages: (() => {
      const p80 = np('x', 'allow-ingress-port-80', ml({}), { ingress: [{ ports: [{ port: 80 }] }] });
      return [
        { policies: [p80], port: 81, protocol: 'TCP' as const, truth: T().peer({}, { ns: 'x' }, false) },
        { policies: [p80, np('x', 'allow-ingress', ml({}), { ingress: [{}] })], port: 81, protocol: 'TCP' as const, truth: T() },
      ];
    })(),
  },
  {
    name: 'egress allow-all takes precedence over a port-80 policy',
    stages: (() => {
      const p80 = np('x', 'allow-egress-port-80', ml({}), { egress: [{ ports: [{ port: 80 }] }] });
      return [
        { policies: [p80], port: 81, protocol: 'TCP' as const, truth: T().peer({ ns: 'x' }, {}, false) },
        { policies: [p80, np('x', 'allow-egress', ml({}), { egress: [{}] })], port: 81, protocol: 'TCP' as const, truth: T() },
      ];
    })(),
  },
  {
    name: 'policies stop applying once deleted',
    stages: [
      { policies: [np('x', 'deny-all', {}, { ingress: [], egress: [] })], port: 80, protocol: 'TCP', truth: T().peer({ ns: 'x' }, {}, false).peer({}, { ns: 'x' }, false) },
      { policies: [], port: 80, protocol: 'TCP', truth: T() },
    ],
  },
  {
    name: 'egress to a server in a CIDR block (pod IP /32)',
    stages: [
      {
        policies: [np('x', 'allow-client-a-via-cidr-egress-rule', ml({ pod: 'a' }), { egress: [{ to: [{ ipBlock: { cidr: `${IP['y/b']}/32` } }] }] })],
        port: 80,
        protocol: 'TCP',
        podIps: true,
        truth: T().allEgress('x/a', false).pair('x/a', 'y/b', true),
      },
    ],
  },
  {
    name: 'except clause of a CIDR block',
    stages: [
      {
        policies: [np('x', 'allow-client-a-via-cidr-egress-rule', ml({ pod: 'a' }), { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`${IP['x/b']}/32`] } }] }] })],
        port: 80,
        protocol: 'TCP',
        podIps: true,
        truth: T().pair('x/a', 'x/b', false),
      },
    ],
  },
  {
    name: 'an IP in both a CIDR and an except elsewhere is allowed by the other policy',
    stages: (() => {
      const wide = np('x', 'allow-client-a-via-cidr-egress-rule', ml({ pod: 'a' }), { egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`${IP['x/b']}/32`] } }] }] });
      const exact = np('x', 'allow-client-a-via-cidr-egress-rule', ml({ pod: 'a' }), { egress: [{ to: [{ ipBlock: { cidr: `${IP['x/b']}/32` } }] }] });
      return [
        { policies: [wide], port: 80, protocol: 'TCP' as const, podIps: true, truth: T().pair('x/a', 'x/b', false) },
        // Upstream updates the policy in place (same name): only the exact block remains.
        { policies: [exact], port: 80, protocol: 'TCP' as const, podIps: true, truth: T().allEgress('x/a', false).pair('x/a', 'x/b', true) },
      ];
    })(),
  },
  {
    name: 'ingress and egress controlled independently',
    stages: (() => {
      const egressAll = np('x', 'allow-egress-for-target', ml({ pod: 'a' }), { egress: [{}] });
      return [
        { policies: [egressAll], port: 80, protocol: 'TCP' as const, truth: T() },
        { policies: [egressAll, np('x', 'deny-ingress-via-label-selector', ml({ pod: 'a' }), { ingress: [] })], port: 80, protocol: 'TCP' as const, truth: T().allIngress('x/a', false) },
      ];
    })(),
  },
  {
    name: "'protocol: SCTP' is not TCP",
    stages: [
      {
        policies: [np('x', 'deny-ingress', {}, { ingress: [] }), np('x', 'allow-only-sctp-ingress-on-port-81', ml({ pod: 'a' }), { ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }] })],
        port: 81,
        protocol: 'TCP',
        truth: T().peer({}, { ns: 'x' }, false),
      },
    ],
  },
  {
    name: 'a policy allowing SCTP isolates the pod for TCP',
    stages: [{ policies: [np('x', 'allow-only-sctp-ingress-on-port-80', ml({ pod: 'a' }), { ingress: [{ ports: [{ port: 80, protocol: 'SCTP' }] }] })], port: 81, protocol: 'TCP', truth: T().allIngress('x/a', false) }],
  },
  {
    name: 'a UDP-only policy does not allow TCP',
    stages: [{ policies: [np('x', 'allow-only-udp-ingress-on-port-81', ml({ pod: 'a' }), { ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }] })], port: 81, protocol: 'TCP', truth: T().allIngress('x/a', false) }],
  },
  {
    name: 'namespaceSelector matchLabels on the default name label',
    stages: [
      {
        policies: [np('x', 'allow-client-a-via-ns-selector-for-immutable-ns-label', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'y' }) }] }] })],
        port: 80,
        protocol: 'TCP',
        truth: T().peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false),
      },
    ],
  },
  {
    name: 'egress namespaceSelector matchExpressions on the default name label (NotIn y)',
    stages: [
      {
        policies: [np('x', 'allow-ns-y-match-selector-for-immutable-ns-label', ml({ pod: 'a' }), { egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: NAME, operator: 'NotIn', values: ['y'] }] } }] }] })],
        port: 80,
        protocol: 'TCP',
        truth: T().peer({ ns: 'x', pod: 'a' }, { ns: 'y' }, false),
      },
    ],
  },
  {
    name: 'UDP: default-deny-ingress in x',
    stages: [{ policies: [np('x', 'deny-all', {}, { ingress: [] })], port: 80, protocol: 'UDP', truth: T().peer({}, { ns: 'x' }, false) }],
  },
  {
    name: 'UDP: namespace y admitted to x/a on UDP 81',
    stages: [
      {
        policies: [np('x', 'allow-ingress-on-port-81-ns-x', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'y' }) }], ports: [{ port: 81, protocol: 'UDP' }] }] })],
        port: 81,
        protocol: 'UDP',
        truth: T().peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false),
      },
    ],
  },
  {
    name: 'UDP: only y/a admitted to x/a',
    stages: [
      {
        policies: [np('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'y' }), podSelector: ml({ pod: 'a' }) }] }] })],
        port: 80,
        protocol: 'UDP',
        truth: T().allIngress('x/a', false).pair('y/a', 'x/a', true),
      },
    ],
  },
  {
    name: 'SCTP: default-deny-ingress in x',
    stages: [{ policies: [np('x', 'deny-all', {}, { ingress: [] })], port: 80, protocol: 'SCTP', truth: T().peer({}, { ns: 'x' }, false) }],
  },
  {
    name: 'SCTP: namespace y admitted to x/a on SCTP 81',
    stages: [
      {
        policies: [np('x', 'allow-ingress-on-port-81-ns-x', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'y' }) }], ports: [{ port: 81, protocol: 'SCTP' }] }] })],
        port: 81,
        protocol: 'SCTP',
        truth: T().peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false).peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false),
      },
    ],
  },
  {
    name: 'SCTP: only y/a admitted to x/a',
    stages: [
      {
        policies: [np('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', ml({ pod: 'a' }), { ingress: [{ from: [{ namespaceSelector: ml({ [NAME]: 'y' }), podSelector: ml({ pod: 'a' }) }] }] })],
        port: 80,
        protocol: 'SCTP',
        truth: T().allIngress('x/a', false).pair('y/a', 'x/a', true),
      },
    ],
  },
];

function cluster(stage: Stage): unknown[] {
  const out: unknown[] = [];
  for (const n of NS) out.push(namespace(n, { ns: n, ...(stage.nsLabels?.[n] ?? {}) }));
  for (const p of ALL_PODS) {
    const [n, name] = p.split('/') as [string, string];
    out.push(pod(n, name, stage.podLabels?.[p] ?? { pod: name }, SERVE_PORTS, stage.podIps ? { ips: [IP[p]] } : {}));
  }
  return [...out, ...stage.policies];
}

describe('Kubernetes e2e NetworkPolicy scenarios as truth tables', () => {
  it('transcribes at least 25 upstream scenarios', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(25);
  });
  for (const sc of SCENARIOS) {
    it(sc.name, () => {
      sc.stages.forEach((stage, si) => {
        const inv = inventoryOfObjects(cluster(stage));
        const engine = buildNetpolEngine(inv, { podIps: stage.podIps === true });
        const ref = referenceModel(inv, { podIps: stage.podIps === true });
        expect(engine.issues).toEqual([]);
        const wrong: string[] = [];
        for (const s of ALL_PODS)
          for (const d of ALL_PODS) {
            if (s === d) continue; // loopback is not part of upstream's verdicts
            const [src] = engine.findEndpoints(s);
            const [dst] = engine.findEndpoints(d);
            if (!src || !dst) throw new Error('missing pod');
            const verdict = engine.decide({ type: 'endpoint', endpoint: src }, { type: 'endpoint', endpoint: dst }, { protocol: stage.protocol, port: stage.port }).verdict;
            const want = stage.truth.get(s, d) ? 'allowed' : 'denied';
            if (verdict !== want) wrong.push(`${s} -> ${d}: ${verdict}, expected ${want}`);
            const rs = ref.endpoints.find((e) => e.id === src.id);
            const rd = ref.endpoints.find((e) => e.id === dst.id);
            if (rs && rd && referenceVerdict(ref, rs, rd, stage.protocol, stage.port) !== want) wrong.push(`reference ${s} -> ${d}: expected ${want}`);
          }
        expect(wrong, `stage ${si + 1} (${stage.protocol}/${stage.port})`).toEqual([]);
      });
    });
  }
});
