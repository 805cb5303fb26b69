/**
 * Image signatures enforced at admission on the testbed kube-apiserver (issue 15 §5: "the webhook refuses an unsigned
 * image in an enforce namespace"): a real registry behind bearer-token auth (the webhook logs in with its own docker
 * config), images built and pushed here, signed with cosign; `kspect webhook serve` (the built CLI) with the
 * signature rules of a `.kspect.yaml`, registered with the configurations `kspect webhook manifests` prints. kubectl:
 * - enforce: a signed image is created; an unsigned one and one signed with another key are refused, image-signature
 *   and the reason in kubectl's error; the create's audit event names the signer;
 * - warn: the unsigned image is created and kubectl prints kspect's warning;
 * - the registry stopped: a new image is refused by the failure mode, with the reason;
 * - a Pod's imagePullSecret is read from the API server (GET) as the registry login;
 * - ImageReview through the real ImagePolicyWebhook admission plugin (a second API server started with
 *   --admission-control-config-file, since that plugin judges every namespace): the signed image is allowed, the
 *   unsigned one denied with the reason.
 * Everything is started on loopback by this file and stopped by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { pullSecretReader } from '../../src/sources/webhook/signatures.js';
import { BIN, REPO_ROOT, runCli } from '../support/cli.js';
import { buildImage, imageTools, imageToolsUnavailable, makeTls, startRegistry, tool, type ImageTools, type Registry } from '../support/images.js';
import { imagePolicyWebhookArgs, servingCert, type ServingCert } from '../support/webhook.js';
import { createNamespace, kube, kubectl, mustKube } from '../testbed/kube.js';
import { freePort, startTestbed, testbedUnavailable, type Testbed } from '../testbed/testbed.js';

const skip = testbedUnavailable() ?? imageToolsUnavailable();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A Pod that passes every other check at high: only its image's signature is in question. */
const podYaml = (ns: string, name: string, image: string, pullSecret?: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
  automountServiceAccountToken: false
${pullSecret !== undefined ? `  imagePullSecrets: [{name: ${pullSecret}}]\n` : ''}  containers:
    - name: app
      image: "${image}"
      resources: {limits: {cpu: 100m, memory: 64Mi}, requests: {cpu: 100m, memory: 64Mi}}
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
`;

/** `kspect webhook serve` as a process; stopped by pid. */
async function startWebhook(tb: Testbed, cert: ServingCert, port: number, config: string, env: Record<string, string>): Promise<{ proc: ChildProcess; logs: () => string; stop: () => Promise<void> }> {
  let logs = '';
  const child = spawn(process.execPath, [BIN, 'webhook', 'serve', '--workers', '1', '--tls-cert', cert.cert, '--tls-key', cert.key, '--listen', `127.0.0.1:${port}`, '--kubeconfig', tb.kubeconfig, '--config', config], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  child.stderr.on('data', (d: Buffer) => (logs += d.toString('utf8')));
  for (let i = 0; i < 600 && !logs.includes('"listening"') && child.exitCode === null; i++) await sleep(50);
  expect(logs).toContain('"listening"');
  return {
    proc: child,
    logs: () => logs,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => { r(); }));
      process.kill(child.pid ?? 0, 'SIGTERM');
      await exited;
    },
  };
}

describe.skipIf(skip !== undefined)('image signatures at admission on the testbed kube-apiserver', () => {
  let tools: ImageTools;
  let dir: string;
  let tls: { ca: string; cert: string; key: string };
  let reg: Registry;
  let registryStopped = false;
  let cert: ServingCert;
  let R: string;
  let dockerDir: string;
  let dockerConfig: Record<string, unknown>;
  const d: Record<string, string> = {};

  beforeAll(async () => {
    tools = imageTools() as ImageTools;
    dir = mkdtempSync(join(tmpdir(), 'kspect-webhook-sig-cluster-'));
    tls = makeTls(join(dir, 'tls'));
    reg = await startRegistry(tools, tls, { basic: 'puller:pull-s3cret', token: true });
    R = reg.host;
    dockerDir = join(dir, 'docker');
    mkdirSync(dockerDir, { recursive: true });
    dockerConfig = { auths: { [R]: { auth: Buffer.from('puller:pull-s3cret').toString('base64') } } };
    writeFileSync(join(dockerDir, 'config.json'), JSON.stringify(dockerConfig));
    mkdirSync(join(dir, 'no-docker'), { recursive: true });
    writeFileSync(join(dir, 'no-docker', 'config.json'), '{"auths": {}}');
    const env = { ca: tls.ca, cwd: dir, extra: { DOCKER_CONFIG: dockerDir } };
    tool(tools.cosign, ['generate-key-pair'], env);
    tool(tools.cosign, ['generate-key-pair', '--output-key-prefix', 'other'], env);
    const sign = (ref: string, key = 'cosign.key'): void => {
      tool(tools.cosign, ['sign', '--key', key, '--use-signing-config=false', '--tlog-upload=false', ref], env);
    };
    d.signed = buildImage(tools, `${R}/shop/api:1`, 'api', env);
    sign(`${R}/shop/api@${d.signed}`);
    d.unsigned = buildImage(tools, `${R}/shop/api:unsigned`, 'unsigned', env);
    d.other = buildImage(tools, `${R}/shop/api:other`, 'other', env);
    sign(`${R}/shop/api@${d.other}`, 'other.key');
    d.late = buildImage(tools, `${R}/shop/api:late`, 'late', env);
    sign(`${R}/shop/api@${d.late}`);
    d.private = buildImage(tools, `${R}/shop/private:1`, 'private', env);
    sign(`${R}/shop/private@${d.private}`);
    cert = servingCert();
    writeFileSync(join(dir, 'kspect.yaml'), `images:\n  signatures:\n    - name: shop\n      images: ["${R}/shop/**"]\n      keys: [cosign.pub]\n      mode: enforce\n  registries:\n    ca: tls/ca.crt\n`);
  }, 600_000);

  afterAll(async () => {
    if (!registryStopped) await reg.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(cert.dir, { recursive: true, force: true });
  });

  describe('ImageReview through the ImagePolicyWebhook admission plugin', () => {
    let tb: Testbed;
    let hook: Awaited<ReturnType<typeof startWebhook>>;

    beforeAll(async () => {
      const port = await freePort();
      tb = await startTestbed({ extraArgs: imagePolicyWebhookArgs(dir, port, cert.ca, false) });
      // An ImageReview carries no pull secrets: the webhook's own docker config is its registry login.
      hook = await startWebhook(tb, cert, port, join(dir, 'kspect.yaml'), { DOCKER_CONFIG: dockerDir });
      await createNamespace(tb, 'plain');
    }, 300_000);

    afterAll(async () => {
      await hook.stop();
      await tb.stop();
    });

    it('allows the signed image and denies the unsigned one with the reason', async () => {
      const good = await kubectl(tb, ['apply', '-f', '-'], podYaml('plain', 'signed', `${R}/shop/api@${d.signed}`));
      expect(good.stderr).toBe('');
      expect(good.code).toBe(0);
      const bad = await kubectl(tb, ['apply', '-f', '-'], podYaml('plain', 'unsigned', `${R}/shop/api:unsigned`));
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('image policy webhook backend denied one or more images');
      expect(bad.stderr).toContain('[image-signature/high]');
      expect(bad.stderr).toContain('is not signed; rule "shop" requires a signature');
      expect(hook.logs()).toContain('"msg":"imagereview"');
    });
  });

  describe('the validating webhook (enforce, warn)', () => {
    let tb: Testbed;
    let hook: Awaited<ReturnType<typeof startWebhook>>;

    beforeAll(async () => {
      tb = await startTestbed();
      const port = await freePort();
      hook = await startWebhook(tb, cert, port, join(dir, 'kspect.yaml'), { DOCKER_CONFIG: join(dir, 'no-docker') });
      await createNamespace(tb, 'enf', { 'kspect.dev/enforce': 'high' });
      await createNamespace(tb, 'wrn', { 'kspect.dev/warn': 'high' });
      // The webhook has no registry login of its own here: the pods' imagePullSecret is how it reads the registry.
      for (const ns of ['enf', 'wrn']) await mustKube(tb, 'POST', `/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify(dockerConfig)).toString('base64') } });
      const manifests = await runCli(['webhook', 'manifests', '--ca-bundle', cert.ca, '--url', `https://127.0.0.1:${port}`, '--configurations-only']);
      expect(manifests.stderr).toBe('');
      for (const doc of parseAllDocuments(manifests.stdout)) await mustKube(tb, 'POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', doc.toJS());
      // The API server picks configurations up from its informer: wait until the unsigned image is refused.
      for (let i = 0; i < 100; i++) {
        const r = await kubectl(tb, ['apply', '--dry-run=server', '-f', '-'], podYaml('enf', 'probe', `${R}/shop/api@${d.unsigned}`, 'regcred'));
        if (r.code !== 0) break;
        await sleep(200);
      }
    }, 300_000);

    afterAll(async () => {
      await hook.stop();
      await tb.stop();
    });

    it('enforce: the signed image is created, the audit event naming its signer', async () => {
      const r = await kubectl(tb, ['apply', '-f', '-'], podYaml('enf', 'signed', `${R}/shop/api@${d.signed}`, 'regcred'));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect((await kube(tb, 'GET', '/api/v1/namespaces/enf/pods/signed')).status).toBe(200);
      let event: { annotations?: Record<string, string> } | undefined;
      for (let i = 0; i < 50 && !event; i++) {
        event = readFileSync(tb.auditLog, 'utf8')
          .split('\n')
          .filter((l) => l.includes('"signed"') && l.includes('"create"') && l.includes('"ResponseComplete"'))
          .map((l) => JSON.parse(l) as { annotations?: Record<string, string> })[0];
        if (!event) await sleep(100);
      }
      expect(event?.annotations?.['enforce.kspect.dev/image-signers']).toContain(`image ${R}/shop/api@${d.signed}: signed by key cosign.pub (rule "shop")`);
    });

    it('enforce: an unsigned image and one signed with another key are refused, image-signature and the reason in kubectl\'s error', async () => {
      const u = await kubectl(tb, ['apply', '-f', '-'], podYaml('enf', 'unsigned', `${R}/shop/api@${d.unsigned}`, 'regcred'));
      expect(u.code).not.toBe(0);
      expect(u.stderr).toContain('admission webhook "enforce.kspect.dev" denied the request');
      expect(u.stderr).toContain('[image-signature/high] spec.containers[0].image');
      expect(u.stderr).toContain('is not signed; rule "shop" requires a signature');
      expect((await kube(tb, 'GET', '/api/v1/namespaces/enf/pods/unsigned')).status).toBe(404);
      const o = await kubectl(tb, ['apply', '-f', '-'], podYaml('enf', 'other', `${R}/shop/api:other`, 'regcred'));
      expect(o.code).not.toBe(0);
      expect(o.stderr).toContain('[image-signature/high]');
      expect(o.stderr).toContain('has signatures, but none by a key or identity rule "shop" trusts');
    });

    it('warn: the unsigned image is created and kubectl prints kspect\'s warning', async () => {
      const r = await kubectl(tb, ['apply', '-f', '-'], podYaml('wrn', 'unsigned', `${R}/shop/api@${d.unsigned}`, 'regcred'));
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`Warning: kspect [image-signature/high] spec.containers[0].image: container "app" image ${R}/shop/api@${d.unsigned} is not signed; rule "shop" requires a signature`);
      expect((await kube(tb, 'GET', '/api/v1/namespaces/wrn/pods/unsigned')).status).toBe(200);
    });

    it('a Pod\'s imagePullSecret is read from the API server (GET) as its registry login: without it the image is not evaluated', async () => {
      // Another repository (another token scope): nothing about it is cached yet.
      const without = await kubectl(tb, ['apply', '-f', '-'], podYaml('enf', 'private', `${R}/shop/private@${d.private}`));
      expect(without.code).not.toBe(0);
      expect(without.stderr).toContain('signature rule "shop" not evaluated');
      expect(without.stderr).toContain('denied by the failure mode (deny)');
      const withSecret = await kubectl(tb, ['apply', '-f', '-'], podYaml('enf', 'private', `${R}/shop/private@${d.private}`, 'regcred'));
      expect(withSecret.stderr).toBe('');
      expect(withSecret.code).toBe(0);
      const docs = await pullSecretReader({ kubeconfig: tb.kubeconfig })('enf', ['regcred', 'absent']);
      expect([...docs.keys()]).toEqual(['regcred']);
      expect(docs.get('regcred')?.entries.map((e) => e.key)).toEqual([R]);
    });

    it('the registry stopped: a new image is refused by the failure mode, saying why', async () => {
      await reg.stop();
      registryStopped = true;
      const r = await kubectl(tb, ['apply', '-f', '-'], podYaml('enf', 'late', `${R}/shop/api@${d.late}`, 'regcred'));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('image-signature');
      expect(r.stderr).toContain('signature rule "shop" not evaluated');
      expect(r.stderr).toContain('denied by the failure mode (deny)');
    });
  });
});
