/**
 * Reading one HTTP answer: what kind of body came back (a Kubernetes Status, a PodList, Docker's /_ping, etcd's
 * /version, Prometheus metrics …) and a short, safe detail about it. Bodies are never kept: a pod list or a
 * configz may hold secrets, so only the shape, counts, versions and the names of users in refusals survive.
 * Pure; every regular expression here is linear.
 */

/** What a body is, as far as kspect can tell. */
export type Shape =
  | 'docker-ping'
  | 'docker-version'
  | 'k8s-version'
  | 'etcd-version'
  | 'k8s-status'
  | 'k8s-list'
  | 'api-versions'
  | 'kubelet-forbidden'
  | 'unauthorized-text'
  | 'forbidden-text'
  | 'healthz-ok'
  | 'etcd-health'
  | 'kube-proxy-healthz'
  | 'metrics'
  | 'configz'
  | 'pprof-index'
  | 'dashboard-html'
  | 'dashboard-skippable'
  | 'dashboard-modes'
  | 'dashboard-namespaces'
  | 'html'
  | 'json'
  | 'text'
  | 'empty'
  | 'binary';

/** One request and what answered it. Never holds the body. */
export interface Answer {
  readonly method: 'GET';
  readonly path: string;
  /** HTTP status; absent when the request failed. */
  readonly status?: number;
  readonly shape?: Shape;
  /** A short, safe description (versions, counts, the user named in a refusal). */
  readonly detail?: string;
  /** Why the request failed (timeout, reset, TLS alert, caps), one line. */
  readonly error?: string;
  /** The `Server` header, when sent. */
  readonly server?: string;
  /** Where a redirect pointed, when it was not followed. */
  readonly location?: string;
}

export interface RawResponse {
  readonly path: string;
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The first bytes of the body, as UTF-8. */
  readonly body: string;
  /** The body was longer than what was read. */
  readonly truncated: boolean;
}

const MAX_DETAIL = 160;

/**
 * A run of token-like characters (24 or more: a bearer token, a key, a password hash): text holding one is never
 * copied into a report. Linear.
 */
const TOKEN_LIKE = /[A-Za-z0-9+/=_.~-]{24,}/;

/** The first line of an unrecognised text body, only when it cannot be a credential ("404 page not found"). */
export function safeExcerpt(body: string): string | undefined {
  const line = safeText(body.split('\n', 1)[0] ?? '', 80);
  return line === '' || TOKEN_LIKE.test(line) ? undefined : line;
}

/** Printable, single-line and short: details end up in reports and terminals. */
export function safeText(s: string, max = MAX_DETAIL): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    out += c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) ? ' ' : ch;
    if (out.length >= max) return `${out.slice(0, max)}…`;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `"kind":"PodList"` near the start of a (possibly truncated) Kubernetes JSON body. */
const KIND = /"kind"\s*:\s*"([A-Za-z0-9]{1,64})"/;

/** Metric family prefixes that name the component behind a /metrics page. */
const METRIC_PREFIXES = ['apiserver_', 'etcd_', 'kubelet_', 'scheduler_', 'kubeproxy_', 'node_collector_', 'workqueue_', 'rest_client_', 'process_', 'go_'];

function metricFamilies(body: string): string[] {
  const seen = new Set<string>();
  for (const line of body.split('\n', 4000)) {
    if (!line.startsWith('# TYPE ') && !line.startsWith('# HELP ')) continue;
    const name = line.slice(7);
    for (const p of METRIC_PREFIXES) if (name.startsWith(p)) seen.add(p.slice(0, -1));
  }
  return [...seen];
}

function looksLikeMetrics(body: string): boolean {
  return body.startsWith('# HELP ') || body.startsWith('# TYPE ') || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /m.test(body.slice(0, 4096));
}

/** NUL and other C0 controls that text never holds. */
function isBinary(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x09 || (c > 0x0d && c < 0x1b)) return true;
  }
  return false;
}

