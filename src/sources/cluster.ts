/**
 * Reading a live cluster, read-only: kubeconfig (contexts, client certificates, bearer tokens, exec plugins) or the
 * in-cluster service account, resolved as kubectl does (sources/kubeconfig.ts); API discovery; paginated lists (limit/continue)
 * with bounded concurrency, retries with backoff on 429/5xx and network errors, and timeouts.
 *
 * Only GET requests are made. Secrets are listed as metadata only (PartialObjectMetadataList) and their
 * `last-applied-configuration` annotation — which holds the applied data — is dropped on arrival. A list that is
 * forbidden or fails becomes a NotEvaluated item naming the resource and the reason, never an empty result.
 */
import { Agent, request, type RequestOptions } from 'node:https';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import type { NotEvaluated, Problem, SourceRef } from '../core/finding.js';
import { isObject, toK8sObject, type JsonObject, type K8sObject } from '../model/object.js';
import { undefault } from './cluster-defaults.js';
import { withoutManagedFields } from './list-json.js';
import { KubeconfigError, readTokenFile, resolveCredentials, type Renewal } from './kubeconfig.js';
import { appendAll } from '../core/arrays.js';

export interface ClusterOptions {
  /** Kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Restrict namespaced resources to these namespaces (cluster-scoped ones are still listed). */
  readonly namespaces?: readonly string[];
  /** Kinds to list; undefined lists every listable resource except high-churn bookkeeping (SKIPPED_KINDS). */
  readonly kinds?: ReadonlySet<string>;
  /** Kinds whose objects are read as metadata only. Default: Secret. */
  readonly metadataOnlyKinds?: ReadonlySet<string>;
  /** Parallel requests (default 6). */
  readonly concurrency?: number;
  /** Items per page (default 500). */
  readonly pageSize?: number;
  /** Per request, from sending it to the last byte of the answer (default 30 s). */
  readonly timeoutMs?: number;
  /** The whole read of the cluster, discovery and every list (default: no limit). */
  readonly overallTimeoutMs?: number;
  /** Retries after a 429, 5xx or network error (default 4). */
  readonly retries?: number;
  /** Keep Pods, ReplicaSets and Jobs that a listed controller owns (default: dropped, their controller is scanned). */
  readonly includeOwned?: boolean;
  /** Keep objects as the API server returns them (no removal of server-side defaults). */
  readonly keepDefaults?: boolean;
  /** Keep Pods' status.podIP(s) (for NetworkPolicy ipBlocks); the rest of status is dropped either way. */
  readonly keepPodIps?: boolean;
  readonly onProgress?: (p: ClusterProgress) => void;
  /**
   * Called once, when discovery is done and the lists are sent (work started then overlaps the server's), with the
   * context and the API server's version (as the result will give them).
   */
  readonly onListsStarted?: (read: { readonly context: string; readonly serverVersion?: string }) => void;
  /**
   * The objects of the result handed over while the lists go on, in batches whose concatenation is exactly the
   * result's `objects` (the same objects in the same order): an object is handed over once every object before it
   * was, and once whether it stays is known (an owned object waits for the lists of the owners' kinds). When a list
   * some of whose objects were handed over fails or must start again (an expired continue token), `onObjectsVoid` is
   * called once and nothing more is handed over: what was handed over is no longer the start of the result.
   */
  readonly onObjects?: (batch: readonly K8sObject[]) => void;
  readonly onObjectsVoid?: () => void;
  /** How often a token file is read again (default 60 s, as client-go); for tests. */
  readonly tokenRefreshMs?: number;
  /** For tests: injected environment and home folder. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface ClusterProgress {
  readonly resourcesDone: number;
  readonly resourcesTotal: number;
  readonly objects: number;
  /** Objects read so far per kind, in the order the kinds were first read. */
  readonly byKind: ReadonlyMap<string, number>;
}

export interface ClusterLoad {
  readonly objects: K8sObject[];
  readonly notEvaluated: NotEvaluated[];
  readonly problems: Problem[];
  /** The context name (or `in-cluster`) and the server URL. */
  readonly context: string;
  readonly server: string;
  /** Resources listed, as `group/version/resource`. */
  readonly resources: readonly string[];
  /** The API server's version (`/version` gitVersion, e.g. `v1.35.4`), when readable. */
  readonly serverVersion?: string;
}

export interface ApiResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export class ClusterError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** `timeout`: connected, but no complete answer in time; `connect-timeout`: not even connected; `deadline`: the overall timeout passed. */
    readonly code?: 'timeout' | 'connect-timeout' | 'deadline',
  ) {
    super(message);
    this.name = 'ClusterError';
  }
}

/** A connection to the API server: base URL, TLS and auth headers resolved once from the kubeconfig. */
export interface Connection {
  readonly server: string;
  readonly context: string;
  readonly options: RequestOptions;
  readonly timeoutMs: number;
  readonly retries: number;
  /** When the overall timeout passes (ms since the epoch, from `Date.now()`), if there is one. */
  readonly deadline?: number;
  /** The overall timeout, for messages. */
  readonly overallTimeoutMs?: number;
  /** Set once any request got an answer: a server that answered once is slow, not deaf. */
  answered: boolean;
}

