/**
 * `kspect scan --cluster --apply-reports`: write the run's PolicyReports to the cluster — the only writes kspect ever
 * makes, and only to the report resources. Server-side apply under the field manager `kspect`; idempotent (a report
 * whose results are unchanged apart from their timestamps is not written at all); pruned (kspect's reports for
 * namespaces whose objects are gone, and split parts no longer needed, are deleted). `auto` picks whichever API the
 * cluster serves, openreports.io first.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { Report } from '../core/report.js';
import { getArray, getObject, getString, isObject } from '../model/object.js';
import { MANAGED_BY, policyReports, REPORT_API_KINDS, type PolicyReportObject, type ReportApi } from '../reporters/policyreport.js';
import { ClusterError, connect, type Connection } from './cluster.js';

export const FIELD_MANAGER = 'kspect';

export interface ApplyReportsOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly api?: ReportApi | 'auto';
  /** Namespaces whose objects were scanned: each gets a report (empty when clean). */
  readonly namespaces: readonly string[];
  /** Prune only in these namespaces (`-n`); every namespace when absent. */
  readonly scope?: readonly string[];
  readonly budget?: number;
  /** Limit of one API request (default: the cluster source's). */
  readonly timeoutMs?: number;
}

export interface ApplyReportsResult {
  readonly api: ReportApi;
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly unchanged: readonly string[];
  readonly deleted: readonly string[];
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

function send(conn: Connection, method: string, path: string, body?: string, contentType = 'application/json'): Promise<Reply> {
  const url = new URL(conn.server + path);
  const headers: Record<string, string> = { ...(conn.options.headers as Record<string, string> | undefined), accept: 'application/json', 'user-agent': 'kspect' };
  if (body !== undefined) {
    headers['content-type'] = contentType;
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { ...conn.options, method, headers, timeout: conn.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: keep the text for the message
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new ClusterError(`${method} ${path}: no answer within ${conn.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function message(r: Reply): string {
  return (isObject(r.body) ? getString(r.body, 'message') : undefined) ?? `HTTP ${r.status}`;
}

/** Which report API the cluster serves (openreports.io first), or undefined. */
export async function servedReportApi(conn: Connection): Promise<ReportApi | undefined> {
  for (const api of ['openreports', 'wgpolicyk8s'] as const) {
    const k = REPORT_API_KINDS[api];
    const r = await send(conn, 'GET', `/apis/${k.group}/${k.version}`);
    if (r.status === 200 && getArray(r.body, 'resources').some((x) => getString(x, 'name') === k.plural)) return api;
  }
  return undefined;
}

function pathOf(api: ReportApi, namespace: string | undefined, name?: string): string {
  const k = REPORT_API_KINDS[api];
  const base = namespace !== undefined ? `/apis/${k.group}/${k.version}/namespaces/${encodeURIComponent(namespace)}/${k.plural}` : `/apis/${k.group}/${k.version}/${k.clusterPlural}`;
  return name !== undefined ? `${base}/${encodeURIComponent(name)}` : base;
}

/** JSON with object keys sorted at every level (the API server returns stored objects with sorted keys). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** What a report says, without what changes every run (timestamps) and what the server adds. */
function essence(o: unknown): string {
  const meta = getObject(o, 'metadata');
  const results = getArray(o, 'results').map((r) => (isObject(r) ? Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'timestamp')) : r));
  return canonical([getObject(meta, 'labels') ?? {}, getObject(o, 'summary') ?? {}, getString(o, 'source') ?? '', results]);
}

/** Apply the reports of a Report and prune kspect's stale ones. */
export async function applyPolicyReports(report: Report, opts: ApplyReportsOptions): Promise<ApplyReportsResult> {
  const conn = await connect({ ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context !== undefined ? { context: opts.context } : {}), ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) });
  const api = opts.api === undefined || opts.api === 'auto' ? await servedReportApi(conn) : opts.api;
  if (!api) throw new ClusterError('the cluster serves neither openreports.io/v1alpha1 Reports nor wgpolicyk8s.io/v1alpha2 PolicyReports (install one of the CRDs, or write -f policyreport to a file)');
  const objects: PolicyReportObject[] = policyReports(report, { api, namespaces: opts.namespaces, ...(opts.budget !== undefined ? { budget: opts.budget } : {}) });
  const created: string[] = [];
  const updated: string[] = [];
  const unchanged: string[] = [];
  const deleted: string[] = [];
  const id = (o: { metadata: { namespace?: string; name: string } } | undefined, kind: string): string => `${kind} ${o?.metadata.namespace !== undefined ? `${o.metadata.namespace}/` : ''}${o?.metadata.name ?? ''}`;
  const wanted = new Set<string>();
  for (const o of objects) {
    const path = pathOf(api, o.metadata.namespace, o.metadata.name);
    wanted.add(path);
    const current = await send(conn, 'GET', path);
    if (current.status === 200 && essence(current.body) === essence(o)) {
      unchanged.push(id(o, o.kind));
      continue;
    }
    if (current.status !== 200 && current.status !== 404) throw new ClusterError(`GET ${path}: ${message(current)}`);
    const r = await send(conn, 'PATCH', `${path}?fieldManager=${FIELD_MANAGER}&force=true`, JSON.stringify(o), 'application/apply-patch+yaml');
    if (r.status !== 200 && r.status !== 201) throw new ClusterError(`apply ${id(o, o.kind)}: ${message(r)}`);
    (current.status === 404 ? created : updated).push(id(o, o.kind));
  }
  // Prune: kspect's reports (by label) that this run did not write, within the namespaces it scanned.
  const selector = `labelSelector=${encodeURIComponent(Object.entries(MANAGED_BY).map(([k, v]) => `${k}=${v}`).join(','))}`;
  const k = REPORT_API_KINDS[api];
  const lists: { path: string; kind: string }[] = [{ path: `/apis/${k.group}/${k.version}/${k.plural}?${selector}`, kind: k.namespaced }];
  if (opts.scope === undefined) lists.push({ path: `${pathOf(api, undefined)}?${selector}`, kind: k.cluster });
  for (const list of lists) {
    const r = await send(conn, 'GET', list.path);
    if (r.status !== 200) throw new ClusterError(`list ${list.kind}: ${message(r)}`);
    for (const item of getArray(r.body, 'items')) {
      const meta = getObject(item, 'metadata');
      const name = getString(meta, 'name') ?? '';
      const namespace = getString(meta, 'namespace');
      if (opts.scope !== undefined && (namespace === undefined || !opts.scope.includes(namespace))) continue;
      const path = pathOf(api, namespace, name);
      if (wanted.has(path)) continue;
      const d = await send(conn, 'DELETE', path);
      if (d.status !== 200 && d.status !== 202 && d.status !== 404) throw new ClusterError(`delete ${list.kind} ${name}: ${message(d)}`);
      deleted.push(`${list.kind} ${namespace !== undefined ? `${namespace}/` : ''}${name}`);
    }
  }
  return { api, created, updated, unchanged, deleted };
}
