/**
 * Test-side helpers to talk to the testbed: raw requests with the admin certificate, applying objects through the
 * API (the tests write; kspect never does), and reading etcd directly.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { Testbed } from './testbed.js';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** A request to kube-apiserver as the testbed admin (system:masters). */
export function kube(tb: Testbed, method: string, path: string, body?: unknown, user = 'testbed-admin'): Promise<Reply> {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${tb.url}${path}`,
      {
        method,
        ca: readFileSync(tb.ca),
        cert: readFileSync(join(tb.dir, `user-${user}.crt`)),
        key: readFileSync(join(tb.dir, `user-${user}.key`)),
        headers: { accept: 'application/json', ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

export async function mustKube(tb: Testbed, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await kube(tb, method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}

export async function createNamespace(tb: Testbed, name: string, labels: Record<string, string> = {}): Promise<void> {
  const r = await kube(tb, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`create namespace ${name}: HTTP ${r.status}`);
  // No controller-manager runs on the testbed: create the default ServiceAccount the ServiceAccount admission plugin needs.
  const sa = await kube(tb, 'POST', `/api/v1/namespaces/${name}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
  if (sa.status !== 201 && sa.status !== 409) throw new Error(`create default service account in ${name}: HTTP ${sa.status}`);
}

/** Read one etcd key through the gateway with the testbed's client certificate. */
export function etcdGet(tb: Testbed, key: string): Promise<Buffer | undefined> {
  const data = Buffer.from(JSON.stringify({ key: Buffer.from(key).toString('base64') }));
  return new Promise((resolve, reject) => {
    const req = request(
      `${tb.etcd.endpoint}/v3/kv/range`,
      { method: 'POST', ca: readFileSync(tb.etcd.ca), cert: readFileSync(tb.etcd.client.cert), key: readFileSync(tb.etcd.client.key), headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const j = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { kvs?: { value?: string }[] };
          const v = j.kvs?.[0]?.value;
          resolve(v === undefined ? undefined : Buffer.from(v, 'base64'));
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

interface Served {
  readonly resource: string;
  readonly namespaced: boolean;
}

/** kind + apiVersion → resource name and scope, from the API server's discovery. */
export async function servedResources(tb: Testbed): Promise<Map<string, Served>> {
  const out = new Map<string, Served>();
  const gvs = ['v1'];
  const apis = (await mustKube(tb, 'GET', '/apis')) as { groups: { versions: { groupVersion: string }[] }[] };
  for (const g of apis.groups) for (const v of g.versions) gvs.push(v.groupVersion);
  for (const gv of gvs) {
    const list = (await mustKube(tb, 'GET', gv === 'v1' ? '/api/v1' : `/apis/${gv}`)) as { resources: { name: string; kind: string; namespaced: boolean }[] };
    for (const r of list.resources) if (!r.name.includes('/')) out.set(`${gv}|${r.kind}`, { resource: r.name, namespaced: r.namespaced });
  }
  return out;
}

export type Manifest = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> & { name?: string; namespace?: string } };

/**
 * Create objects through the API (namespaces first, with their default ServiceAccount). Objects whose API the
 * server does not serve, or that it rejects, are returned as skipped with the reason.
 */
export async function applyObjects(tb: Testbed, objects: readonly Manifest[]): Promise<{ applied: Manifest[]; skipped: { id: string; reason: string }[] }> {
  const served = await servedResources(tb);
  const applied: Manifest[] = [];
  const skipped: { id: string; reason: string }[] = [];
  const namespaces = new Set<string>();
  const ordered = [...objects].sort((a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'));
  for (const o of ordered) {
    const id = `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
    const s = served.get(`${o.apiVersion}|${o.kind}`);
    if (!s) {
      skipped.push({ id, reason: 'API not served' });
      continue;
    }
    const ns = o.metadata.namespace;
    if (s.namespaced && ns !== undefined && !namespaces.has(ns)) {
      await createNamespace(tb, ns);
      namespaces.add(ns);
    }
    const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
    const base = group === '' ? `/api/${version ?? ''}` : `/apis/${group ?? ''}/${version ?? ''}`;
    const path = s.namespaced ? `${base}/namespaces/${ns ?? 'default'}/${s.resource}` : `${base}/${s.resource}`;
    const r = await kube(tb, 'POST', path, o);
    if (r.status === 201 || r.status === 200) {
      applied.push(o);
      if (o.kind === 'Namespace' && o.metadata.name !== undefined) {
        namespaces.add(o.metadata.name);
        await createNamespace(tb, o.metadata.name);
      }
    } else skipped.push({ id, reason: `HTTP ${r.status}: ${JSON.stringify((r.body as { message?: string }).message ?? r.body).slice(0, 200)}` });
  }
  return { applied, skipped };
}

/** Run the machine's kubectl against the testbed (what a user sees: its exit code, output and error lines). */
export function kubectl(tb: Testbed, args: readonly string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', tb.kubeconfig, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(stdin ?? '');
  });
}
