/**
 * `kspect images verify --cluster` on the testbed kube-apiserver with a real registry behind bearer-token auth:
 * the pods' imagePullSecrets (kubernetes.io/dockerconfigjson) give the credentials, the running `imageID` a pod's
 * status reports is what is verified (not what its tag points to now), and an unsigned image is caught.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    const { mkdirSync } = await import('node:fs');
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
});
