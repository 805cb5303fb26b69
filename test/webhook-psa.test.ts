/**
 * The webhook decides exactly as the PodSecurity admission controller: every one of upstream's 4,537
 * pod-security-admission fixtures (../shared/conformance/pod-security-admission, PROVENANCE.md there) is posted as an
 * admission.k8s.io/v1 AdmissionReview over HTTPS to `kspect webhook serve`'s server, in a namespace labelled with
 * the fixture's level and version (`pod-security.kubernetes.io/enforce`, `enforce-version`) and with
 * `kspect.dev/enforce: pss-baseline.pss-restricted`. Pass fixtures must be allowed, fail fixtures denied with HTTP
 * 403 in the status — the same allow/deny as PSA, no more, no less.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { reviewContext } from '../src/sources/webhook/context.js';
import { staticNamespaces } from '../src/sources/webhook/namespaces.js';
import { startWebhookServer, type WebhookServer } from '../src/sources/webhook/server.js';
import { toK8sObject } from '../src/model/object.js';
import { admissionReview, servingCert, webhookClient, type ServingCert } from './support/webhook.js';

function findFixtures(): string | undefined {
  for (const up of ['..', '../..']) {
    const dir = resolve(import.meta.dirname, '..', up, 'shared/conformance/pod-security-admission');
    if (existsSync(join(dir, 'PROVENANCE.md'))) return dir;
  }
  return undefined;
}

const ROOT = findFixtures();

interface Case {
  readonly namespace: string;
  readonly file: string;
  readonly expect: 'pass' | 'fail';
  readonly pod: Record<string, unknown>;
}

function cases(root: string): { cases: Case[]; namespaces: { name: string; level: string; version: string }[] } {
  const out: Case[] = [];
  const namespaces: { name: string; level: string; version: string }[] = [];
  for (const level of ['baseline', 'restricted']) {
    for (const version of readdirSync(join(root, level)).filter((v) => /^v1\.\d+$/.test(v))) {
      const name = `psa-${level}-${version.replace('.', '-')}`;
      namespaces.push({ name, level, version });
      for (const outcome of ['pass', 'fail'] as const) {
        const dir = join(root, level, version, outcome);
        if (!existsSync(dir)) continue;
        for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
          const pod = parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
          out.push({ namespace: name, file: `${level}/${version}/${outcome}/${f}`, expect: outcome, pod });
        }
      }
    }
  }
  return { cases: out, namespaces };
}

describe('webhook: PSA fixtures replayed as AdmissionReviews', () => {
  it('finds the fixtures beside the repository', () => {
    expect(ROOT).toBeDefined();
  });
  if (!ROOT) return;
  const all = cases(ROOT);
  let cert: ServingCert;
  let server: WebhookServer;
  beforeAll(async () => {
    cert = servingCert();
    const namespaces = all.namespaces.map((n) =>
      toK8sObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: { 'pod-security.kubernetes.io/enforce': n.level, 'pod-security.kubernetes.io/enforce-version': n.version, 'kspect.dev/enforce': 'pss-baseline.pss-restricted' } } }, undefined),
    ).filter((n) => n !== undefined);
    server = await startWebhookServer({ certFile: cert.cert, keyFile: cert.key, review: reviewContext({}), namespaces: staticNamespaces(namespaces) });
  });
  afterAll(async () => {
    await server.close();
    rmSync(cert.dir, { recursive: true, force: true });
  });

  it(`all ${all.cases.length} fixtures get PSA's decision`, { timeout: 300_000 }, async () => {
    expect(all.cases.length).toBe(4537);
    const client = webhookClient(server.url, cert.ca, 16);
    const wrong: string[] = [];
    let denied = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < all.cases.length) {
        const c = all.cases[next++];
        if (!c) return;
        const r = await client.post('/validate/enforce', admissionReview(c.pod, { namespace: c.namespace }));
        const response = (r.body as { response?: { allowed?: boolean; status?: { code?: number; message?: string }; warnings?: unknown } }).response;
        if (r.status !== 200 || !response) {
          wrong.push(`${c.file}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
          continue;
        }
        if (response.allowed === false) denied++;
        if (c.expect === 'pass' && response.allowed !== true) wrong.push(`${c.file}: denied: ${response.status?.message ?? ''}`);
        if (c.expect === 'fail' && (response.allowed !== false || response.status?.code !== 403)) wrong.push(`${c.file}: allowed`);
        if (response.allowed === false && response.warnings !== undefined) wrong.push(`${c.file}: warnings on a denied request`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    client.close();
    expect(wrong.slice(0, 20), `${wrong.length} fixtures decided unlike PSA`).toEqual([]);
    expect(denied).toBe(3486);
  });
});
