/**
 * PolicyReports: a Report as the objects the Kubernetes policy-report APIs define — `wgpolicyk8s.io/v1alpha2`
 * PolicyReport / ClusterPolicyReport or `openreports.io/v1alpha1` Report / ClusterReport — one per namespace (and a
 * cluster one for cluster-scoped objects and findings without an object), split by a byte budget so that none nears
 * etcd's 1.5 MiB object limit. Each result carries the check id as policy, its category, the severity in the API's
 * lower-case enum, `timestamp` as `{seconds, nanos}` (the CRDs' schema), the object and field path, and the line and
 * framework ids as properties. Suppressed findings are `skip` results and what could not be evaluated is `error` (or
 * `skip` for manual controls), with the reason: nothing is silently missing. Pure: the names are derived from the
 * content, so the same Report always gives the same objects (the cluster source applies them idempotently).
 */
import type { Finding, NotEvaluated, ResourceRef } from '../core/finding.js';
import type { FrameworkScore, Report } from '../core/report.js';
import { FRAMEWORK_IDS, type FrameworkId, type MappedControl } from '../engines/frameworks/data.js';
import { ChunkWriter, collect, type Sink } from './chunks.js';
import { LazyArray, Walk, hardenJson, writeJsonText } from './safe-json.js';

export const REPORT_APIS = ['wgpolicyk8s', 'openreports'] as const;
export type ReportApi = (typeof REPORT_APIS)[number];

/** Group/version and kinds of each API. */
export const REPORT_API_KINDS: Readonly<Record<ReportApi, { readonly apiVersion: string; readonly group: string; readonly version: string; readonly namespaced: string; readonly cluster: string; readonly plural: string; readonly clusterPlural: string }>> = {
  wgpolicyk8s: { apiVersion: 'wgpolicyk8s.io/v1alpha2', group: 'wgpolicyk8s.io', version: 'v1alpha2', namespaced: 'PolicyReport', cluster: 'ClusterPolicyReport', plural: 'policyreports', clusterPlural: 'clusterpolicyreports' },
  openreports: { apiVersion: 'openreports.io/v1alpha1', group: 'openreports.io', version: 'v1alpha1', namespaced: 'Report', cluster: 'ClusterReport', plural: 'reports', clusterPlural: 'clusterreports' },
};

/** The label every report kspect writes carries (and pruning selects on). */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kspect' } as const;

/** Default byte budget of one report's results (serialised JSON): far below etcd's 1.5 MiB. */
export const DEFAULT_REPORT_BUDGET = 512 * 1024;

export interface PolicyReportOptions {
  readonly api?: ReportApi;
  /** Bytes of results per report object. */
  readonly budget?: number;
  /** Namespaces that were scanned: each gets a report, empty when nothing was found there (a clean bill). */
  readonly namespaces?: readonly string[];
  /** The framework controls each check maps to: their ids join the ones a finding cites in its properties. */
  readonly frameworkControls?: ReadonlyMap<string, readonly MappedControl[]>;
}

type Result = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

/** One report object (plain JSON). */
export interface PolicyReportObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly source?: string;
  readonly summary: Readonly<Record<Result, number>>;
  readonly results: readonly Readonly<Record<string, unknown>>[];
}

function timestampOf(iso: string): { seconds: number; nanos: number } {
  const ms = Date.parse(iso);
  const t = Number.isFinite(ms) ? ms : 0;
  const seconds = Math.floor(t / 1000);
  return { seconds, nanos: (t - seconds * 1000) * 1_000_000 };
}

function reference(r: ResourceRef | undefined, path: string | undefined): Record<string, string>[] {
  if (!r) return [];
  return [{ apiVersion: r.apiVersion, kind: r.kind, ...(r.namespace !== undefined ? { namespace: r.namespace } : {}), name: r.name, ...(path !== undefined ? { fieldPath: path } : {}) }];
}

/**
 * The control ids of `framework` a finding bears on: those it cites, then those its check maps to in the framework
 * data (the ids the framework views use), each once. NSA-CISA references of checks are section titles, not the data's
 * ids: with the data, only its ids are given.
 */
function controlIds(f: Finding | NotEvaluated, framework: FrameworkId, mapped: ReadonlyMap<string, readonly MappedControl[]> | undefined): string | undefined {
  const ids = new Set(mapped && framework === 'nsa' ? [] : 'references' in f ? (f.references[framework] ?? []) : []);
  for (const c of (f.checkId !== undefined ? mapped?.get(f.checkId) : undefined) ?? []) if (c.framework === framework) ids.add(c.id);
  return ids.size > 0 ? [...ids].join(',') : undefined;
}

