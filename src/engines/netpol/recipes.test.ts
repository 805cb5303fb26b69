/**
 * The Kubernetes NetworkPolicy recipes (ahmetb/kubernetes-network-policy-recipes), read in place
 * from shared/conformance: each recipe with the pods and namespaces its walkthrough describes, and
 * every allow/deny observation PROVENANCE.md states (recipe 14 follows the strict reading noted there).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildNetpolEngine, NetpolEngine, type Party } from './engine.js';
import { inventoryOfObjects, namespace, pod } from './model.testutil.js';
import type { Protocol } from './ports.js';

const DIR = '/work/shared/conformance/network-policy-recipes';
const available = existsSync(DIR);

function recipe(file: string): Record<string, unknown> {
  return parse(readFileSync(join(DIR, file), 'utf8')) as Record<string, unknown>;
}

/** A complete recipe policy with its `spec.ingress` replaced by a fragment's. */
function withIngressFragment(base: string, fragment: string): Record<string, unknown> {
  const p = recipe(base);
  const frag = parse(readFileSync(join(DIR, fragment), 'utf8')) as { ingress: unknown };
  return { ...p, spec: { ...(p.spec as Record<string, unknown>), ingress: frag.ingress } };
}

type Obs = readonly [src: string, dst: string, proto: Protocol, port: number, expected: 'allowed' | 'denied'];

function check(objects: readonly unknown[], observations: readonly Obs[]): void {
  const engine = buildNetpolEngine(inventoryOfObjects(objects));
  expect(engine.issues).toEqual([]);
  const party = (ref: string): Party => {
    const addr = NetpolEngine.parseAddress(ref);
    if (addr) return { type: 'external', ...addr };
    const found = engine.findEndpoints(ref);
    if (found.length !== 1 || !found[0]) throw new Error(`no single endpoint ${ref}`);
    return { type: 'endpoint', endpoint: found[0] };
  };
  for (const [s, d, protocol, port, expected] of observations) {
    expect(engine.decide(party(s), party(d), { protocol, port }).verdict, `${s} -> ${d} ${protocol}/${port}`).toBe(expected);
  }
}

const web = pod('default', 'web', { app: 'web' }, [{ port: 80 }]);
const EXTERNAL = '203.0.113.10'; // a browser on the internet
const EXAMPLE_COM = '93.184.215.14'; // www.example.com
const kubeDns = pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'dns-tcp', port: 53 },
]);