/** Resolve the kubeconfig (or in-cluster config) into request options. Runs exec plugins when the user has one. */
export async function connect(opts: Pick<ClusterOptions, 'kubeconfig' | 'context' | 'concurrency' | 'timeoutMs' | 'retries' | 'overallTimeoutMs' | 'env' | 'tokenRefreshMs'>): Promise<Connection> {
  const deadline = opts.overallTimeoutMs !== undefined ? Date.now() + opts.overallTimeoutMs : undefined;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let creds;
  try {
    creds = await resolveCredentials({
      ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}),
      ...(opts.context !== undefined ? { context: opts.context } : {}),
      ...(opts.env !== undefined ? { env: opts.env } : {}),
      execTimeoutMs: timeoutMs,
    });
  } catch (e) {
    if (e instanceof KubeconfigError) throw new ClusterError(e.message);
    throw e;
  }
  const secure = creds.server.startsWith('https:');
  const concurrency = opts.concurrency ?? 6;
  const agentOptions = { keepAlive: true, maxSockets: concurrency };
  const agent = secure ? new Agent({ ...agentOptions, ...creds.tls }) : new HttpAgent(agentOptions);
  const headers: Record<string, string | string[]> = { ...creds.headers };
  if (creds.tokenFile !== undefined) refreshToken(headers, creds.tokenFile, opts.tokenRefreshMs ?? 60_000);
  if (creds.renew) renewToken(headers, creds.renew);
  return {
    server: creds.server,
    context: creds.context,
    options: { ...(secure ? creds.tls : {}), headers, agent },
    timeoutMs,
    retries: opts.retries ?? 4,
    ...(deadline !== undefined ? { deadline, overallTimeoutMs: opts.overallTimeoutMs } : {}),
    answered: false,
  };
}

/**
 * As client-go's cached file token source: a token file — the in-cluster service account's is rotated by the kubelet —
 * is read again every minute, so a long-running `webhook serve` keeps a valid token; a failed read keeps the last
 * token. The timer does not keep the process alive.
 */
function refreshToken(headers: Record<string, string | string[]>, file: string, everyMs: number): void {
  const timer = setInterval(() => {
    readTokenFile(file).then(
      (token) => {
        if (token !== '') headers.authorization = `Bearer ${token}`;
      },
      () => undefined,
    );
  }, everyMs);
  timer.unref();
}

/**
 * An exec plugin's token that expires (EKS gives 15 minutes) is renewed by running the plugin again shortly before it
 * does, so a long-running `webhook serve` keeps working; a failed run keeps the old token and is tried again in 30 s.
 * The timer does not keep the process alive.
 */