/** A framework view's score as one annotation value: `62.5% (10 pass, 6 fail, 3 manual, 2 not evaluated, 1 not applicable)`. */
function scoreAnnotation(s: FrameworkScore): string {
  return `${s.score === null ? 'no score' : `${s.score}%`} (${s.pass} pass, ${s.fail} fail, ${s.manual} manual, ${s.notEvaluated} not evaluated, ${s.notApplicable} not applicable)`;
}

function properties(f: Finding | NotEvaluated, extra: Record<string, string | undefined> = {}, mapped?: ReadonlyMap<string, readonly MappedControl[]>): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, v: string | number | undefined): void => {
    if (v !== undefined && v !== '') out[k] = String(v);
  };
  if ('fingerprint' in f) {
    put('path', f.path);
    put('fingerprint', f.fingerprint);
    put('alsoReportedBy', f.alsoReportedBy?.join(','));
  } else put('reason', f.reason);
  for (const fw of FRAMEWORK_IDS) put(fw, controlIds(f, fw, mapped));
  put('container', f.resource?.container);
  put('file', f.location?.file);
  put('line', f.location?.line);
  if (!f.location) put('source', f.source?.uri);
  for (const [k, v] of Object.entries(extra)) put(k, v);
  return out;
}

interface Item {
  readonly sort: string;
  /** Serialised size, the timestamp counted at its widest. */
  readonly bytes: number;
  readonly result: Record<string, unknown>;
}

/**
 * Bytes a result's `timestamp` can take at most ({"seconds":…,"nanos":999999999} for any date before 2286): a
 * result's size is counted without its own timestamp and with this, so that where a namespace splits never depends
 * on the clock — the nanos of one run's timestamp are 1 to 9 digits — and unchanged findings give unchanged objects.
 */
const TIMESTAMP_BYTES = Buffer.byteLength(',"timestamp":{"seconds":9999999999,"nanos":999999999}');

/** A result without its timestamp, serialised: its size and the last word of its order. */
function body(result: Record<string, unknown>): string {
  return JSON.stringify({ ...result, timestamp: undefined });
}

/** The report objects of a Report, sorted by kind, namespace and name. */
export function policyReports(report: Report, options: PolicyReportOptions = {}): PolicyReportObject[] {
  return [...reportObjects(report, options)];
}

/**
 * The report objects, made one namespace at a time: a namespace's results are built, sorted and split when its
 * objects are asked for, and let go once they are written (all at once, the results of a scan of 40,000 objects and
 * their sort keys held 1 GiB).
 */