describe.skipIf(!available)('NetworkPolicy recipes (shared/conformance/network-policy-recipes)', () => {
  it('01 deny all traffic to an application: allowed before, blocked after', () => {
    const client = pod('default', 'client', {});
    check([namespace('default'), web, client], [['default/client', 'default/web', 'TCP', 80, 'allowed']]);
    check([namespace('default'), web, client, recipe('01-deny-all-traffic-to-an-application.yaml')], [['default/client', 'default/web', 'TCP', 80, 'denied']]);
  });

  it('02 limit traffic to an application: only app=bookstore pods', () => {
    const api = pod('default', 'apiserver', { app: 'bookstore', role: 'api' }, [{ port: 80 }]);
    check(
      [namespace('default'), api, pod('default', 'plain', {}), pod('default', 'frontend', { app: 'bookstore', role: 'frontend' }), recipe('02-limit-traffic-to-an-application.yaml')],
      [
        ['default/plain', 'default/apiserver', 'TCP', 80, 'denied'],
        ['default/frontend', 'default/apiserver', 'TCP', 80, 'allowed'],
      ],
    );
  });

  it('02a allow all traffic to an application wins over 01 deny all', () => {
    check(
      [namespace('default'), web, pod('default', 'client', {}), recipe('01-deny-all-traffic-to-an-application.yaml'), recipe('02a-allow-all-traffic-to-an-application.yaml')],
      [['default/client', 'default/web', 'TCP', 80, 'allowed']],
    );
  });

  it('03 default deny all ingress in the namespace (no walkthrough test: every pod of default is isolated)', () => {
    check(
      [namespace('default'), namespace('other'), web, pod('default', 'client', {}), pod('other', 'client', {}), recipe('03-deny-all-non-whitelisted-traffic-in-the-namespace.yaml')],
      [
        ['default/client', 'default/web', 'TCP', 80, 'denied'],
        ['other/client', 'default/web', 'TCP', 80, 'denied'],
        ['default/web', 'other/client', 'TCP', 80, 'allowed'],
      ],
    );
  });

  it('04 deny traffic from other namespaces', () => {
    check(
      [namespace('default'), namespace('foo'), web, pod('foo', 'client', {}), pod('default', 'client', {}), recipe('04-deny-traffic-from-other-namespaces.yaml')],
      [
        ['foo/client', 'default/web', 'TCP', 80, 'denied'],
        ['default/client', 'default/web', 'TCP', 80, 'allowed'],
      ],
    );
  });

  it('05 allow traffic from all namespaces', () => {
    check([namespace('default'), namespace('secondary'), web, pod('secondary', 'client', {}), recipe('05-allow-traffic-from-all-namespaces.yaml')], [['secondary/client', 'default/web', 'TCP', 80, 'allowed']]);
  });

  it('06 allow traffic from a namespace (purpose=production)', () => {
    check(
      [namespace('default'), namespace('dev', { purpose: 'testing' }), namespace('prod', { purpose: 'production' }), web, pod('dev', 'client', {}), pod('prod', 'client', {}), pod('default', 'client', {}), recipe('06-allow-traffic-from-a-namespace.yaml')],
      [
        ['dev/client', 'default/web', 'TCP', 80, 'denied'],
        ['prod/client', 'default/web', 'TCP', 80, 'allowed'],
        ['default/client', 'default/web', 'TCP', 80, 'denied'],
      ],
    );
  });

  const monitoringPods = [namespace('default'), namespace('other', { team: 'operations' }), web, pod('default', 'plain', {}), pod('default', 'mon', { type: 'monitoring' }), pod('other', 'plain', {}), pod('other', 'mon', { type: 'monitoring' })];

  it('07 allow traffic from some pods in another namespace (AND)', () => {
    check(
      [...monitoringPods, recipe('07-allow-traffic-from-some-pods-in-another-namespace.yaml')],
      [
        ['default/plain', 'default/web', 'TCP', 80, 'denied'],
        ['default/mon', 'default/web', 'TCP', 80, 'denied'],
        ['other/plain', 'default/web', 'TCP', 80, 'denied'],
        ['other/mon', 'default/web', 'TCP', 80, 'allowed'],
      ],
    );
  });

  it('07 block2: the OR variant lets cases 2, 3 and 4 through', () => {
    check(
      [...monitoringPods, withIngressFragment('07-allow-traffic-from-some-pods-in-another-namespace.yaml', '07-allow-traffic-from-some-pods-in-another-namespace.block2.fragment.yaml')],
      [
        ['default/plain', 'default/web', 'TCP', 80, 'denied'],
        ['default/mon', 'default/web', 'TCP', 80, 'allowed'],
        ['other/plain', 'default/web', 'TCP', 80, 'allowed'],
        ['other/mon', 'default/web', 'TCP', 80, 'allowed'],
      ],
    );
  });

  it('07 block3: the AND variant behaves as the main file', () => {
    check(
      [...monitoringPods, withIngressFragment('07-allow-traffic-from-some-pods-in-another-namespace.yaml', '07-allow-traffic-from-some-pods-in-another-namespace.block3.fragment.yaml')],
      [
        ['default/mon', 'default/web', 'TCP', 80, 'denied'],
        ['other/plain', 'default/web', 'TCP', 80, 'denied'],
        ['other/mon', 'default/web', 'TCP', 80, 'allowed'],
      ],
    );
  });

  it('08 allow external traffic: reachable from outside before and after; block2 only on port 80', () => {
    check([namespace('default'), web], [[EXTERNAL, 'default/web', 'TCP', 80, 'allowed']]);
    check([namespace('default'), web, recipe('08-allow-external-traffic.yaml')], [[EXTERNAL, 'default/web', 'TCP', 80, 'allowed']]);
    check(
      [namespace('default'), web, withIngressFragment('08-allow-external-traffic.yaml', '08-allow-external-traffic.block2.fragment.yaml')],
      [
        [EXTERNAL, 'default/web', 'TCP', 80, 'allowed'],
        [EXTERNAL, 'default/web', 'TCP', 443, 'denied'],
      ],
    );
  });

  const apiserver = (named: boolean): unknown =>
    pod('default', 'apiserver', { app: 'apiserver' }, [
      { port: 8000 },
      named ? { name: 'api-port', port: 5000, protocol: 'TCP' } : { port: 5000 },
    ]);

  it('09 allow traffic only to a port (pod ports, not Service ports)', () => {
    check(
      [namespace('default'), apiserver(false), pod('default', 'plain', {}), pod('default', 'mon', { role: 'monitoring' }), recipe('09-allow-traffic-only-to-a-port.yaml')],
      [
        ['default/plain', 'default/apiserver', 'TCP', 8000, 'denied'],
        ['default/plain', 'default/apiserver', 'TCP', 5000, 'denied'],
        ['default/mon', 'default/apiserver', 'TCP', 8000, 'denied'],
        ['default/mon', 'default/apiserver', 'TCP', 5000, 'allowed'],
      ],
    );
  });

  it('09 block2+block3: the named port api-port (5000/TCP) behaves the same', () => {
    const base = recipe('09-allow-traffic-only-to-a-port.yaml');
    const spec = base.spec as { ingress: { from: unknown; ports: unknown }[] };
    const frag = parse(readFileSync(join(DIR, '09-allow-traffic-only-to-a-port.block2.fragment.yaml'), 'utf8')) as { ingress: { ports: unknown }[] };
    const containers = parse(readFileSync(join(DIR, '09-allow-traffic-only-to-a-port.block3.fragment.yaml'), 'utf8')) as { containers: { ports: { name: string; containerPort: number }[] }[] };
    expect(containers.containers[0]?.ports[0]).toMatchObject({ name: 'api-port', containerPort: 5000 });
    const named = { ...base, spec: { ...spec, ingress: [{ from: spec.ingress[0]?.from, ports: frag.ingress[0]?.ports }] } };
    check(
      [namespace('default'), apiserver(true), pod('default', 'plain', {}), pod('default', 'mon', { role: 'monitoring' }), named],
      [
        ['default/plain', 'default/apiserver', 'TCP', 5000, 'denied'],
        ['default/mon', 'default/apiserver', 'TCP', 8000, 'denied'],
        ['default/mon', 'default/apiserver', 'TCP', 5000, 'allowed'],
      ],
    );
  });

  it('10 allowing traffic with multiple selectors', () => {
    const db = pod('default', 'db', { app: 'bookstore', role: 'db' }, [{ port: 6379 }]);
    check(
      [namespace('default'), db, pod('default', 'inventory', { app: 'inventory', role: 'web' }), pod('default', 'other', { app: 'other' }), recipe('10-allowing-traffic-with-multiple-selectors.yaml')],
      [
        ['default/inventory', 'default/db', 'TCP', 6379, 'allowed'],
        ['default/other', 'default/db', 'TCP', 6379, 'denied'],
      ],
    );
  });

  const foo = pod('default', 'foo', { app: 'foo' });

  it('11 deny egress traffic from an application, step 1: nothing out, DNS included; ingress untouched', () => {
    check(
      [namespace('default'), web, foo, kubeDns, pod('default', 'client', {}), recipe('11-deny-egress-traffic-from-an-application.yaml')],
      [
        ['default/foo', 'kube-system/coredns', 'UDP', 53, 'denied'],
        ['default/foo', 'default/web', 'TCP', 80, 'denied'],
        ['default/foo', EXAMPLE_COM, 'TCP', 80, 'denied'],
        ['default/client', 'default/foo', 'TCP', 80, 'allowed'],
      ],
    );
  });

  it('11 step 2: DNS to kube-dns allowed, web and the internet still not', () => {
    check(
      [namespace('default'), web, foo, kubeDns, recipe('11-deny-egress-traffic-from-an-application.block2.yaml')],
      [
        ['default/foo', 'kube-system/coredns', 'UDP', 53, 'allowed'],
        ['default/foo', 'kube-system/coredns', 'TCP', 53, 'allowed'],
        ['default/foo', 'default/web', 'TCP', 80, 'denied'],
        ['default/foo', EXAMPLE_COM, 'TCP', 80, 'denied'],
        ['default/foo', EXAMPLE_COM, 'UDP', 53, 'denied'],
      ],
    );
  });

  it('12 default deny all egress from the namespace (no walkthrough test)', () => {
    check(
      [namespace('default'), namespace('other'), web, kubeDns, pod('other', 'client', {}), recipe('12-deny-all-non-whitelisted-traffic-from-the-namespace.yaml')],
      [
        ['default/web', 'kube-system/coredns', 'UDP', 53, 'denied'],
        ['default/web', EXAMPLE_COM, 'TCP', 443, 'denied'],
        ['other/client', 'default/web', 'TCP', 80, 'allowed'],
      ],
    );
  });

  it('14 deny external egress traffic: DNS allowed, the internet blocked, web blocked (strict reading)', () => {
    check(
      [namespace('default'), web, foo, kubeDns, recipe('14-deny-external-egress-traffic.yaml')],
      [
        ['default/foo', 'kube-system/coredns', 'UDP', 53, 'allowed'],
        ['default/foo', EXAMPLE_COM, 'TCP', 80, 'denied'],
        ['default/foo', 'default/web', 'TCP', 80, 'denied'],
      ],
    );
  });
});
