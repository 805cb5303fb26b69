/**
 * The admission decision in-process (src/sources/webhook/review.ts) and the server's robustness over loopback HTTPS:
 * modes from namespace labels and the default, warnings within kubectl's limits and never on a denial, audit
 * annotations, the UPDATE rule, subresources, exemptions, suppression annotations and severity overrides as in scan,
 * label errors failing closed, a crashing check never allowing, the body cap, content type, unknown paths, health.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type KspectConfig } from '../src/core/config.js';
import { allChecks } from '../src/checks/index.js';
import type { AnyCheck } from '../src/framework/define.js';
import { toK8sObject, type K8sObject } from '../src/model/object.js';
import { reviewContext } from '../src/sources/webhook/context.js';
import { staticNamespaces } from '../src/sources/webhook/namespaces.js';
import { admissionResponse, decide, fitWarnings, parseAdmissionReview, significantUpdate, WARNING_MAX, type AdmissionRequest, type WebhookMode } from '../src/sources/webhook/review.js';
import { parseGoDuration, startWebhookServer, type WebhookServer } from '../src/sources/webhook/server.js';
import { reviewImages } from '../src/sources/webhook/imagereview.js';
import { admissionReview, servingCert, webhookClient, type ServingCert } from './support/webhook.js';

const known = new Set(allChecks.map((c) => c.id));
const ns = (name: string, labels: Record<string, string>): K8sObject => toK8sObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }, undefined) as K8sObject;
const privileged = (name = 'web', extra: Record<string, unknown> = {}): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...extra }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', securityContext: { privileged: true } }] } });
const request = (object: Record<string, unknown>, opts: Parameters<typeof admissionReview>[1] = {}): AdmissionRequest => {
  const p = parseAdmissionReview(admissionReview(object, { namespace: 'shop', ...opts }));
  if (!p.ok) throw new Error(p.error);
  return p.request;
};
const config = (yaml: Record<string, unknown>): KspectConfig => {
  const r = parseConfig(yaml, known);
  expect(r.errors).toEqual([]);
  return r.config;
};

describe('admission decision', () => {
  const ctx = reviewContext({});
  const run = (mode: WebhookMode, labels: Record<string, string>, req = request(privileged())) => decide(req, mode, ns('shop', labels), ctx);

  it('enforce denies with 403, the check id, field path and fix; warn and audit allow', () => {
    const d = run('enforce', { 'kspect.dev/enforce': 'high' });
    expect(d.allowed).toBe(false);
    expect(d.status?.code).toBe(403);
    expect(d.status?.message).toContain('[pod-privileged/critical] spec.containers[0].securityContext.privileged');
    expect(d.status?.message).toContain('fix pod-privileged:');
    const r = admissionResponse('u1', { ...d, warnings: ['never shown'] }) as { response: Record<string, unknown> };
    expect(r.response.warnings).toBeUndefined();
    expect(r.response.uid).toBe('u1');
    const w = run('warn', { 'kspect.dev/warn': 'high' });
    expect(w.allowed).toBe(true);
    expect(w.warnings?.some((x) => x.startsWith('kspect [pod-privileged/critical]'))).toBe(true);
    const a = run('audit', { 'kspect.dev/audit': 'pss-baseline' });
    expect(a.allowed).toBe(true);
    expect(a.auditAnnotations?.checks).toBe('pod-privileged');
    expect(a.auditAnnotations?.policy).toBe('pss-baseline');
  });

  it('the warn endpoint adds no warnings to a request the enforce endpoint denies (as PSA)', () => {
    const labels = { 'kspect.dev/enforce': 'high', 'kspect.dev/warn': 'medium' };
    expect(run('enforce', labels).allowed).toBe(false);
    const w = run('warn', labels);
    expect(w.allowed).toBe(true);
    expect(w.warnings ?? []).toEqual([]);
    // Allowed by enforce: warned.
    const compliantEnough = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c' }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] } };
    expect(run('warn', labels, request(compliantEnough)).warnings?.length).toBeGreaterThan(0);
  });

  it('each mode answers only its own label; thresholds and check sets select the findings', () => {
    expect(run('enforce', { 'kspect.dev/warn': 'high' }).allowed).toBe(true);
    expect(run('enforce', { 'kspect.dev/enforce': 'none' }).allowed).toBe(true);
    expect(run('enforce', { 'kspect.dev/enforce': 'pod-host-pid' }).allowed).toBe(true);
    expect(run('enforce', { 'kspect.dev/enforce': 'pod-host-pid.pod-privileged' }).allowed).toBe(false);
    // An invalid value fails closed (every finding counts), and says so.
    const bad = run('warn', { 'kspect.dev/warn': 'hihg' });
    expect(bad.warnings?.[0]).toContain('"hihg" is not a severity');
    expect(run('enforce', { 'kspect.dev/enforce': 'no-such-check' }).allowed).toBe(false);
  });

  it('namespaces without kspect labels follow --default-mode and --fail-on', () => {
    const d = reviewContext({ defaultMode: 'enforce', failOn: 'critical' });
    expect(decide(request(privileged()), 'enforce', ns('shop', {}), d).allowed).toBe(false);
    expect(decide(request(privileged()), 'enforce', undefined, d).allowed).toBe(false);
    expect(decide(request(privileged()), 'warn', ns('shop', {}), d).warnings ?? []).toEqual([]);
    expect(decide(request(privileged()), 'enforce', ns('shop', {}), reviewContext({ defaultMode: 'warn' })).allowed).toBe(true);
  });

  it('workload templates are warned, never enforced (as PSA); subresources and DELETE are not judged', () => {
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: privileged().spec } } };
    expect(run('enforce', { 'kspect.dev/enforce': 'high' }, request(deploy)).allowed).toBe(true);
    expect(run('warn', { 'kspect.dev/warn': 'high' }, request(deploy)).warnings?.join()).toContain('pod-privileged');
    expect(run('enforce', { 'kspect.dev/enforce': 'high' }, request(privileged(), { subResource: 'status', operation: 'UPDATE' })).outcome).toBe('not-judged: subresource status');
    expect(run('enforce', { 'kspect.dev/enforce': 'high' }, request(privileged(), { subResource: 'ephemeralcontainers', operation: 'UPDATE' })).allowed).toBe(false);
    expect(run('enforce', { 'kspect.dev/enforce': 'high' }, request(privileged(), { operation: 'DELETE' })).allowed).toBe(true);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} };
    expect(run('enforce', { 'kspect.dev/enforce': 'info' }, request(cm)).outcome).toBe('not-judged: kind /ConfigMap');
  });

  it('an UPDATE is judged only when a security-relevant field changed (PSA\'s rule for pods)', () => {
    const old = privileged('web', { labels: { a: '1' } });
    const relabelled = privileged('web', { labels: { a: '2' } });
    expect(run('enforce', { 'kspect.dev/enforce': 'high' }, request(relabelled, { operation: 'UPDATE', oldObject: old })).outcome).toBe('unchanged: no security-relevant field changed');
    const reimaged = { ...old, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.9', securityContext: { privileged: true } }] } };
    expect(run('enforce', { 'kspect.dev/enforce': 'high' }, request(reimaged, { operation: 'UPDATE', oldObject: old })).allowed).toBe(false);
    expect(significantUpdate('Deployment', { kind: 'Deployment', metadata: { resourceVersion: '2' }, spec: { replicas: 2 }, status: { a: 1 } }, { kind: 'Deployment', metadata: { resourceVersion: '1' }, spec: { replicas: 2 } })).toBe(false);
    expect(significantUpdate('Deployment', { kind: 'Deployment', metadata: {}, spec: { replicas: 3 } }, { kind: 'Deployment', metadata: {}, spec: { replicas: 2 } })).toBe(true);
  });

  it('exemptions (namespaces, usernames, runtimeClasses), suppression annotations and severity overrides apply as in scan', () => {
    const ex = reviewContext({ config: config({ webhook: { exemptions: { namespaces: ['sh*'], usernames: [], runtimeClasses: [] } } }) });
    expect(decide(request(privileged()), 'enforce', ns('shop', { 'kspect.dev/enforce': 'high' }), ex).outcome).toBe('exempt: namespace');
    const user = reviewContext({ config: config({ webhook: { exemptions: { usernames: ['ci-bot'] } } }) });
    expect(decide(request(privileged(), { username: 'ci-bot' }), 'enforce', ns('shop', { 'kspect.dev/enforce': 'high' }), user).allowed).toBe(true);
    expect(decide(request(privileged(), { username: 'alice' }), 'enforce', ns('shop', { 'kspect.dev/enforce': 'high' }), user).allowed).toBe(false);
    const rc = reviewContext({ config: config({ webhook: { exemptions: { runtimeClasses: ['kata'] } } }) });
    const kata = { ...privileged(), spec: { ...(privileged().spec as object), runtimeClassName: 'kata' } };
    expect(decide(request(kata), 'enforce', ns('shop', { 'kspect.dev/enforce': 'high' }), rc).outcome).toBe('exempt: runtimeClass');
    // kspect.dev/ignore on the object: suppressed for pod-privileged, but the Pod Security restatement still counts.
    const ignored = privileged('web', { annotations: { 'kspect.dev/ignore': 'pod-privileged,pss-baseline — vetted' } });
    expect(run('enforce', { 'kspect.dev/enforce': 'high' }, request(ignored)).allowed).toBe(true);
    const lowered = reviewContext({ config: config({ severity: { 'pod-privileged': 'low', 'pss-baseline': 'low' } }) });
    expect(decide(request(privileged()), 'enforce', ns('shop', { 'kspect.dev/enforce': 'high' }), lowered).allowed).toBe(true);
  });

  it('a crashing check never allows by accident: the failure mode decides and the answer says why', () => {
    const real = allChecks.find((c) => c.id === 'pod-privileged');
    if (!real) throw new Error('no pod-privileged');
    const boom: AnyCheck = { ...real, create: () => () => { throw new Error('kaboom'); } };
    const base = reviewContext({});
    const crashing = { ...base, checks: base.checks.map((a) => (a.check.id === 'pod-privileged' ? { ...a, check: boom } : a)).filter((a) => a.check.id !== 'pss-baseline' && a.check.id !== 'pss-restricted') };
    const benign = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ok' }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] } };
    const d = decide(request(benign), 'enforce', ns('shop', { 'kspect.dev/enforce': 'high' }), crashing);
    expect(d.allowed).toBe(false);
    expect(d.status?.message).toContain('kaboom');
    const allow = decide(request(benign), 'enforce', ns('shop', { 'kspect.dev/enforce': 'high' }), { ...crashing, failureMode: 'allow' });
    expect(allow.allowed).toBe(true);
    expect(allow.warnings?.[0]).toContain('allowed by the failure mode (allow)');
  });

  it('the enforce, warn and audit calls for one object share one evaluation; another object is judged anew', () => {
    const real = allChecks.find((c) => c.id === 'pod-privileged');
    if (!real) throw new Error('no pod-privileged');
    let created = 0;
    const counting: AnyCheck = { ...real, create: (c, o) => { created++; return real.create(c, o); } };
    const base = reviewContext({});
    const counted = { ...base, checks: base.checks.map((a) => (a.check.id === 'pod-privileged' ? { ...a, check: counting } : a)) };
    const labels = ns('shop', { 'kspect.dev/enforce': 'high', 'kspect.dev/warn': 'medium', 'kspect.dev/audit': 'low' });
    for (const mode of ['enforce', 'warn', 'audit'] as const) decide(request(privileged('one')), mode, labels, counted);
    expect(created).toBe(1);
    decide(request(privileged('two')), 'enforce', labels, counted);
    expect(created).toBe(2);
  });

  it('warnings stay under 256 bytes each and 4 KiB in all, the rest counted', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `kspect [x/high] ${'y'.repeat(200)} ${i}`);
    const fitted = fitWarnings(lines);
    expect(fitted.join('').length).toBeLessThanOrEqual(4096);
    expect(fitted.at(-1)).toMatch(/\d+ more findings not shown/);
    const many = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'm' }, spec: { hostPID: true, hostIPC: true, hostNetwork: true, containers: Array.from({ length: 30 }, (_, i) => ({ name: `c${i}`, image: 'nginx', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } } })) } };
    const w = run('warn', { 'kspect.dev/warn': 'info' }, request(many)).warnings ?? [];
    expect(w.length).toBeGreaterThan(5);
    for (const x of w) expect(Buffer.byteLength(x)).toBeLessThanOrEqual(WARNING_MAX);
    expect(Buffer.byteLength(w.join(''))).toBeLessThanOrEqual(4096);
  });

  it('ImageReview: mutable tags and unpinned images by the configured severity; not an ImageReview is an error', () => {
    const review = (image: string) => ({ apiVersion: 'imagepolicy.k8s.io/v1alpha1', kind: 'ImageReview', spec: { containers: [{ image }], namespace: 'shop' } });
    const ctx2 = reviewContext({});
    const bad = reviewImages(review('nginx:latest'), { review: ctx2 });
    expect(bad.ok && bad.response.status.allowed).toBe(false);
    expect(bad.ok && bad.response.status.reason).toContain('image-latest-tag');
    const ok = reviewImages(review('nginx:1.27'), { review: ctx2 });
    expect(ok.ok && ok.response.status.allowed).toBe(true);
    const strict = reviewImages(review('nginx:1.27'), { review: ctx2, failOn: 'info' });
    expect(strict.ok && strict.response.status.reason).toContain('image-no-digest');
    const registries = reviewContext({ config: config({ checks: { enable: ['image-registry-not-allowed'] }, parameters: { 'image-registry-not-allowed': { allowedRegistries: ['registry.k8s.io'] } } }) });
    expect((reviewImages(review('docker.io/library/nginx:1.27'), { review: registries }) as { response: { status: { allowed: boolean } } }).response.status.allowed).toBe(false);
    expect((reviewImages(review('registry.k8s.io/pause:3.10'), { review: registries }) as { response: { status: { allowed: boolean } } }).response.status.allowed).toBe(true);
    expect(reviewImages({ kind: 'AdmissionReview' }, { review: ctx2 }).ok).toBe(false);
  });

  it('reads the API server\'s ?timeout= (Go durations)', () => {
    expect(parseGoDuration('10s')).toBe(10_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('500ms')).toBe(500);
    expect(parseGoDuration('x')).toBeUndefined();
  });
});

describe('webhook server robustness (loopback HTTPS)', () => {
  let cert: ServingCert;
  let server: WebhookServer;
  const lines: string[] = [];
  beforeAll(async () => {
    cert = servingCert();
    server = await startWebhookServer({ certFile: cert.cert, keyFile: cert.key, review: reviewContext({}), namespaces: staticNamespaces([ns('shop', { 'kspect.dev/enforce': 'high' })]), log: (level, msg, fields) => lines.push(JSON.stringify({ level, msg, ...fields })), certPollMs: 100 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(cert.dir, { recursive: true, force: true });
  });

  it('health, readiness, unknown paths, content type, malformed reviews, the 3 MiB cap', async () => {
    const c = webhookClient(server.url, cert.ca);
    expect((await c.get('/healthz')).status).toBe(200);
    expect((await c.get('/readyz')).status).toBe(200);
    expect((await c.post('/validate/nope', {})).status).toBe(404);
    expect((await c.post('/validate/enforce', admissionReview(privileged()), { 'content-type': 'application/yaml' })).status).toBe(400);
    expect((await c.post('/validate/enforce', '{not json')).status).toBe(400);
    expect((await c.post('/validate/enforce', { apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: { uid: 'x' } })).status).toBe(400);
    const big = admissionReview({ ...privileged(), metadata: { name: 'big', annotations: { pad: 'x'.repeat(3 * 1024 * 1024) } } });
    expect((await c.post('/validate/enforce', big)).status).toBe(413);
    const ok = await c.post('/validate/enforce?timeout=10s', admissionReview(privileged(), { namespace: 'shop' }));
    expect(ok.status).toBe(200);
    expect((ok.body as { response: { allowed: boolean } }).response.allowed).toBe(false);
    c.close();
    expect(lines.some((l) => l.includes('refused: content type'))).toBe(true);
    expect(lines.some((l) => l.includes('"msg":"admission"') && l.includes('"allowed":false'))).toBe(true);
  });

  it('reloads the serving certificate when the files change, without a restart', async () => {
    const { copyFileSync } = await import('node:fs');
    const next = cert.authority.issue('webhook2', { cn: 'kspect-webhook-2', server: true, client: false, sans: ['IP:127.0.0.1'] });
    copyFileSync(next.cert, cert.cert);
    copyFileSync(next.key, cert.key);
    for (let i = 0; i < 100 && server.reloads() === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(server.reloads()).toBe(1);
    const { connect } = await import('node:tls');
    const { readFileSync } = await import('node:fs');
    const cn = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: server.port, ca: readFileSync(cert.ca) }, () => {
        resolve(String(s.getPeerCertificate().subject.CN));
        s.end();
      });
      s.on('error', reject);
    });
    expect(cn).toBe('kspect-webhook-2');
    // TLS 1.1 is refused.
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: server.port, ca: readFileSync(cert.ca), maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, () => { s.end(); resolve(false); });
      s.on('error', () => { resolve(true); });
    });
    expect(refused).toBe(true);
  });
});
