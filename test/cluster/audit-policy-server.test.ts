/**
 * Differential test of `loadAuditPolicy` against the real kube-apiserver of the testbed: for every policy below,
 * kube-apiserver is started with `--audit-policy-file` and either becomes ready (it loads the policy) or exits (it
 * refuses it); kspect's verdict for the same file and version must be the same. One etcd is shared; each
 * kube-apiserver runs on its own loopback port and is stopped by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuditPolicy } from '../../src/engines/audit-policy/load.js';
import { minorOf } from '../../src/engines/audit-policy/versions.js';
import { findBinaries, freePort, httpsStatus, startEtcd, TestCA, testbedUnavailable, type Etcd } from '../testbed/testbed.js';

const skip = testbedUnavailable();

const HEAD = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

/** name → policy file. Comments say what kube-apiserver is expected to do, but the test asserts only agreement. */
export const SERVER_CASES: Readonly<Record<string, string>> = {
  'minimal catch-all': `${HEAD}rules:\n  - level: Metadata\n`,
  'json policy': '{"apiVersion":"audit.k8s.io/v1","kind":"Policy","rules":[{"level":"Metadata"}]}',
  'v1beta1 apiVersion': 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n  - level: Metadata\n',
  'v1alpha1 apiVersion': 'apiVersion: audit.k8s.io/v1alpha1\nkind: Policy\nrules:\n  - level: Metadata\n',
  'no apiVersion': 'kind: Policy\nrules:\n  - level: Metadata\n',
  'no kind': 'apiVersion: audit.k8s.io/v1\nrules:\n  - level: Metadata\n',
  'no kind, v1beta1': 'apiVersion: audit.k8s.io/v1beta1\nrules:\n  - level: Metadata\n',
  'neither apiVersion nor kind': 'rules:\n  - level: Metadata\n',
  'kind null': 'apiVersion: audit.k8s.io/v1\nkind: null\nrules:\n  - level: Metadata\n',
  'apiVersion a number': 'apiVersion: 1\nkind: Policy\nrules:\n  - level: Metadata\n',
  'lower-case kind': 'apiVersion: audit.k8s.io/v1\nkind: policy\nrules:\n  - level: Metadata\n',
  'kind Event': 'apiVersion: audit.k8s.io/v1\nkind: Event\nrules:\n  - level: Metadata\n',
  'other group': 'apiVersion: v1\nkind: Policy\nrules:\n  - level: Metadata\n',
  'empty file': '',
  'a list, not a mapping': '- level: Metadata\n',
  'yaml syntax error': `${HEAD}rules:\n  - level: Metadata\n   users: [a\n`,
  'zero rules': `${HEAD}rules: []\n`,
  'no rules key': `${HEAD}omitStages: [RequestReceived]\n`,
  'null rule': `${HEAD}rules:\n  - null\n`,
  'invalid level': `${HEAD}rules:\n  - level: Everything\n`,
  'missing level': `${HEAD}rules:\n  - users: [a]\n`,
  'capitalised Level key': `${HEAD}rules:\n  - Level: Metadata\n`,
  'level yes (a YAML 1.1 bool)': `${HEAD}rules:\n  - level: yes\n`,
  'invalid policy omitStages': `${HEAD}omitStages: [Started]\nrules:\n  - level: Metadata\n`,
  'invalid rule omitStages': `${HEAD}rules:\n  - level: Metadata\n    omitStages: [RequestReceived, Done]\n`,
  'omitStage typo': `${HEAD}omitStage: [RequestReceived]\nrules:\n  - level: Metadata\n`,
  'unknown rule field': `${HEAD}rules:\n  - level: Metadata\n    resource: [{group: ""}]\n`,
  'repeated key': `${HEAD}rules:\n  - level: None\n    level: Metadata\n`,
  'users is a string': `${HEAD}rules:\n  - level: Metadata\n    users: bob\n`,
  'verbs [on] (a bool)': `${HEAD}rules:\n  - level: Metadata\n    verbs: [on]\n`,
  'users [0x1F] (a number)': `${HEAD}rules:\n  - level: Metadata\n    users: [0x1F]\n`,
  'users [1_000] (a number)': `${HEAD}rules:\n  - level: Metadata\n    users: [1_000]\n`,
  'users [+5] (a number)': `${HEAD}rules:\n  - level: Metadata\n    users: [+5]\n`,
  'users [.5] (a number)': `${HEAD}rules:\n  - level: Metadata\n    users: [.5]\n`,
  'users [1.5.3] (a string)': `${HEAD}rules:\n  - level: Metadata\n    users: [1.5.3]\n`,
  'namespaces [2024-01-01] (a timestamp stays a string)': `${HEAD}rules:\n  - level: Metadata\n    namespaces: [2024-01-01]\n`,
  'users [~] (null is the empty string)': `${HEAD}rules:\n  - level: Metadata\n    users: [~]\n`,
  'omitManagedFields "true" (a string)': `${HEAD}omitManagedFields: "true"\nrules:\n  - level: Metadata\n`,
  'omitManagedFields yes (a bool)': `${HEAD}omitManagedFields: yes\nrules:\n  - level: Metadata\n    omitManagedFields: off\n`,
  'non-resource URL without /': `${HEAD}rules:\n  - level: None\n    nonResourceURLs: [healthz]\n  - level: Metadata\n`,
  'non-resource URL *': `${HEAD}rules:\n  - level: None\n    nonResourceURLs: ["*"]\n  - level: Metadata\n`,
  'non-resource URL with inner *': `${HEAD}rules:\n  - level: None\n    nonResourceURLs: ["/health*z"]\n  - level: Metadata\n`,
  'non-resource URL with trailing *': `${HEAD}rules:\n  - level: None\n    nonResourceURLs: ["/healthz*"]\n  - level: Metadata\n`,
  'nonResourceURLs with resources': `${HEAD}rules:\n  - level: None\n    nonResourceURLs: ["/healthz"]\n    resources: [{group: ""}]\n  - level: Metadata\n`,
  'nonResourceURLs with namespaces': `${HEAD}rules:\n  - level: None\n    nonResourceURLs: ["/healthz"]\n    namespaces: [default]\n  - level: Metadata\n`,
  'resourceNames without resources': `${HEAD}rules:\n  - level: None\n    resources: [{group: "", resourceNames: [x]}]\n  - level: Metadata\n`,
  'group "*"': `${HEAD}rules:\n  - level: Metadata\n    resources: [{group: "*"}]\n`,
  'group with a version': `${HEAD}rules:\n  - level: Metadata\n    resources: [{group: rbac.authorization.k8s.io/v1}]\n`,
  'upper-case group': `${HEAD}rules:\n  - level: Metadata\n    resources: [{group: Apps}]\n`,
  'group extensions (valid name, serves nothing)': `${HEAD}rules:\n  - level: Metadata\n    resources: [{group: extensions, resources: [deployments]}]\n`,
  'resource pattern pods*': `${HEAD}rules:\n  - level: Metadata\n    resources: [{group: "", resources: ["pods*"]}]\n`,
  'metadata with name and labels': `${HEAD}metadata:\n  name: x\n  labels: {a: b}\nrules:\n  - level: Metadata\n`,
  'metadata with a bad timestamp': `${HEAD}metadata:\n  creationTimestamp: yesterday\nrules:\n  - level: Metadata\n`,
  'second document invalid': `${HEAD}rules:\n  - level: Metadata\n---\nkind: Nonsense\n`,
  'merge key': `${HEAD}base: &b {level: Metadata}\nrules:\n  - <<: *b\n    users: [a]\n  - level: None\n`,
};

