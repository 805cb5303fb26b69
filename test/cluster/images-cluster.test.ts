/**
 * `kspect images verify --cluster` on the testbed kube-apiserver with a real registry behind bearer-token auth:
 * the pods' imagePullSecrets (kubernetes.io/dockerconfigjson) give the credentials, the running `imageID` a pod's
 * status reports is what is verified (not what its tag points to now), and an unsigned image is caught. And
 * `scan --cluster --vulns`: a Deployment's pods (through their ReplicaSet) run an older digest than its tag names
 * now; the scanner results join by that repo digest.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { runCli } from '../support/cli.js';
import { buildImage, imageTools, imageToolsUnavailable, makeTls, startRegistry, tool, type ImageTools, type Registry } from '../support/images.js';
import { createNamespace, mustKube } from '../testbed/kube.js';
import { startTestbed, testbedUnavailable, type Testbed } from '../testbed/testbed.js';

const skip = testbedUnavailable() ?? imageToolsUnavailable();

describe.skipIf(skip !== undefined)('images verify --cluster on the testbed', () => {
  let tb: Testbed | undefined;
  let reg: Registry | undefined;
  let dir: string;
  let tls: { ca: string; cert: string; key: string };
  const d: Record<string, string> = {};

  beforeAll(async () => {
    const tools = imageTools() as ImageTools;
    dir = mkdtempSync(join(tmpdir(), 'kspect-images-cluster-'));
    tls = makeTls(join(dir, 'tls'));
    const [testbed, registry] = await Promise.all([startTestbed(), startRegistry(tools, tls, { basic: 'puller:pull-s3cret', token: true })]);
    tb = testbed;
    reg = registry;
    const R = registry.host;
    const dockerDir = join(dir, 'docker');
    mkdirSync(dockerDir, { recursive: true });
    const dockerConfig = { auths: { [R]: { auth: Buffer.from('puller:pull-s3cret').toString('base64') } } };
    writeFileSync(join(dockerDir, 'config.json'), JSON.stringify(dockerConfig));
    const env = { ca: tls.ca, cwd: dir, extra: { DOCKER_CONFIG: dockerDir } };
    tool(tools.cosign, ['generate-key-pair'], env);
    d.signed = buildImage(tools, `${R}/shop/api:1`, 'api', env);
    tool(tools.cosign, ['sign', '--key', 'cosign.key', '--use-signing-config=false', '--tlog-upload=false', `${R}/shop/api@${d.signed}`], env);
    d.unsigned = buildImage(tools, `${R}/shop/worker:1`, 'worker', env);
    // The tag api:1 now moves to unsigned content; a pod started before still runs the signed digest.
    d.moved = buildImage(tools, `${R}/shop/api:1`, 'api-2', env);

    await createNamespace(testbed, 'shop');
    await mustKube(testbed, 'POST', '/api/v1/namespaces/shop/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'regcred' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify(dockerConfig)).toString('base64') },
    });
    const pod = (name: string, image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { imagePullSecrets: [{ name: 'regcred' }], containers: [{ name: 'app', image }] } });
    await mustKube(testbed, 'POST', '/api/v1/namespaces/shop/pods', pod('api', `${R}/shop/api:1`));
    await mustKube(testbed, 'POST', '/api/v1/namespaces/shop/pods', pod('worker', `${R}/shop/worker:1`));
    // What a kubelet reports once the container runs: the digest it pulled.
    const running = (await mustKube(testbed, 'GET', '/api/v1/namespaces/shop/pods/api')) as Record<string, unknown>;
    await mustKube(testbed, 'PUT', '/api/v1/namespaces/shop/pods/api/status', {
      ...running,
      status: { phase: 'Running', containerStatuses: [{ name: 'app', image: `${R}/shop/api:1`, imageID: `${R}/shop/api@${d.signed}`, ready: true, restartCount: 0, started: true, state: { running: { startedAt: '2026-06-01T00:00:00Z' } } }] },
    });
  }, 900_000);

  afterAll(async () => {
    await Promise.all([tb?.stop(), reg?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the running digests with the pods’ pull secrets', async () => {
    const r = await runCli(['images', 'verify', '--cluster', '--kubeconfig', (tb as Testbed).kubeconfig, '--key', join(dir, 'cosign.pub'), '--registry-ca', tls.ca, '-f', 'json', '--checks', 'image-signature,image-signed'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.notEvaluated).toEqual([]);
    const found = report.findings.map((f) => [f.checkId, f.resource?.kind, f.resource?.namespace, f.resource?.name, f.message.includes(d.signed ?? '-') ? 'signed digest' : f.message.includes(d.unsigned ?? '-') ? 'unsigned digest' : f.message]);
    expect(found).toEqual([
      ['image-signed', 'Pod', 'shop', 'api', 'signed digest'],
      ['image-signature', 'Pod', 'shop', 'worker', 'unsigned digest'],
    ]);
    expect(r.stdout + r.stderr).not.toContain('pull-s3cret');
  }, 120_000);

  it('without the pull secret the private registry is not evaluated, never passed', async () => {
    await mustKube(tb as Testbed, 'DELETE', '/api/v1/namespaces/shop/secrets/regcred');
    const r = await runCli(['images', 'verify', '--cluster', '--kubeconfig', (tb as Testbed).kubeconfig, '--key', join(dir, 'cosign.pub'), '--registry-ca', tls.ca, '-f', 'json', '--checks', 'image-signature,image-signed'], { cwd: dir });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings).toEqual([]);
    expect(report.notEvaluated.map((n) => n.message)).toEqual([
      expect.stringMatching(/imagePullSecret shop\/regcred: HTTP 404/),
      expect.stringMatching(/shop\/api:1: signature rule "command line" not evaluated: .*HTTP 401/),
      expect.stringMatching(/shop\/worker:1: signature rule "command line" not evaluated: .*HTTP 401/),
    ]);
  }, 120_000);

  it('scan --cluster --vulns joins scanner results to a Deployment by the repo digest its pods run', async () => {
    const t = tb as Testbed;
    const R = (reg as Registry).host;
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: `${R}/shop/api:1` }] } };
    const dep = (await mustKube(t, 'POST', '/apis/apps/v1/namespaces/shop/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template } })) as { metadata: { uid: string } };
    const rs = (await mustKube(t, 'POST', '/apis/apps/v1/namespaces/shop/replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-5d9c7', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: dep.metadata.uid, controller: true }] },
      spec: { selector: { matchLabels: { app: 'web' } }, template },
    })) as { metadata: { uid: string } };
    await mustKube(t, 'POST', '/api/v1/namespaces/shop/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-5d9c7-x1', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9c7', uid: rs.metadata.uid, controller: true }] }, spec: template.spec });
    const pod = (await mustKube(t, 'GET', '/api/v1/namespaces/shop/pods/web-5d9c7-x1')) as Record<string, unknown>;
    await mustKube(t, 'PUT', '/api/v1/namespaces/shop/pods/web-5d9c7-x1/status', { ...pod, status: { phase: 'Running', containerStatuses: [{ name: 'app', image: `${R}/shop/api:1`, imageID: `${R}/shop/api@${d.signed ?? ''}`, ready: true, restartCount: 0, started: true, state: { running: { startedAt: '2026-06-01T00:00:00Z' } } }] } });
    // Trivy scans of the tag as it is now (clean) and of the digest the pods run (a critical vulnerability).
    const trivy = (name: string, digest: string, vulns: unknown[]) => ({ SchemaVersion: 2, ArtifactName: name, ArtifactType: 'container_image', Metadata: { RepoTags: name.includes('@') ? [] : [name], RepoDigests: [`${R}/shop/api@${digest}`] }, Results: [{ Target: 'os', Class: 'os-pkgs', Type: 'debian', Vulnerabilities: vulns }] });
    writeFileSync(join(dir, 'now.json'), JSON.stringify(trivy(`${R}/shop/api:1`, d.moved ?? '', [])));
    writeFileSync(join(dir, 'running.json'), JSON.stringify(trivy(`${R}/shop/api@${d.signed ?? ''}`, d.signed ?? '', [{ VulnerabilityID: 'CVE-2024-0001', PkgName: 'openssl', InstalledVersion: '3.0.1', FixedVersion: '3.0.2', Severity: 'CRITICAL' }])));
    const scan = (files: string[]) => runCli(['scan', '--cluster', '--kubeconfig', t.kubeconfig, '-n', 'shop', ...files.flatMap((f) => ['--vulns', join(dir, f)]), '-f', 'json', '--checks', 'image-vulnerabilities'], { cwd: dir });
    const r = await scan(['now.json', 'running.json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const onWeb = report.findings.filter((f) => f.resource?.kind === 'Deployment' && f.resource.name === 'web');
    expect(onWeb.map((f) => f.message)).toEqual([expect.stringMatching(/CVE-2024-0001 in openssl 3\.0\.1 \(fixed in 3\.0\.2\) \(joined by digest\)$/)]);
    // The tag alone would have joined the clean scan of what it names now.
    const tagOnly = JSON.parse((await scan(['now.json'])).stdout) as Report;
    expect(tagOnly.findings.filter((f) => f.resource?.name === 'web')).toEqual([]);
    expect(tagOnly.notEvaluated.filter((n) => n.resource?.name === 'web').map((n) => n.message)).toEqual([expect.stringMatching(new RegExp(`no imported scan result for .*shop/api:1 \\(${d.signed ?? ''}\\)`))]);
  }, 120_000);
});
