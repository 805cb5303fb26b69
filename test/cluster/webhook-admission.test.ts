/**
 * `kspect webhook serve` registered with a real kube-apiserver (the testbed): the configurations printed by
 * `kspect webhook manifests` (loopback URL + caBundle) are created, then kubectl's requests go through the API
 * server to the webhook, and the test asserts what kubectl and the audit log show:
 * - enforce namespace: a privileged Pod is refused, the check id in kubectl's error; `--dry-run=server` the same;
 * - warn namespace: the Pod is created and kubectl prints kspect's warnings;
 * - audit namespace: the create's audit event carries kspect's annotations;
 * - an exempt namespace (`.kspect.yaml` webhook.exemptions) is allowed;
 * - the ImagePolicyWebhook admission plugin (--admission-control-config-file) asks /imagereview: a `:latest` image is
 *   refused with kspect's reason, a pinned one allowed;
 * - a relabelled namespace: the next reviews follow its new mode within a second or two (the informer's watch);
 * - with the webhook stopped, the enforcing configuration (Fail) refuses Pods and the advisory one (Ignore) lets a
 *   Deployment through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { BIN, REPO_ROOT, runCli } from '../support/cli.js';
import { imagePolicyWebhookArgs, servingCert, type ServingCert } from '../support/webhook.js';
import { createNamespace, kube, kubectl, mustKube } from '../testbed/kube.js';
import { freePort, startTestbed, testbedUnavailable, type Testbed } from '../testbed/testbed.js';

const skip = testbedUnavailable();

const PRIVILEGED = (ns: string, name: string, image = 'registry.k8s.io/pause:3.10'): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  containers:
    - name: app
      image: ${image}
      securityContext:
        privileged: true
`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip !== undefined)('webhook on the testbed kube-apiserver', () => {
  let tb: Testbed;
  let cert: ServingCert;
  let dir: string;
  let port: number;
  let proc: ChildProcess | undefined;
  let logs = '';

  const startWebhook = async (): Promise<void> => {
    logs = '';
    const child = spawn(process.execPath, [BIN, 'webhook', 'serve', '--tls-cert', cert.cert, '--tls-key', cert.key, '--listen', `127.0.0.1:${port}`, '--kubeconfig', tb.kubeconfig, '--config', join(dir, 'kspect.yaml')], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d: Buffer) => (logs += d.toString('utf8')));
    proc = child;
    // One worker per CPU (the default) each loads every check: on a loaded machine that takes a while.
    for (let i = 0; i < 600 && !logs.includes('"listening"'); i++) await sleep(50);
    expect(logs).toContain('"listening"');
  };
  const stopWebhook = async (): Promise<void> => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise<number | null>((r) => p.on('exit', (code) => { r(code); }));
    p.kill('SIGTERM');
    expect(await exited).toBe(0);
    proc = undefined;
  };

  beforeAll(async () => {
    cert = servingCert();
    dir = mkdtempSync(join(tmpdir(), 'kspect-webhook-cluster-'));
    port = await freePort();
    writeFileSync(join(dir, 'kspect.yaml'), 'webhook:\n  exemptions:\n    namespaces: [exempt-*]\n');
    // The ImagePolicyWebhook plugin, pointed at kspect's /imagereview (a kubeconfig names the backend).
    tb = await startTestbed({ extraArgs: imagePolicyWebhookArgs(dir, port, cert.ca, true) });
    await startWebhook();
    for (const [ns, labels] of [
      ['enf', { 'kspect.dev/enforce': 'high' }],
      ['wrn', { 'kspect.dev/warn': 'high' }],
      ['aud', { 'kspect.dev/audit': 'high' }],
      ['exempt-a', { 'kspect.dev/enforce': 'high' }],
      ['plain', {}],
      ['both', { 'kspect.dev/enforce': 'high', 'kspect.dev/warn': 'medium' }],
    ] as const) await createNamespace(tb, ns, labels);
    const manifests = await runCli(['webhook', 'manifests', '--ca-bundle', cert.ca, '--url', `https://127.0.0.1:${port}`, '--configurations-only']);
    expect(manifests.stderr).toBe('');
    for (const doc of parseAllDocuments(manifests.stdout)) await mustKube(tb, 'POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', doc.toJS());
    // The API server picks configurations up from its informer: wait until a privileged pod in enf is refused.
    for (let i = 0; i < 100; i++) {
      const r = await kubectl(tb, ['apply', '--dry-run=server', '-f', '-'], PRIVILEGED('enf', 'probe'));
      if (r.code !== 0) break;
      await sleep(200);
    }
  }, 300_000);

  afterAll(async () => {
    await stopWebhook().catch(() => undefined);
    proc?.kill('SIGKILL');
    await tb.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(cert.dir, { recursive: true, force: true });
  });

  it('enforce: a privileged Pod is refused, the check id in kubectl\'s error; a server dry run gets the same', async () => {
    const r = await kubectl(tb, ['apply', '-f', '-'], PRIVILEGED('enf', 'bad'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('admission webhook "enforce.kspect.dev" denied the request');
    expect(r.stderr).toContain('pod-privileged');
    expect(r.stderr).toContain('spec.containers[0].securityContext.privileged');
    expect(r.stderr).not.toContain('Warning:');
    const dry = await kubectl(tb, ['apply', '--dry-run=server', '-f', '-'], PRIVILEGED('enf', 'bad'));
    expect(dry.code).not.toBe(0);
    expect(dry.stderr).toContain('pod-privileged');
    expect((await kube(tb, 'GET', '/api/v1/namespaces/enf/pods/bad')).status).toBe(404);
    // A compliant pod in the same namespace is created.
    const ok = await kubectl(tb, ['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: fine, namespace: enf}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
  automountServiceAccountToken: false
  containers:
    - name: app
      image: registry.k8s.io/pause:3.10
      resources: {limits: {cpu: 100m, memory: 64Mi}, requests: {cpu: 100m, memory: 64Mi}}
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
`);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
  });

  it('enforce and warn on one namespace: a denied request carries no warnings (the advisory webhook stays quiet)', async () => {
    const r = await kubectl(tb, ['apply', '-f', '-'], PRIVILEGED('both', 'bad'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('pod-privileged');
    expect(r.stderr).not.toContain('Warning:');
  });

  it('warn: the Pod is created and kubectl prints kspect\'s warnings', async () => {
    const r = await kubectl(tb, ['apply', '-f', '-'], PRIVILEGED('wrn', 'loud'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Warning: kspect \[pod-privileged\/critical\] spec\.containers\[0\]\.securityContext\.privileged/);
    for (const line of r.stderr.split('\n').filter((l) => l.startsWith('Warning: '))) expect(line.length).toBeLessThan(256 + 'Warning: '.length);
    expect((await kube(tb, 'GET', '/api/v1/namespaces/wrn/pods/loud')).status).toBe(200);
  });

  it('audit: the audit event of the create carries kspect\'s annotations', async () => {
    const r = await kubectl(tb, ['apply', '-f', '-'], PRIVILEGED('aud', 'quiet'));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    let event: { annotations?: Record<string, string> } | undefined;
    for (let i = 0; i < 50 && !event; i++) {
      event = readFileSync(tb.auditLog, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"quiet"') && l.includes('"create"') && l.includes('"ResponseComplete"'))
        .map((l) => JSON.parse(l) as { annotations?: Record<string, string> })[0];
      if (!event) await sleep(100);
    }
    expect(event?.annotations?.['audit.kspect.dev/policy']).toBe('high');
    expect(event?.annotations?.['audit.kspect.dev/checks']).toContain('pod-privileged');
    expect(event?.annotations?.['audit.kspect.dev/violations']).toContain('spec.containers[0].securityContext.privileged');
  });

  it('an exempt namespace is allowed', async () => {
    const r = await kubectl(tb, ['apply', '-f', '-'], PRIVILEGED('exempt-a', 'free'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('ImageReview: the ImagePolicyWebhook plugin refuses a :latest image with kspect\'s reason and allows a pinned one', async () => {
    const bad = await kubectl(tb, ['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: latest, namespace: plain}
spec:
  containers: [{name: app, image: "docker.io/library/busybox:latest"}]
`);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('image-latest-tag');
    const good = await kubectl(tb, ['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: pinned, namespace: plain}
spec:
  containers: [{name: app, image: "registry.k8s.io/pause:3.10"}]
`);
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(logs).toContain('"msg":"imagereview"');
  });

  it('a relabelled namespace: the next reviews follow the new mode within a second or two (client-node\'s informer)', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'relabel' }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', securityContext: { privileged: true } }] } };
    const dryRun = async (): Promise<number> => (await kube(tb, 'POST', '/api/v1/namespaces/plain/pods?dryRun=All', pod)).status;
    expect(await dryRun()).toBe(201);
    // Label it enforcing: the informer's watch event reaches the cache, every worker's.
    const label = async (value: string | null): Promise<number> => {
      const r = await kubectl(tb, ['label', '--overwrite', 'namespace', 'plain', value === null ? 'kspect.dev/enforce-' : `kspect.dev/enforce=${value}`]);
      expect(r.code).toBe(0);
      return Date.now();
    };
    const follow = async (since: number, want: number): Promise<number> => {
      for (;;) {
        const status = await dryRun();
        if (status === want) return Date.now() - since;
        expect(Date.now() - since).toBeLessThan(10_000);
        await sleep(50);
      }
    };
    const denyAfter = await follow(await label('high'), 403);
    const allowAfter = await follow(await label(null), 201);
    // Within a second or two: the time is printed for the record, the bound is a guard generous for a loaded machine.
    process.stdout.write(`relabel followed in ${denyAfter} ms (enforce on) and ${allowAfter} ms (off)\n`);
    expect(Math.max(denyAfter, allowAfter)).toBeLessThan(5_000);
  });

  it('with the webhook stopped: the enforcing configuration (Fail) refuses Pods, the advisory one (Ignore) lets a Deployment through', async () => {
    await stopWebhook();
    expect(logs).toContain('"msg":"stopped"');
    const pod = await kubectl(tb, ['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: harmless, namespace: plain}
spec:
  containers: [{name: app, image: "registry.k8s.io/pause:3.10"}]
`);
    expect(pod.code).not.toBe(0);
    expect(pod.stderr).toContain('failed calling webhook "enforce.kspect.dev"');
    const deploy = await kubectl(tb, ['apply', '-f', '-'], `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: wrn}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: "registry.k8s.io/pause:3.10"}]
`);
    expect(deploy.code).toBe(0);
    await startWebhook();
  });
});