function renewToken(headers: Record<string, string | string[]>, renew: Renewal): void {
  const schedule = (r: Renewal, delay: number): void => {
    const timer = setTimeout(() => {
      r.run().then(
        (next) => {
          headers.authorization = `Bearer ${next.token}`;
          if (next.renew) schedule(next.renew, next.renew.at - Date.now() - 10_000);
        },
        () => {
          schedule(r, 30_000);
        },
      );
    }, Math.max(delay, 1_000));
    timer.unref();
  };
  schedule(renew, renew.at - Date.now() - 10_000);
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

interface HttpResult {
  readonly status: number;
  readonly body: Buffer;
  readonly retryAfter?: number;
}

/** `1.5 s`, `30 s`, `2 min`: a duration for messages. */
export function seconds(ms: number): string {
  if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function deadlineError(conn: Connection): ClusterError {
  return new ClusterError(`the cluster was not read within ${seconds(conn.overallTimeoutMs ?? 0)} (--timeout)`, undefined, 'deadline');
}

/** Milliseconds left before the overall deadline (Infinity without one); throws once it has passed. */
function remaining(conn: Connection): number {
  if (conn.deadline === undefined) return Infinity;
  const left = conn.deadline - Date.now();
  if (left <= 0) throw deadlineError(conn);
  return left;
}

/**
 * One GET. The request timeout bounds the whole exchange — connecting, the TLS handshake, the headers and the last
 * byte of the body — not only idle time: a server that trickles bytes forever is cut off too. It is shortened to
 * what is left of the overall deadline.
 */
/**
 * `onHead`: called with the first bytes of a 200 answer as they arrive (the chunks so far, up to PREFIX_LIMIT), until it
 * returns true — a list reads its next page's continue token there, while the rest of the page is still coming.
 */
function once(conn: Connection, path: string, accept: string, onHead?: (head: Buffer) => boolean): Promise<HttpResult> {
  const url = new URL(conn.server + path);
  const secure = url.protocol === 'https:';
  const headers = { ...(conn.options.headers as Record<string, string> | undefined), accept, 'user-agent': 'kspect' };
  const left = remaining(conn);
  const budget = Math.min(conn.timeoutMs, left);
  let connected = false;
  return new Promise((resolve, reject) => {
    const req = (secure ? request : httpRequest)(url, { ...conn.options, method: 'GET', headers, timeout: budget }, (res) => {
      conn.answered = true;
      const chunks: Buffer[] = [];
      let head = onHead !== undefined && res.statusCode === 200;
      let headBytes = 0;
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        if (head && onHead) {
          headBytes += c.length;
          head = !onHead(chunks.length === 1 ? c : Buffer.concat(chunks)) && headBytes < PREFIX_LIMIT;
        }
      });
      res.on('end', () => {
        clearTimeout(timer);
        const ra = Number(res.headers['retry-after']);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ...(Number.isFinite(ra) && ra > 0 ? { retryAfter: ra } : {}) });
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const expire = (): void => {
      if (budget < conn.timeoutMs) req.destroy(deadlineError(conn));
      else if (!connected) req.destroy(new ClusterError(`GET ${path}: no connection within ${seconds(budget)} (--request-timeout)`, undefined, 'connect-timeout'));
      else req.destroy(new ClusterError(`GET ${path}: no complete answer within ${seconds(budget)} (--request-timeout)`, undefined, 'timeout'));
    };
    const timer = setTimeout(expire, budget);
    req.on('socket', (sock) => {
      if (!sock.connecting) connected = true;
      else sock.once('connect', () => (connected = true));
    });
    req.on('timeout', expire);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end();
  });
}

/** What a watch started by `watch()` gives back: a way to end it. */
export interface WatchHandle {
  abort(): void;
}

/** The longest watch event kspect reads (etcd refuses objects over 1.5 MiB; a line longer than this is not an event). */
const MAX_WATCH_LINE = 3 * 1024 * 1024;

/**
 * One watch (`?watch=true`), read-only, bounded the way a reflector bounds it: the server is asked to end it after
 * `timeoutSeconds` (the caller picks it, randomised as client-go's reflector does), the answer's headers must arrive
 * within the request timeout, and a watch still open `timeoutSeconds` + the request timeout after it started is a dead
 * connection and is cut. `onEvent` gets each event line parsed; `done` is called once: with nothing when the server
 * ended the watch, with the error otherwise (an HTTP error carries `statusCode`, as the official client's does).
 */
export function watch(
  conn: Connection,
  path: string,
  query: Readonly<Record<string, string | undefined>>,
  timeoutSeconds: number,
  onEvent: (type: string, object: unknown, event: unknown) => void,
  done: (err: unknown) => void,
): WatchHandle {
  const url = new URL(conn.server + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  url.searchParams.set('watch', 'true');
  url.searchParams.set('timeoutSeconds', String(timeoutSeconds));
  url.searchParams.set('allowWatchBookmarks', 'true');
  const secure = url.protocol === 'https:';
  const headers = { ...(conn.options.headers as Record<string, string> | undefined), accept: 'application/json', 'user-agent': 'kspect' };
  let finished = false;
  const finish = (err: unknown): void => {
    if (finished) return;
    finished = true;
    clearTimeout(headerTimer);
    clearTimeout(lifeTimer);
    req.destroy();
    done(err);
  };
  const req = (secure ? request : httpRequest)(url, { ...conn.options, method: 'GET', headers }, (res) => {
    clearTimeout(headerTimer);
    conn.answered = true;
    if (res.statusCode !== 200) {
      res.resume();
      finish(Object.assign(new ClusterError(`watch ${path}: HTTP ${res.statusCode ?? 0}`, res.statusCode), { statusCode: res.statusCode }));
      return;
    }
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0 && !finished) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
        if (line.trim() === '') continue;
        let event: unknown;
        try {
          event = JSON.parse(line) as unknown;
        } catch {
          finish(new ClusterError(`watch ${path}: an event that is not JSON`));
          return;
        }
        if (isObject(event) && typeof event.type === 'string') onEvent(event.type, event.object, event);
      }
      if (pending.length > MAX_WATCH_LINE) finish(new ClusterError(`watch ${path}: an event longer than ${MAX_WATCH_LINE} bytes`));
    });
    res.on('end', () => {
      finish(undefined);
    });
    res.on('error', finish);
  });
  req.on('error', finish);
  const headerTimer = setTimeout(() => {
    finish(new ClusterError(`watch ${path}: no answer within ${seconds(conn.timeoutMs)} (--request-timeout)`, undefined, 'timeout'));
  }, conn.timeoutMs);
  const lifeTimer = setTimeout(() => {
    finish(new ClusterError(`watch ${path}: still open ${timeoutSeconds} s after the server was asked to end it (a dead connection)`, undefined, 'timeout'));
  }, timeoutSeconds * 1000 + conn.timeoutMs);
  req.end();
  // Ended by its owner: nothing more is reported.
  return {
    abort: () => {
      if (finished) return;
      finished = true;
      clearTimeout(headerTimer);
      clearTimeout(lifeTimer);
      req.destroy();
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** GET with retries on 429, 5xx and network errors (exponential backoff with jitter, honouring Retry-After). */
export async function get(conn: Connection, path: string, accept = 'application/json', onHead?: (head: Buffer) => boolean): Promise<HttpResult> {
  let attempt = 0;
  for (;;) {
    try {
      const r = await once(conn, path, accept, onHead);
      if ((r.status === 429 || r.status >= 500) && attempt < conn.retries) {
        await sleep(Math.min(r.retryAfter !== undefined ? Math.min(r.retryAfter * 1000, 30_000) : backoff(attempt), remaining(conn)));
        attempt++;
        continue;
      }
      return r;
    } catch (e) {
      if (e instanceof ClusterError && e.code === 'deadline') throw e;
      // A server that accepts connections but never answered anything is not retried: say so now, in one line.
      if (e instanceof ClusterError && e.code === 'timeout' && !conn.answered) throw new ClusterError(`the API server ${conn.server} accepted the connection but sent no answer within ${seconds(conn.timeoutMs)} (--request-timeout)`, undefined, 'timeout');
      if (e instanceof ClusterError && e.code === 'connect-timeout' && !conn.answered) throw new ClusterError(`no connection to the API server ${conn.server} within ${seconds(conn.timeoutMs)} (--request-timeout)`, undefined, 'connect-timeout');
      if (attempt >= conn.retries) throw e instanceof ClusterError ? e : new ClusterError(`GET ${path}: ${oneLine(e)}`);
      await sleep(Math.min(backoff(attempt), remaining(conn)));
      attempt++;
    }
  }
}

function backoff(attempt: number): number {
  const base = 200 * 2 ** attempt;
  return Math.min(base, 10_000) * (0.5 + Math.random() / 2);
}

function statusMessage(r: HttpResult): string {
  try {
    const j = JSON.parse(r.body.toString('utf8')) as { message?: unknown };
    if (typeof j.message === 'string') return j.message;
  } catch {
    // not a Status
  }
  return `HTTP ${r.status}`;
}

async function getJson(conn: Connection, path: string, accept?: string): Promise<unknown> {
  const r = await get(conn, path, accept);
  if (r.status !== 200) throw new ClusterError(`GET ${path}: ${statusMessage(r)}`, r.status);
  try {
    return JSON.parse(r.body.toString('utf8')) as unknown;
  } catch {
    throw new ClusterError(`GET ${path}: the answer is not JSON`);
  }
}

function str(v: unknown, k: string): string | undefined {
  return isObject(v) && typeof v[k] === 'string' ? v[k] : undefined;
}

function arr(v: unknown, k: string): readonly unknown[] {
  return isObject(v) && Array.isArray(v[k]) ? v[k] : [];
}

/**
 * Aggregated discovery (apidiscovery.k8s.io, GA in Kubernetes 1.30, beta from 1.26): every group, version and
 * resource in two answers (`/api`, `/apis`) instead of one request per group version. A server that does not serve
 * it answers the legacy documents, and discovery goes on the legacy way from there.
 */
const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

type Discovered = { resources: ApiResource[]; failures: { groupVersion: string; error: string }[] };

/**
 * The resources of a group's preferred version from one APIGroupDiscovery (its versions are in order of preference,
 * as client-go reads them). A preferred version whose discovery is stale (an aggregated API server that does not
 * answer) is a failure, as its legacy request would be.
 */
function aggregatedGroup(g: unknown, into: Discovered): void {
  if (!isObject(g)) return;
  const group = str(g.metadata, 'name') ?? '';
  const preferred = arr(g, 'versions')[0];
  const version = str(preferred, 'version');
  if (!isObject(preferred) || version === undefined) return;
  const gv = group === '' ? version : `${group}/${version}`;
  if (preferred.freshness === 'Stale') {
    into.failures.push({ groupVersion: gv, error: 'the API server lists it as stale (its aggregated API server did not answer discovery)' });
    return;
  }
  for (const r of arr(preferred, 'resources')) {
    const name = str(r, 'resource');
    const kind = isObject(r) ? str(r.responseKind, 'kind') : undefined;
    if (name === undefined || kind === undefined || kind === '' || name.includes('/')) continue;
    into.resources.push({ group, version, resource: name, kind, namespaced: isObject(r) && r.scope === 'Namespaced', verbs: arr(r, 'verbs').filter((v): v is string => typeof v === 'string') });
  }
}

/** The resources of one group version from legacy discovery (`/api/v1`, `/apis/GROUP/VERSION`). */
async function legacyGroupVersion(conn: Connection, gv: string, into: Discovered): Promise<void> {
  try {
    const list = await getJson(conn, gv === 'v1' ? '/api/v1' : `/apis/${gv}`);
    const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
    for (const r of arr(list, 'resources')) {
      const name = str(r, 'name');
      const kind = str(r, 'kind');
      if (name === undefined || kind === undefined || name.includes('/')) continue;
      into.resources.push({ group, version, resource: name, kind, namespaced: isObject(r) && r.namespaced === true, verbs: arr(r, 'verbs').filter((v): v is string => typeof v === 'string') });
    }
  } catch (e) {
    into.failures.push({ groupVersion: gv, error: oneLine(e) });
  }
}

const isAggregated = (v: unknown): boolean => str(v, 'kind') === 'APIGroupDiscoveryList';

/**
 * Every resource of the preferred version of each group: from aggregated discovery when the server serves it (two
 * requests), else from legacy discovery (`/apis`, then one request per group version, `concurrency` at a time).
 */
export async function discover(conn: Connection, concurrency = 6, options: { readonly legacy?: boolean } = {}): Promise<Discovered & { readonly aggregated: boolean }> {
  const found: Discovered = { resources: [], failures: [] };
  // `legacy`: as a server without aggregated discovery (to compare the two).
  const accept = options.legacy ? 'application/json' : AGGREGATED_ACCEPT;
  // The core group's document is asked for with the groups'. Its failure sends the core group to legacy discovery
  // (where a failed /api/v1 is that group's failure), unless it ends the whole read: the overall deadline, or a
  // server that never answered.
  const core = options.legacy
    ? Promise.resolve(undefined)
    : getJson(conn, '/api', accept).catch((e: unknown) => {
        if (e instanceof ClusterError && (e.code === 'deadline' || (e.code !== undefined && !conn.answered))) throw e;
        return undefined;
      });
  // Handled where it is awaited below (or not at all when /apis fails first).
  core.catch(() => undefined);
  const apis = await getJson(conn, '/apis', accept);
  const legacy: string[] = [];
  const coreDoc = await core;
  if (isAggregated(coreDoc)) for (const g of arr(coreDoc, 'items')) aggregatedGroup(g, found);
  else legacy.push('v1');
  if (isAggregated(apis)) {
    for (const g of arr(apis, 'items')) aggregatedGroup(g, found);
  } else {
    for (const g of arr(apis, 'groups')) {
      const preferred = isObject(g) ? str(g.preferredVersion, 'groupVersion') : undefined;
      if (preferred !== undefined) legacy.push(preferred);
    }
  }
  await pool(legacy, concurrency, (gv) => legacyGroupVersion(conn, gv, found));
  found.resources.sort((a, b) => cmp(`${a.group}/${a.resource}`, `${b.group}/${b.resource}`));
  // In the order of the group versions, not of their failures.
  found.failures.sort((a, b) => cmp(a.groupVersion, b.groupVersion));
  return { ...found, aggregated: isAggregated(apis) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/**
 * The kinds that are the most numerous in most clusters, in the order their lists are started: the longest list of a
 * read decides when it ends, so it should not wait behind a dozen short ones. Only the order of the requests changes;
 * objects, failures and everything reported stay in list order.
 */
const LONG_LISTS: readonly string[] = ['Pod', 'ReplicaSet', 'Deployment', 'ConfigMap', 'Secret', 'Job', 'Service', 'ServiceAccount', 'RoleBinding', 'Role', 'StatefulSet', 'DaemonSet', 'CronJob'];

/** The lists in the order they are started: the usually long ones (LONG_LISTS) first, the rest as they come. */
export function schedule<T extends { readonly r: { readonly kind: string } }>(jobs: readonly T[]): T[] {
  const rank = (j: T): number => {
    const at = LONG_LISTS.indexOf(j.r.kind);
    return at < 0 ? LONG_LISTS.length : at;
  };
  // Array#sort is stable: jobs of one rank (a kind in several namespaces, the other kinds) keep their order.
  return [...jobs].sort((a, b) => rank(a) - rank(b));
}

/** Bookkeeping kinds no check reads, which are many and change constantly in a live cluster. */
export const SKIPPED_KINDS: ReadonlySet<string> = new Set(['Event', 'Lease', 'Endpoints', 'EndpointSlice', 'ControllerRevision', 'ComponentStatus', 'CSIStorageCapacity', 'LeaseCandidate']);

/** Which resources to list for the wanted kinds: one per kind, core and non-deprecated groups first. */
export function selectResources(all: readonly ApiResource[], kinds: ReadonlySet<string> | undefined): ApiResource[] {
  const listable = all.filter((r) => r.verbs.includes('list'));
  const byKind = new Map<string, ApiResource>();
  const rank = (r: ApiResource): number => (r.group === '' ? 0 : r.group.endsWith('.k8s.io') || !r.group.includes('.') ? 1 : 2);
  for (const r of listable) {
    if (kinds ? !kinds.has(r.kind) : SKIPPED_KINDS.has(r.kind)) continue;
    const prev = byKind.get(r.kind);
    if (!prev || rank(r) < rank(prev)) byKind.set(r.kind, r);
  }
  return [...byKind.values()].sort((a, b) => cmp(`${a.group}/${a.resource}`, `${b.group}/${b.resource}`));
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Drop what a scan must not carry: managed fields, and for metadata-only kinds the last-applied annotation. */
function clean(item: Record<string, unknown>): void {
  const meta = item.metadata;
  if (!isObject(meta)) return;
  const m = meta as Record<string, unknown>;
  delete m.managedFields;
  const ann = m.annotations;
  if (isObject(ann) && LAST_APPLIED in ann) {
    const copy: Record<string, unknown> = { ...ann };
    Reflect.deleteProperty(copy, LAST_APPLIED);
    m.annotations = copy;
  }
}

function pathOf(r: ApiResource, namespace: string | undefined): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return namespace !== undefined && r.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}` : `${base}/${r.resource}`;
}

function apiVersionOf(r: ApiResource): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/**
 * Metadata-only lists are asked for as a Table with each row's object as PartialObjectMetadata: the rows give the
 * metadata and the printed columns (for Secrets, `Type`) and never the data.
 */
const METADATA_ACCEPT = 'application/json;as=Table;g=meta.k8s.io;v=v1,application/json;as=Table;g=meta.k8s.io;v=v1beta1';

/** Turn one Table row into an object: its PartialObjectMetadata plus the Secret `type` column. */
function rowObject(row: unknown, columns: readonly string[]): Record<string, unknown> | undefined {
  if (!isObject(row) || !isObject(row.object)) return undefined;
  const meta = row.object.metadata;
  const out: Record<string, unknown> = { metadata: isObject(meta) ? { ...meta } : {} };
  const cells = Array.isArray(row.cells) ? row.cells : [];
  const typeAt = columns.indexOf('Type');
  if (typeAt >= 0 && typeof cells[typeAt] === 'string') out.type = cells[typeAt];
  return out;
}

/** How far into a page the list's own metadata is looked for (it precedes the items). */
const PREFIX_LIMIT = 64 * 1024;

/**
 * The continue token of a list page read from what precedes its items: the API server writes `kind`, `apiVersion`
 * and `metadata` first, so the next page can be asked for while this one is parsed and converted (the server
 * serializes page N+1 on the other core meanwhile). Undefined when that part is not a complete JSON object prefix;
 * the caller checks the token against the full parse and discards a request made on a wrong guess.
 */
export function continueFromPrefix(body: Buffer, key: 'items' | 'rows'): string | undefined {
  const head = body.subarray(0, PREFIX_LIMIT);
  const at = head.indexOf(`"${key}":`);
  if (at <= 0) return undefined;
  const before = head.subarray(0, at).toString('utf8').trimEnd();
  const prefix = before.endsWith(',') ? before.slice(0, -1) : before;
  try {
    const v = JSON.parse(`${prefix}}`) as unknown;
    const token = isObject(v) ? str(v.metadata, 'continue') : undefined;
    return token !== undefined && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * List one resource (in one namespace or cluster-wide), page by page. The next page is requested as soon as its
 * continue token is known (before this page is parsed), so at most two requests per list are in flight.
 */
export async function listResource(
  conn: Connection,
  r: ApiResource,
  namespace: string | undefined,
  opts: { pageSize: number; metadataOnly: boolean; keepDefaults: boolean; keepPodIps?: boolean; source: SourceRef; onPage?: (n: number, objects: readonly K8sObject[]) => void; onObject?: (obj: K8sObject) => void; onRestart?: () => void },
): Promise<K8sObject[]> {
  const out: K8sObject[] = [];
  const apiVersion = apiVersionOf(r);
  const accept = opts.metadataOnly ? METADATA_ACCEPT : 'application/json';
  const pathFor = (cont: string | undefined): string => {
    const q = new URLSearchParams({ limit: String(opts.pageSize) });
    if (opts.metadataOnly) q.set('includeObject', 'Metadata');
    if (cont !== undefined) q.set('continue', cont);
    return `${pathOf(r, namespace)}?${q.toString()}`;
  };
  const key = opts.metadataOnly ? 'rows' : 'items';
  /** A page asked for; `token` is the next page's continue token once this page's head has arrived. */
  interface Asked {
    readonly cont: string | undefined;
    readonly res: Promise<HttpResult>;
    token?: string;
    onToken?: ((token: string) => void) | undefined;
  }
  const ask = (cont: string | undefined): Asked => {
    const asked: Asked = {
      cont,
      res: get(conn, pathFor(cont), accept, (head) => {
        const token = continueFromPrefix(head, key);
        if (token === undefined) return false;
        asked.token = token;
        const onToken = asked.onToken;
        asked.onToken = undefined;
        onToken?.(token);
        return true;
      }),
    };
    return asked;
  };
  let restarted = false;
  let current = ask(undefined);
  for (;;) {
    const path = pathFor(current.cont);
    // The next page is asked for as soon as its continue token is in the head of this one (a list's metadata comes
    // before its items) — while the rest of this page is still arriving and being read, the API server prepares the
    // next one. At most two requests per list: the page after next waits until this page is read. The guess is
    // dropped when this page fails, restarts or ends with another token.
    let next: Asked | undefined;
    const askNext = (token: string): void => {
      next = ask(token);
      // Not awaited when the guess was wrong or this page fails: its failure must not go unhandled.
      next.res.catch(() => undefined);
    };
    if (current.token !== undefined) askNext(current.token);
    else current.onToken = askNext;
    const res = await current.res;
    current.onToken = undefined;
    if (res.status === 410 && current.cont !== undefined && !restarted) {
      // The continue token expired: start the list again from the beginning, once.
      restarted = true;
      out.length = 0;
      opts.onRestart?.();
      current = ask(undefined);
      continue;
    }
    if (res.status !== 200) throw new ClusterError(statusMessage(res), res.status);
    let list: unknown;
    try {
      // A page's items without their managedFields (which `clean` drops): parsed in a quarter of the time.
      list = JSON.parse((opts.metadataOnly ? res.body : (withoutManagedFields(res.body) ?? res.body)).toString('utf8'));
    } catch {
      throw new ClusterError(`GET ${path}: the answer is not JSON`);
    }
    const columns = arr(list, 'columnDefinitions').map((c) => str(c, 'name') ?? '');
    const items = opts.metadataOnly ? arr(list, 'rows').map((row) => rowObject(row, columns)) : arr(list, 'items');
    if (opts.metadataOnly && str(list, 'kind') !== 'Table') throw new ClusterError(`GET ${path}: the API server did not answer a metadata-only Table`);
    const first = out.length;
    for (const it of items) {
      if (!isObject(it)) continue;
      const item = it as Record<string, unknown>;
      // List items carry no apiVersion/kind (and metadata-only items say PartialObjectMetadata): set the real ones.
      item.apiVersion = apiVersion;
      item.kind = r.kind;
      clean(item);
      const raw = (opts.keepDefaults ? item : undefault(item, { keepPodIps: opts.keepPodIps ?? false })) as JsonObject;
      const obj = toK8sObject(raw, { source: opts.source, locate: () => undefined });
      if (obj) {
        out.push(obj);
        opts.onObject?.(obj);
      }
    }
    opts.onPage?.(items.length, out.length === first ? NONE : out.slice(first));
    const cont = isObject(list) ? str(list.metadata, 'continue') : undefined;
    if (cont === undefined || cont === '') return out;
    current = next !== undefined && (next).cont === cont ? next : ask(cont);
  }
}

const NONE: readonly K8sObject[] = [];

/** Load the objects of a cluster that the wanted kinds need. */
export async function loadCluster(opts: ClusterOptions = {}): Promise<ClusterLoad> {
  const conn = await connect(opts);
  const concurrency = opts.concurrency ?? 6;
  const notEvaluated: NotEvaluated[] = [];
  const problems: Problem[] = [];
  const source: SourceRef = { type: 'cluster', uri: conn.context };
  // The version is asked for alongside discovery (one round trip less before the lists start).
  const version = getJson(conn, '/version').catch(() => undefined);
  let discovered;
  try {
    discovered = await discover(conn, concurrency);
  } catch (e) {
    destroyAgent(conn);
    if (e instanceof ClusterError && e.code !== undefined) throw e;
    throw new ClusterError(`cannot read the API of ${conn.server}: ${oneLine(e)}`, e instanceof ClusterError ? e.status : undefined);
  }
  for (const f of discovered.failures) notEvaluated.push({ reason: 'not-readable', message: `API group ${f.groupVersion} could not be discovered: ${f.error}`, source });
  // The version the checks judge for (RBAC verbs, end of life …); unreadable: the newest, as without --k8s-version.
  const serverVersion = str(await version, 'gitVersion');
  const selected = selectResources(discovered.resources, opts.kinds);
  const metadataOnly = opts.metadataOnlyKinds ?? new Set(['Secret']);
  const namespaces = opts.namespaces && opts.namespaces.length > 0 ? [...new Set(opts.namespaces)] : undefined;
  const jobs: { r: ApiResource; ns: string | undefined }[] = [];
  for (const r of selected) {
    if (r.namespaced && namespaces) for (const ns of namespaces) jobs.push({ r, ns });
    else jobs.push({ r, ns: undefined });
  }
  const results = new Map<number, K8sObject[]>();
  const listFailures = new Map<number, NotEvaluated>();
  // Who owns each object (for dropOwned) is noted as its page arrives, while the lists wait on the API server, rather
  // than in a pass over every object after the last one.
  const ownership = new Ownership();
  const onObject = (obj: K8sObject): void => {
    ownership.note(obj);
  };
  const handOver = opts.onObjects ? new HandOver(jobs.map((j) => j.r.kind), opts.onObjects, opts.onObjectsVoid, (o) => keeps(o, false), (o) => keeps(o, true) ?? true) : undefined;
  /** Whether an object stays in the result: undefined while its owner may still be listed (unless `final`). */
  function keeps(o: K8sObject, final: boolean): boolean | undefined {
    if (namespaces && o.kind === 'Namespace' && !namespaces.includes(o.metadata.name)) return false;
    if (opts.includeOwned) return true;
    if (!ownership.controlled(o)) return true;
    if (ownership.owned(o)) return false;
    return final || handOver?.ownersListed() ? true : undefined;
  }
  let done = 0;
  let objects = 0;
  const byKind = new Map<string, number>();
  const report = (): void => opts.onProgress?.({ resourcesDone: done, resourcesTotal: jobs.length, objects, byKind });
  // The overall deadline (and a deaf server) end the whole read: the first such error is thrown once every list stopped.
  let fatal: ClusterError | undefined;
  report();
  const lists = pool(
    schedule(jobs.map((j, i) => ({ ...j, i }))),
    concurrency,
    async ({ r, ns, i }) => {
      const what = `${r.resource}${r.group !== '' ? `.${r.group}` : ''}${ns !== undefined ? ` in namespace ${ns}` : r.namespaced ? ' in all namespaces' : ''}`;
      try {
        const list = await listResource(conn, r, ns, {
          pageSize: opts.pageSize ?? 500,
          metadataOnly: metadataOnly.has(r.kind),
          keepDefaults: opts.keepDefaults ?? false,
          keepPodIps: opts.keepPodIps ?? false,
          source,
          onObject,
          ...(handOver ? { onRestart: () => {
            handOver.restart(i);
          } } : {}),
          onPage: (n, page) => {
            handOver?.page(i, page);
            objects += n;
            byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + n);
            report();
          },
        });
        results.set(i, list);
        handOver?.done(i);
      } catch (e) {
        handOver?.failed(i);
        if (e instanceof ClusterError && (e.code === 'deadline' || (e.code !== undefined && !conn.answered))) {
          fatal ??= e;
          return;
        }
        const status = e instanceof ClusterError ? e.status : undefined;
        listFailures.set(i, {
          reason: status === 403 || status === 401 ? 'forbidden' : 'not-readable',
          message: `cannot list ${what}: ${oneLine(e)}; checks of ${r.kind} objects were not evaluated there`,
          source: { type: 'cluster', uri: `${conn.context}/${apiVersionOf(r)}/${r.resource}${ns !== undefined ? `?namespace=${ns}` : ''}` },
        });
      }
      done++;
      report();
    },
  );
  opts.onListsStarted?.({ context: conn.context, ...(serverVersion !== undefined ? { serverVersion } : {}) });
  await lists;
  destroyAgent(conn);
  if (fatal) throw fatal;
  // In the order of the lists, not of their failures (which depends on the server's timing).
  for (let i = 0; i < jobs.length; i++) {
    const failure = listFailures.get(i);
    if (failure) notEvaluated.push(failure);
  }
  let all: K8sObject[] = [];
  for (let i = 0; i < jobs.length; i++) appendAll(all, results.get(i) ?? []);
  if (namespaces) all = all.filter((o) => o.kind !== 'Namespace' || namespaces.includes(o.metadata.name));
  if (!opts.includeOwned) all = all.filter((o) => !ownership.owned(o));
  handOver?.end();
  return { objects: all, notEvaluated, problems, context: conn.context, server: conn.server, resources: selected.map((r) => `${apiVersionOf(r)}/${r.resource}`), ...(serverVersion !== undefined ? { serverVersion } : {}) };
}

const OWNER_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']);

/**
 * Drop objects whose controlling owner is itself in the scan (a Deployment's ReplicaSets and their Pods, a CronJob's
 * Jobs): their pod template is the owner's, so scanning them again only repeats its findings.
 */
export function dropOwned(objects: readonly K8sObject[]): K8sObject[] {
  const ownership = new Ownership();
  for (const o of objects) ownership.note(o);
  return objects.filter((o) => !ownership.owned(o));
}

/** Which objects of a scan have their controlling owner in it: noted object by object, asked once all are in. */
class Ownership {
  /** UIDs of the objects of kinds that own others. */
  private readonly owners = new Set<string>();
  /** Each object with a controlling owner: that owner's UID. */
  private readonly controllers = new Map<K8sObject, string>();

  /** Note an object: its UID when it may own others, its controlling owner's UID when it has one. */
  note(o: K8sObject): void {
    const meta = o.raw.metadata;
    if (!isObject(meta)) return;
    if (OWNER_KINDS.has(o.kind) && typeof meta.uid === 'string') this.owners.add(meta.uid);
    const refs = meta.ownerReferences;
    if (!Array.isArray(refs)) return;
    for (const r of refs) {
      if (isObject(r) && r.controller === true && typeof r.uid === 'string') {
        this.controllers.set(o, r.uid);
        return;
      }
    }
  }

  /** Whether the object has a controlling owner. */
  controlled(o: K8sObject): boolean {
    return this.controllers.has(o);
  }

  /** Whether the object's controlling owner is among the objects noted. */
  owned(o: K8sObject): boolean {
    const uid = this.controllers.get(o);
    return uid !== undefined && this.owners.has(uid);
  }
}

/**
 * Hands the objects of a cluster read over in the order of the result while the lists go on: the lists' pages are
 * held per list (in the order of the lists) and released from the front — a list's objects once the lists before it
 * are done, an owned object once every list of the owners' kinds is done.
 */
class HandOver {
  private readonly pages: K8sObject[][];
  private readonly finished: boolean[];
  /** The list whose objects are being handed over, and how many of its objects were. */
  private list = 0;
  private at = 0;
  private readonly started: boolean[];
  private ownerLists: number;
  private void = false;

  constructor(
    private readonly kinds: readonly string[],
    private readonly give: (batch: readonly K8sObject[]) => void,
    private readonly onVoid: (() => void) | undefined,
    private readonly keeps: (o: K8sObject) => boolean | undefined,
    private readonly keepsAtEnd: (o: K8sObject) => boolean,
  ) {
    this.pages = kinds.map(() => []);
    this.finished = kinds.map(() => false);
    this.started = kinds.map(() => false);
    this.ownerLists = kinds.filter((k) => OWNER_KINDS.has(k)).length;
  }

  /** Whether every list of a kind that owns others is done. */
  ownersListed(): boolean {
    return this.ownerLists === 0;
  }

  page(i: number, objects: readonly K8sObject[]): void {
    if (this.void) return;
    appendAll(this.pages[i] as K8sObject[], objects);
    if (i === this.list) this.release();
  }

  done(i: number): void {
    if (this.void) return;
    this.finished[i] = true;
    if (OWNER_KINDS.has(this.kinds[i] as string)) this.ownerLists--;
    this.release();
  }

  /** A list that failed: its objects are not in the result. */
  failed(i: number): void {
    if (this.started[i]) {
      this.voided();
      return;
    }
    (this.pages[i] as K8sObject[]).length = 0;
    this.done(i);
  }

  /** A list that starts again from its first page. */
  restart(i: number): void {
    if (this.started[i]) {
      this.voided();
      return;
    }
    (this.pages[i] as K8sObject[]).length = 0;
  }

  /** Every list is done: hand over the rest (the owners are all known now). */
  end(): void {
    this.release(true);
  }

  private voided(): void {
    if (this.void) return;
    this.void = true;
    this.onVoid?.();
  }

  private release(final = false): void {
    if (this.void) return;
    const batch: K8sObject[] = [];
    while (this.list < this.pages.length) {
      const objects = this.pages[this.list] as K8sObject[];
      let blocked = false;
      while (this.at < objects.length) {
        const o = objects[this.at] as K8sObject;
        const keep = final ? this.keepsAtEnd(o) : this.keeps(o);
        if (keep === undefined) {
          blocked = true;
          break;
        }
        this.started[this.list] = true;
        if (keep) batch.push(o);
        this.at++;
      }
      if (blocked || !(this.finished[this.list] ?? false)) break;
      this.pages[this.list] = [];
      this.list++;
      this.at = 0;
    }
    if (batch.length > 0) this.give(batch);
  }
}

function destroyAgent(conn: Connection): void {
  const agent = conn.options.agent;
  if (agent instanceof Agent || agent instanceof HttpAgent) agent.destroy();
}