function* reportObjects(report: Report, options: PolicyReportOptions): Generator<PolicyReportObject> {
  const api = REPORT_API_KINDS[options.api ?? 'wgpolicyk8s'];
  const budget = options.budget ?? DEFAULT_REPORT_BUDGET;
  const timestamp = timestampOf(report.generatedAt);
  const category = new Map(report.checks.map((c) => [c.id, c.category]));
  const base = (checkId: string, result: Result, message: string): Record<string, unknown> => ({
    policy: checkId,
    ...(category.has(checkId) ? { category: category.get(checkId) } : {}),
    result,
    scored: true,
    source: 'kspect',
    timestamp,
    message,
  });
  // In an order of their content alone (never of the input's order), so that the same findings give the same objects.
  const item = (r: ResourceRef | undefined, checkId: string, path: string | undefined, result: Record<string, unknown>): Item => {
    const text = body(result);
    return { sort: `${r?.kind ?? ''}\u0000${r?.name ?? ''}\u0000${checkId}\u0000${path ?? ''}\u0000${text}`, bytes: Buffer.byteLength(text) + TIMESTAMP_BYTES + 1, result };
  };
  // What each namespace holds, by place: findings, then suppressed findings, then not-evaluated items.
  const { findings, suppressed, notEvaluated } = report;
  const suppressedBase = findings.length;
  const notEvaluatedBase = suppressedBase + suppressed.length;
  const itemAt = (at: number): Item => {
    if (at < suppressedBase) {
      const f = findings[at] as Finding;
      return item(f.resource, f.checkId, f.path, { ...base(f.checkId, 'fail', f.message), severity: f.severity, resources: reference(f.resource, f.path), properties: properties(f, {}, options.frameworkControls) });
    }
    if (at < notEvaluatedBase) {
      const s = suppressed[at - suppressedBase] as Report['suppressed'][number];
      const f = s.finding;
      return item(f.resource, f.checkId, f.path, { ...base(f.checkId, 'skip', `suppressed (${s.by}: ${s.reason}): ${f.message}`), severity: f.severity, resources: reference(f.resource, f.path), properties: properties(f, { suppressedBy: s.by }, options.frameworkControls) });
    }
    const ne = notEvaluated[at - notEvaluatedBase] as NotEvaluated;
    const id = ne.checkId ?? 'kspect';
    return item(ne.resource, id, undefined, { ...base(id, ne.reason === 'manual' ? 'skip' : 'error', `not evaluated (${ne.reason}): ${ne.message}`), resources: reference(ne.resource, undefined), properties: properties(ne, {}, options.frameworkControls) });
  };
  const byNamespace = new Map<string, number[]>((options.namespaces ?? []).map((ns) => [ns, []]));
  const place = (namespace: string | undefined, at: number): void => {
    const k = namespace ?? '';
    let list = byNamespace.get(k);
    if (!list) byNamespace.set(k, (list = []));
    list.push(at);
  };
  findings.forEach((f, i) => { place(f.resource?.namespace, i); });
  suppressed.forEach((s, i) => { place(s.finding.resource?.namespace, suppressedBase + i); });
  notEvaluated.forEach((ne, i) => { place(ne.resource?.namespace, notEvaluatedBase + i); });
  for (const ns of [...byNamespace.keys()].sort()) {
    const list = (byNamespace.get(ns) ?? []).map(itemAt).sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0));
    byNamespace.delete(ns);
    // Greedy split by serialised size (the clock's part counted at its widest), in a stable order.
    const chunks: Record<string, unknown>[][] = [[]];
    let size = 0;
    for (const it of list) {
      const bytes = it.bytes;
      const current = chunks[chunks.length - 1] ?? [];
      if (current.length > 0 && size + bytes > budget) {
        chunks.push([it.result]);
        size = bytes;
      } else {
        current.push(it.result);
        size += bytes;
      }
    }
    list.length = 0;
    for (let i = 0; i < chunks.length; i++) {
      const results = chunks[i] as Record<string, unknown>[];
      chunks[i] = [];
      const summary: Record<Result, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
      for (const r of results) summary[r.result as Result]++;
      const name = `kspect${ns === '' ? '-cluster' : ''}${i > 0 ? `-${i + 1}` : ''}`;
      yield {
        apiVersion: api.apiVersion,
        kind: ns === '' ? api.cluster : api.namespaced,
        metadata: { name, ...(ns !== '' ? { namespace: ns } : {}), labels: { ...MANAGED_BY }, ...frameworkAnnotations(report, ns) },
        ...(options.api === 'openreports' ? { source: 'kspect' } : {}),
        summary,
        results,
      };
    }
  }
}

/**
 * `--framework`: each view's score as an annotation `kspect.dev/framework-<id>` — of the namespace for a namespaced
 * report (its namespaced controls), of the whole run for the cluster-scoped one.
 */
function frameworkAnnotations(report: Report, ns: string): { annotations?: Record<string, string> } {
  const views = report.frameworks ?? [];
  if (views.length === 0) return {};
  const annotations: Record<string, string> = {};
  for (const v of views) {
    const score = ns === '' ? v.summary : v.namespaces.find((n) => n.namespace === ns);
    if (score) annotations[`kspect.dev/framework-${v.framework}`] = scoreAnnotation(score);
  }
  return Object.keys(annotations).length > 0 ? { annotations } : {};
}

/**
 * `--format policyreport`: the report objects as a `v1` List, ready for `kubectl apply -f`, written in chunks (each
 * report's results element by element): the same bytes as one `safeJson` of the List, at any size.
 */
export function writePolicyReport(report: Report, options: PolicyReportOptions, sink: Sink): void {
  const out = new ChunkWriter(sink, hardenJson);
  const items = (function* objects(): Generator<Walk> {
    for (const r of reportObjects(report, options)) yield new Walk({ ...r, results: new LazyArray(r.results) });
  })();
  writeJsonText({ apiVersion: 'v1', kind: 'List', items: new LazyArray(items) }, out);
  out.end();
}

export function renderPolicyReport(report: Report, options: PolicyReportOptions = {}): string {
  return collect((sink) => { writePolicyReport(report, options, sink); });
}