/** Classify one answer. */
export function readAnswer(r: RawResponse): { shape: Shape; detail?: string } {
  const body = r.body;
  const trimmed = body.trim();
  const type = (r.headers['content-type'] ?? '').toLowerCase();
  if (trimmed === '') return { shape: 'empty' };
  if (isBinary(body.slice(0, 512))) return { shape: 'binary' };

  if (r.path === '/_ping' && r.status === 200 && trimmed === 'OK') {
    const api = r.headers['api-version'];
    const server = r.headers.server ?? '';
    if (api !== undefined || /docker|libpod/i.test(server)) return { shape: 'docker-ping', detail: safeText(`API ${api ?? '?'}${server !== '' ? `, ${server}` : ''}`) };
  }
  if (trimmed.startsWith('Forbidden (user=')) {
    // The kubelet's refusal: "Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])".
    return { shape: 'kubelet-forbidden', detail: safeText(trimmed.split('\n')[0] ?? trimmed) };
  }
  if (trimmed === 'Unauthorized') return { shape: 'unauthorized-text' };
  if (trimmed === 'Forbidden') return { shape: 'forbidden-text' };
  if (trimmed === 'ok' && (r.path === '/healthz' || r.path === '/livez' || r.path === '/readyz')) return { shape: 'healthz-ok' };
  if (looksLikeMetrics(body)) {
    const fam = metricFamilies(body);
    return { shape: 'metrics', ...(fam.length > 0 ? { detail: `metric families: ${fam.join(', ')}` } : {}) };
  }
  if (/kubernetes[ -]dashboard/i.test(body.slice(0, 16_384)) && (type.includes('html') || trimmed.startsWith('<'))) return { shape: 'dashboard-html' };
  if (r.path.startsWith('/debug/pprof') && /profile|goroutine|heap/.test(body.slice(0, 8192)) && (type.includes('html') || trimmed.startsWith('<'))) return { shape: 'pprof-index' };

  const json = parseJson(trimmed);
  if (isRecord(json)) {
    if (typeof json.ApiVersion === 'string' && typeof json.Version === 'string') {
      const components = Array.isArray(json.Components) ? json.Components : [];
      const engine = components.map((c) => (isRecord(c) ? str(c.Name) : undefined)).find((n) => n !== undefined && /engine/i.test(n));
      return { shape: 'docker-version', detail: safeText(`${engine ?? 'Docker Engine'} ${json.Version} (API ${json.ApiVersion})`) };
    }
    if (typeof json.gitVersion === 'string' && (typeof json.major === 'string' || typeof json.platform === 'string')) return { shape: 'k8s-version', detail: safeText(json.gitVersion) };
    if (typeof json.etcdserver === 'string') return { shape: 'etcd-version', detail: safeText(`etcd ${json.etcdserver}`) };
    if (json.kind === 'Status' && typeof json.apiVersion === 'string') {
      const reason = str(json.reason) ?? '';
      const message = str(json.message) ?? '';
      return { shape: 'k8s-status', detail: safeText(`${reason}${reason !== '' && message !== '' ? ': ' : ''}${message}`) };
    }
    if (json.kind === 'APIVersions') return { shape: 'api-versions' };
    if (typeof json.kind === 'string' && (json.kind.endsWith('List') || json.kind === 'Table')) {
      const items = Array.isArray(json.items) ? json.items.length : Array.isArray(json.rows) ? json.rows.length : 0;
      return { shape: 'k8s-list', detail: `${json.kind} with ${items} item${items === 1 ? '' : 's'}` };
    }
    if (typeof json.skippable === 'boolean') return { shape: 'dashboard-skippable', detail: `skippable: ${json.skippable}` };
    if (Array.isArray(json.modes)) return { shape: 'dashboard-modes', detail: safeText(`modes: ${json.modes.filter((m) => typeof m === 'string').join(', ')}`) };
    if (Array.isArray(json.namespaces) && isRecord(json.listMeta)) {
      const errors = Array.isArray(json.errors) ? json.errors.length : 0;
      return { shape: 'dashboard-namespaces', detail: `${json.namespaces.length} namespace${json.namespaces.length === 1 ? '' : 's'}${errors > 0 ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}` };
    }
    if (typeof json.health === 'string') return { shape: 'etcd-health', detail: safeText(`health: ${json.health}`) };
    if (typeof json.lastUpdated === 'string' && typeof json.currentTime === 'string') return { shape: 'kube-proxy-healthz' };
    if (r.path === '/configz') return { shape: 'configz', detail: safeText(`sections: ${Object.keys(json).slice(0, 5).join(', ')}`) };
    return { shape: 'json' };
  }
  if (json === undefined && r.truncated && trimmed.startsWith('{')) {
    // A long Kubernetes list cut at the cap: its kind is near the start.
    const kind = KIND.exec(body.slice(0, 512))?.[1];
    if (kind !== undefined && (kind.endsWith('List') || kind === 'Table')) return { shape: 'k8s-list', detail: `${kind} (longer than kspect reads)` };
    if (r.path === '/configz') return { shape: 'configz' };
    return { shape: 'json' };
  }
  if (type.includes('html') || trimmed.startsWith('<')) return { shape: 'html' };
  if (Array.isArray(json)) return { shape: 'json' };
  const excerpt = safeExcerpt(trimmed);
  return { shape: 'text', ...(excerpt !== undefined ? { detail: excerpt } : {}) };
}

/** The user a refusal names: `system:anonymous` in a kubelet or API server 403. */
export function refusedUser(a: Answer): string | undefined {
  if (a.detail === undefined) return undefined;
  if (a.shape === 'kubelet-forbidden') return /^Forbidden \(user=([^,)]{1,256}),/.exec(a.detail)?.[1];
  if (a.shape === 'k8s-status') return /User "([^"]{1,256})" cannot/.exec(a.detail)?.[1];
  return undefined;
}