interface Verdict {
  readonly starts: boolean;
  readonly log: string;
}

describe.skipIf(skip !== undefined)('audit policy loading: kspect agrees with kube-apiserver', () => {
  let dir: string;
  let etcd: Etcd;
  let ca: TestCA;
  let serving: { cert: string; key: string };
  let admin: { cert: string; key: string };
  let saKey: string;
  let saPub: string;
  let minor: number;
  const verdicts = new Map<string, Verdict>();

  async function tryServer(name: string, policy: string): Promise<Verdict> {
    const bins = findBinaries();
    if (!bins) throw new Error('no binaries');
    const slug = name.replace(/[^a-z0-9]+/gi, '-');
    const file = join(dir, `${slug}.yaml`);
    writeFileSync(file, policy);
    const port = await freePort();
    const log = join(dir, `${slug}.log`);
    const fd = openSync(log, 'w');
    const child: ChildProcess = spawn(
      bins.kubeApiserver,
      [
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        `--cert-dir=${join(dir, `certs-${slug}`)}`,
        `--tls-cert-file=${serving.cert}`,
        `--tls-private-key-file=${serving.key}`,
        `--client-ca-file=${ca.cert}`,
        `--etcd-servers=${etcd.endpoint}`,
        `--etcd-cafile=${ca.cert}`,
        `--etcd-certfile=${etcd.client.cert}`,
        `--etcd-keyfile=${etcd.client.key}`,
        `--etcd-prefix=/registry-${slug}`,
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc',
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        `--audit-policy-file=${file}`,
        `--audit-log-path=${join(dir, `${slug}.audit.log`)}`,
      ],
      { cwd: dir, stdio: ['ignore', fd, fd] },
    );
    closeSync(fd);
    const state = { exited: false };
    child.on('exit', () => {
      state.exited = true;
    });
    const deadline = Date.now() + 90_000;
    let starts = false;
    while (Date.now() < deadline) {
      if (state.exited) break;
      if ((await httpsStatus(`https://127.0.0.1:${port}/readyz`, { ca: ca.cert, cert: admin.cert, key: admin.key }, 1000)).status === 200) {
        starts = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!state.exited && child.pid !== undefined) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => {
        resolve();
      }));
      process.kill(child.pid, 'SIGKILL');
      await gone;
    }
    if (!starts && !state.exited) throw new Error(`kube-apiserver neither started nor exited for "${name}"`);
    return { starts, log: readFileSync(log, 'utf8').split('\n').filter((l) => /audit|policy|decod/i.test(l)).slice(-3).join('\n') };
  }

  beforeAll(async () => {
    const bins = findBinaries();
    if (!bins) throw new Error('no binaries');
    minor = minorOf(/v(1\.\d+)/.exec(bins.dir)?.[1]) ?? 35;
    dir = mkdtempSync(join(tmpdir(), 'kspect-audit-server-'));
    ca = new TestCA(dir);
    etcd = await startEtcd(bins, dir, ca);
    serving = ca.issue('apiserver', { cn: 'kube-apiserver', server: true, client: false, sans: ['IP:127.0.0.1', 'DNS:localhost'] });
    admin = ca.issue('admin', { cn: 'admin', orgs: ['system:masters'] });
    saKey = join(dir, 'sa.key');
    saPub = join(dir, 'sa.pub');
    const { execFileSync } = await import('node:child_process');
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', saKey]);
    execFileSync('openssl', ['pkey', '-in', saKey, '-pubout', '-out', saPub]);
    // Two servers at a time: the machine has two cores.
    const names = Object.keys(SERVER_CASES);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < names.length) {
        const name = names[next++];
        if (name === undefined) break;
        verdicts.set(name, await tryServer(name, SERVER_CASES[name] ?? ''));
      }
    };
    await Promise.all([worker(), worker()]);
  }, 900_000);

  afterAll(async () => {
    await etcd.stop();
    if (process.env.KSPECT_TESTBED_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
  });

  it.each(Object.keys(SERVER_CASES))('%s', (name) => {
    const server = verdicts.get(name);
    expect(server, 'no verdict from kube-apiserver').toBeDefined();
    const kspect = loadAuditPolicy(SERVER_CASES[name] ?? '', { minor });
    const errors = kspect.problems.filter((p) => p.severity === 'error').map((p) => p.message);
    expect({ starts: kspect.loads, errors: kspect.loads ? [] : errors.length > 0 }, `kube-apiserver ${server?.starts ? 'started' : 'refused'}:\n${server?.log ?? ''}\nkspect: ${errors.join('; ')}`).toEqual({ starts: server?.starts, errors: server?.starts ? [] : true });
  });
});
