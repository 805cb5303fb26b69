/**
 * Image signatures at admission, in process against real components: go-containerregistry's registry over TLS on
 * loopback, images built and pushed here with crane, signed with cosign (`sign --key`, tlog upload off) — the same
 * tools as the `kspect images verify` tests — and the webhook server with the signature rules of a `.kspect.yaml`:
 * - enforce: a signed image is allowed (the signer in an audit annotation); unsigned and another key's signature are
 *   denied with image-signature and the reason per container; a tag is resolved to its digest;
 * - a second review of the same digest makes no registry request (the registry's own request count);
 * - warn and audit: findings and "not evaluated" are said, never denied;
 * - ImageReview: signed allowed, unsigned denied with the reason;
 * - the registry stopped: enforce answers with the failure mode and says why (deny, and allow);
 * - the deadline: a registry that accepts and never answers — the review answers within the API server's
 *   `?timeout=` with the failure mode, naming the deadline (not the registry client's own 20 s timeout).
 * Everything is started on loopback by this file and stopped by pid.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../src/checks/index.js';
import { toK8sObject, type K8sObject } from '../src/model/object.js';
import { loadConfig } from '../src/sources/config.js';
import { reviewContext } from '../src/sources/webhook/context.js';
import { staticNamespaces } from '../src/sources/webhook/namespaces.js';
import { startWebhookServer, type WebhookServer } from '../src/sources/webhook/server.js';
import { ImageVerifier } from '../src/sources/webhook/signatures.js';
import { buildImage, imageTools, imageToolsUnavailable, makeTls, startRegistry, tool, type ImageTools, type Registry } from './support/images.js';
import { runCli } from './support/cli.js';
import { admissionReview, servingCert, webhookClient, type ServingCert } from './support/webhook.js';

const skip = imageToolsUnavailable();

const ns = (name: string, labels: Record<string, string>): K8sObject => toK8sObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }, undefined) as K8sObject;
const NAMESPACES = [ns('enf', { 'kspect.dev/enforce': 'high' }), ns('wrn', { 'kspect.dev/warn': 'high' }), ns('aud', { 'kspect.dev/audit': 'high' })];

/** A Pod that passes every other check at high: only its image's signature is in question. */
export const compliantPod = (name: string, image: string, namespace?: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
  spec: {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    automountServiceAccountToken: false,
    containers: [
      {
        name: 'app',
        image,
        resources: { limits: { cpu: '100m', memory: '64Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      },
    ],
  },
});

interface Response {
  allowed: boolean;
  status?: { code: number; message: string };
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

describe.skipIf(skip !== undefined)('image signatures at admission (real registry and cosign, in process)', () => {
  let tools: ImageTools;
  let dir: string;
  let tls: { ca: string; cert: string; key: string };
  let reg: Registry;
  let cert: ServingCert;
  let verifier: ImageVerifier;
  let server: WebhookServer;
  let R: string;
  let registryStopped = false;
  const d: Record<string, string> = {};
  const closers: (() => Promise<void> | void)[] = [];

  const review = async (path: string, body: unknown): Promise<Response> => {
    const c = webhookClient(server.url, cert.ca);
    try {
      const r = await c.post(path, body);
      expect(r.status).toBe(200);
      return (r.body as { response: Response }).response;
    } finally {
      c.close();
    }
  };

  const startWith = async (configText: string, failureMode: 'deny' | 'allow' = 'deny', extra: { tagSeconds?: number } = {}): Promise<{ server: WebhookServer; verifier: ImageVerifier }> => {
    const file = join(dir, `kspect-${closers.length}.yaml`);
    writeFileSync(file, configText);
    const { config } = await loadConfig(file, dir, new Set(allChecks.map((c) => c.id)));
    if (!config.images) throw new Error('the configuration has no images policy');
    const created = await ImageVerifier.create({ policy: config.images, baseDir: dir, ca: readFileSync(tls.ca), ...extra });
    expect(created.problems).toEqual([]);
    const ctx = reviewContext({ config, failureMode });
    const s = await startWebhookServer({ certFile: cert.cert, keyFile: cert.key, review: ctx, images: { review: ctx }, verifier: created.verifier, namespaces: staticNamespaces(NAMESPACES) });
    closers.push(async () => {
      await s.close(100);
      created.verifier.close();
    });
    return { server: s, verifier: created.verifier };
  };

  beforeAll(async () => {
    tools = imageTools() as ImageTools;
    dir = mkdtempSync(join(tmpdir(), 'kspect-webhook-sig-'));
    tls = makeTls(join(dir, 'tls'));
    const env = { ca: tls.ca, cwd: dir };
    reg = await startRegistry(tools, tls);
    R = reg.host;
    tool(tools.cosign, ['generate-key-pair'], env); // cosign.key / cosign.pub
    tool(tools.cosign, ['generate-key-pair', '--output-key-prefix', 'other'], env);
    const sign = (ref: string, key = 'cosign.key'): void => {
      tool(tools.cosign, ['sign', '--key', key, '--use-signing-config=false', '--tlog-upload=false', ref], env);
    };
    d.signed = buildImage(tools, `${R}/app:signed`, 'signed', env);
    sign(`${R}/app@${d.signed}`);
    d.unsigned = buildImage(tools, `${R}/app:unsigned`, 'unsigned', env);
    d.other = buildImage(tools, `${R}/app:other`, 'other', env);
    sign(`${R}/app@${d.other}`, 'other.key');
    d.later = buildImage(tools, `${R}/app:later`, 'later', env);
    cert = servingCert();
    ({ server, verifier } = await startWith(`images:\n  signatures:\n    - name: team\n      images: ["${R}/app"]\n      keys: [cosign.pub]\n      mode: enforce\n  registries:\n    ca: tls/ca.crt\n`));
  }, 600_000);

  afterAll(async () => {
    for (const c of closers) await c();
    if (!registryStopped) await reg.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(cert.dir, { recursive: true, force: true });
  });

  it('enforce: a signed image is allowed and its signer named in an audit annotation', async () => {
    const r = await review('/validate/enforce?timeout=10s', admissionReview(compliantPod('ok', `${R}/app@${d.signed}`), { namespace: 'enf' }));
    expect(r.allowed).toBe(true);
    expect(r.auditAnnotations?.['image-signers']).toContain(`container "app" image ${R}/app@${d.signed}: signed by key cosign.pub (rule "team")`);
  });

  it('enforce: unsigned and signed by another key are denied with image-signature and the reason per container', async () => {
    const u = await review('/validate/enforce?timeout=10s', admissionReview(compliantPod('unsigned', `${R}/app@${d.unsigned}`), { namespace: 'enf' }));
    expect(u.allowed).toBe(false);
    expect(u.status?.code).toBe(403);
    expect(u.status?.message).toContain('[image-signature/high] spec.containers[0].image');
    expect(u.status?.message).toContain(`container "app" image ${R}/app@${d.unsigned} is not signed; rule "team" requires a signature`);
    const o = await review('/validate/enforce?timeout=10s', admissionReview(compliantPod('other', `${R}/app@${d.other}`), { namespace: 'enf' }));
    expect(o.allowed).toBe(false);
    expect(o.status?.message).toContain('[image-signature/high]');
    expect(o.status?.message).toContain('has signatures, but none by a key or identity rule "team" trusts');
  });

  it('a tag is resolved to its digest: the signed tag is allowed, the unsigned tag denied', async () => {
    expect((await review('/validate/enforce?timeout=10s', admissionReview(compliantPod('tag-ok', `${R}/app:signed`), { namespace: 'enf' }))).allowed).toBe(true);
    const u = await review('/validate/enforce?timeout=10s', admissionReview(compliantPod('tag-bad', `${R}/app:unsigned`), { namespace: 'enf' }));
    expect(u.allowed).toBe(false);
    expect(u.status?.message).toContain(`(${d.unsigned}) is not signed`);
  });

  it('a second review of the same digest makes no registry request (the registry counts them)', async () => {
    const image = `${R}/app@${d.later}`;
    await reg.stats(true);
    const before = verifier.requests();
    const first = await review('/validate/enforce?timeout=10s', admissionReview(compliantPod('later-1', image), { namespace: 'enf' }));
    expect(first.allowed).toBe(false);
    const firstCount = Object.values(await reg.stats()).reduce((a, b) => a + b, 0);
    await reg.stats(true);
    expect(firstCount).toBeGreaterThan(0);
    expect(verifier.requests()).toBeGreaterThan(before);
    const mid = verifier.requests();
    // Another pod, the enforce, warn and audit endpoints: the digest's evidence is cached.
    for (const [path, namespace] of [['/validate/enforce', 'enf'], ['/validate/warn', 'wrn'], ['/validate/audit', 'aud']] as const) await review(`${path}?timeout=10s`, admissionReview(compliantPod('later-2', image), { namespace }));
    expect(await reg.stats()).toEqual({});
    expect(verifier.requests()).toBe(mid);
  });

  it('pods/ephemeralcontainers: an unsigned debug container is refused like any container', async () => {
    const pod = compliantPod('debugged', `${R}/app@${d.signed}`);
    const withDebug = { ...pod, spec: { ...(pod.spec as Record<string, unknown>), ephemeralContainers: [{ name: 'debug', image: `${R}/app@${d.unsigned}` }] } };
    const r = await review('/validate/enforce?timeout=10s', admissionReview(withDebug, { namespace: 'enf', operation: 'UPDATE', subResource: 'ephemeralcontainers', oldObject: pod }));
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain('[image-signature/high] spec.ephemeralContainers[0].image');
    expect(r.status?.message).toContain(`container "debug" image ${R}/app@${d.unsigned} is not signed`);
  });

  it('webhook serve: trust material that cannot be read stops it at start; registry flags without a rule are refused', async () => {
    const nsFile = join(dir, 'namespaces.yaml');
    writeFileSync(nsFile, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: enf}\n');
    writeFileSync(join(dir, 'missing-key.yaml'), `images:\n  signatures:\n    - name: team\n      images: ["${R}/app"]\n      keys: [no-such.pub]\n`);
    const bad = await runCli(['webhook', 'serve', '--workers', '1', '--tls-cert', cert.cert, '--tls-key', cert.key, '--listen', '127.0.0.1:0', '--namespaces', nsFile, '--config', join(dir, 'missing-key.yaml')], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('signature rule "team": cannot read');
    expect(bad.stderr).toContain('no-such.pub');
    const flags = await runCli(['webhook', 'serve', '--workers', '1', '--tls-cert', cert.cert, '--tls-key', cert.key, '--namespaces', nsFile, '--docker-config', join(dir, 'x.json')], { cwd: dir });
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain('--docker-config is for reading image signatures, and .kspect.yaml has no images.signatures rule');
  });

  it('a tag is asked again (tags move), but once its digest is known that one request is all', async () => {
    const fresh = await startWith(`images:\n  signatures:\n    - name: team\n      images: ["${R}/app"]\n      keys: [cosign.pub]\n      mode: enforce\n  registries:\n    ca: tls/ca.crt\n`, 'deny', { tagSeconds: 0 });
    const c = webhookClient(fresh.server.url, cert.ca);
    const ask = async (name: string): Promise<Response> => ((await c.post('/validate/enforce?timeout=10s', admissionReview(compliantPod(name, `${R}/app:signed`), { namespace: 'enf' }))).body as { response: Response }).response;
    expect((await ask('tag-1')).allowed).toBe(true);
    await reg.stats(true);
    expect((await ask('tag-2')).allowed).toBe(true);
    const counts = await reg.stats();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
    expect(Object.keys(counts)[0]).toContain('/manifests/signed');
    c.close();
  });

  it('warn and audit: the finding is a warning and an annotation, the Pod allowed', async () => {
    const w = await review('/validate/warn?timeout=10s', admissionReview(compliantPod('w', `${R}/app@${d.unsigned}`), { namespace: 'wrn' }));
    expect(w.allowed).toBe(true);
    expect(w.warnings?.join('\n')).toContain('kspect [image-signature/high] spec.containers[0].image');
    const a = await review('/validate/audit?timeout=10s', admissionReview(compliantPod('a', `${R}/app@${d.unsigned}`), { namespace: 'aud' }));
    expect(a.allowed).toBe(true);
    expect(a.auditAnnotations?.checks).toBe('image-signature');
    expect(a.auditAnnotations?.violations).toContain('is not signed');
  });

  it('ImageReview: the signed image is allowed with its signer, the unsigned one denied with the reason', async () => {
    const body = (image: string): unknown => ({ apiVersion: 'imagepolicy.k8s.io/v1alpha1', kind: 'ImageReview', spec: { containers: [{ image }], namespace: 'plain' } });
    const c = webhookClient(server.url, cert.ca);
    const ok = (await c.post('/imagereview', body(`${R}/app@${d.signed}`))).body as { status: { allowed: boolean; reason?: string; auditAnnotations?: Record<string, string> } };
    expect(ok.status.allowed).toBe(true);
    expect(ok.status.auditAnnotations?.['image-signers']).toContain('signed by key cosign.pub');
    expect(ok.status.auditAnnotations?.['signatures-not-evaluated']).toBeUndefined();
    const bad = (await c.post('/imagereview', body(`${R}/app@${d.unsigned}`))).body as { status: { allowed: boolean; reason?: string } };
    expect(bad.status.allowed).toBe(false);
    expect(bad.status.reason).toContain('[image-signature/high]');
    expect(bad.status.reason).toContain('is not signed');
    c.close();
  });

  it('the deadline: a registry that never answers gets the failure mode within ?timeout=, saying why', async () => {
    // A registry that accepts connections and never says a word (plain HTTP, so the request itself hangs).
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    closers.push(() => {
      for (const s of sockets) s.destroy();
      silent.close();
    });
    const host = `127.0.0.1:${port}`;
    const digest = `sha256:${'a'.repeat(64)}`;
    const deny = await startWith(`images:\n  signatures:\n    - name: silent\n      images: ["${host}/**"]\n      keys: [cosign.pub]\n      mode: enforce\n  registries:\n    insecure: ["${host}"]\n`);
    const c = webhookClient(deny.server.url, cert.ca);
    const r = ((await c.post('/validate/enforce?timeout=1s', admissionReview(compliantPod('slow', `${host}/app@${digest}`), { namespace: 'enf' }))).body as { response: Response }).response;
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(500);
    expect(r.status?.message).toContain("image-signature: image signatures not evaluated: the registries did not answer within the API server's timeout (1000 ms)");
    expect(r.status?.message).toContain('denied by the failure mode (deny)');
    // warn: allowed, with the reason as a warning — never silently passed.
    const w = ((await c.post('/validate/warn?timeout=1s', admissionReview(compliantPod('slow', `${host}/app@${digest}`), { namespace: 'wrn' }))).body as { response: Response }).response;
    expect(w.allowed).toBe(true);
    expect(w.warnings?.join('\n')).toContain('image signatures not evaluated');
    c.close();
  });

  it('the registry stopped: enforce answers with the failure mode and the reason (deny, then allow); nothing unverified is cached', async () => {
    const allow = await startWith(`images:\n  signatures:\n    - name: team\n      images: ["${R}/app"]\n      keys: [cosign.pub]\n      mode: enforce\n  registries:\n    ca: tls/ca.crt\n`, 'allow');
    await reg.stop();
    registryStopped = true;
    // A digest never reviewed before: its evidence must come from the (stopped) registry.
    const image = `${R}/app@sha256:${'b'.repeat(64)}`;
    const r = await review('/validate/enforce?timeout=10s', admissionReview(compliantPod('down', image), { namespace: 'enf' }));
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(500);
    expect(r.status?.message).toMatch(/image-signature: container "app" image .*: signature rule "team" not evaluated: .*ECONNREFUSED/);
    expect(r.status?.message).toContain('denied by the failure mode (deny)');
    const c = webhookClient(allow.server.url, cert.ca);
    const a = ((await c.post('/validate/enforce?timeout=10s', admissionReview(compliantPod('down', image), { namespace: 'enf' }))).body as { response: Response }).response;
    expect(a.allowed).toBe(true);
    expect(a.warnings?.[0]).toContain('not evaluated');
    expect(a.warnings?.[0]).toContain('allowed by the failure mode (allow)');
    const audit = ((await c.post('/validate/audit?timeout=10s', admissionReview(compliantPod('down', image), { namespace: 'aud' }))).body as { response: Response }).response;
    expect(audit.allowed).toBe(true);
    expect(audit.auditAnnotations?.['not-evaluated']).toContain('signature rule "team" not evaluated');
    c.close();
  });
});
