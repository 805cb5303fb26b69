/**
 * Which cluster to talk to and how to authenticate, resolved from kubeconfig files or the in-cluster service account
 * the way kubectl (client-go's clientcmd) does it — without the official client library, whose configuration module
 * loads every generated API model (about 0.45 s at the start of every cluster command).
 *
 * - Files: `--kubeconfig FILE` alone (it must exist); else `$KUBECONFIG`'s files in order (missing ones skipped,
 *   as kubectl does); else `~/.kube/config` when it exists. Merged as kubectl merges: for clusters, users and contexts
 *   the first file naming an entry wins, and so does the first `current-context`. Paths in a file (CA, client
 *   certificate and key, token file, an exec command containing a `/`) are relative to that file's folder.
 * - No configuration at all: the in-cluster service account when `KUBERNETES_SERVICE_HOST`/`_PORT` are set and its
 *   token exists, else `http://localhost:8080` (kubectl's default).
 * - Credentials: client certificate and key (data or files), bearer token (or token file when no token), basic
 *   auth, impersonation (`as`, `as-uid`, `as-groups`, `as-user-extra`), exec plugins (client.authentication.k8s.io
 *   v1 and v1beta1: `KUBERNETES_EXEC_INFO`, `interactiveMode`, `provideClusterInfo`, `installHint`) and the oidc
 *   auth-provider's id-token. The gcp and azure auth-providers were removed in Kubernetes 1.26 and are refused with
 *   the replacement named; `proxy-url` is refused rather than silently bypassed.
 *
 * Every file is read by kspect's safe reader (a FIFO or device cannot hang it). A mistake is one line naming the file
 * or entry; no credential is ever part of a message.
 */
import { spawn } from 'node:child_process';
import { lstat } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { isObject, type JsonObject } from '../model/object.js';
import { escapeText, trimEndChar } from '../core/text.js';
import { readErrorText, readRegularFile } from './safe-read.js';
import { decodeStandalone } from './yaml.js';

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

/** How to reach the API server: its URL, TLS material and request headers (credentials). */
export interface ClusterCredentials {
  readonly server: string;
  /** The context's name, `in-cluster`, or `default` (no configuration: kubectl's localhost:8080). */
  readonly context: string;
  readonly tls: { readonly ca?: Buffer; readonly cert?: Buffer; readonly key?: Buffer; readonly rejectUnauthorized?: false; readonly servername?: string };
  readonly headers: Readonly<Record<string, string | string[]>>;
  /** The file the bearer token was read from (a kubeconfig's tokenFile, the in-cluster token): read it again as it rotates. */
  readonly tokenFile?: string;
  /** An exec plugin's token that expires: when, and how to get the next one (the plugin run again). */
  readonly renew?: Renewal;
}

export interface Renewal {
  /** When the token expires (ms since the epoch). */
  readonly at: number;
  /** Run the plugin again: its new token and expiry. */
  readonly run: () => Promise<{ readonly token: string; readonly renew?: Renewal }>;
}

export interface KubeconfigOptions {
  /** The one kubeconfig file (`--kubeconfig`); default: $KUBECONFIG, ~/.kube/config, in-cluster. */
  readonly kubeconfig?: string;
  readonly context?: string;
  /** How long a non-interactive exec plugin may run (default 30 s). */
  readonly execTimeoutMs?: number;
  /** For tests: the environment, home folder and service-account folder used instead of the process's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  readonly serviceAccountDir?: string;
}

/** Largest kubeconfig, certificate, key or token file read. */
const MAX_FILE = 16 * 1024 * 1024;
/** Largest answer of an exec plugin. */
const MAX_EXEC_OUTPUT = 1024 * 1024;
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const EXEC_API_VERSIONS = new Set(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']);

/** One named entry of a kubeconfig with the folder of the file that defined it (relative paths resolve there). */
interface Entry {
  readonly value: JsonObject;
  readonly dir: string;
  readonly file: string;
}

interface Merged {
  readonly clusters: Map<string, Entry>;
  readonly users: Map<string, Entry>;
  readonly contexts: Map<string, Entry>;
  currentContext: string;
  /** Any file held anything at all (kubectl uses in-cluster only when the merged configuration is empty). */
  empty: boolean;
}

async function readFile(file: string, what: string): Promise<Buffer> {
  try {
    return await readRegularFile(file, { max: MAX_FILE });
  } catch (e) {
    throw new KubeconfigError(`cannot read ${what} ${file}: ${readErrorText(e)}`);
  }
}

const exists = (file: string): Promise<boolean> => lstat(file).then(() => true, () => false);

/** The kubeconfig files to merge, in order. */
async function kubeconfigFiles(opts: KubeconfigOptions): Promise<string[]> {
  if (opts.kubeconfig !== undefined) return [opts.kubeconfig];
  const env = opts.env ?? process.env;
  const list = env.KUBECONFIG;
  if (list !== undefined && list !== '') {
    const files: string[] = [];
    for (const f of list.split(delimiter)) if (f !== '' && !files.includes(f) && (await exists(f))) files.push(f);
    return files;
  }
  const config = join(opts.home ?? env.HOME ?? homedir(), '.kube', 'config');
  return (await exists(config)) ? [config] : [];
}

/** Parse one kubeconfig file as kubectl decodes it (YAML or JSON, first document). */
function parseFile(text: string, file: string): JsonObject | undefined {
  if (text.trim() === '') return undefined;
  const decoded = decodeStandalone(text, { remaining: 100_000 });
  if (!decoded.ok) throw new KubeconfigError(`cannot load kubeconfig ${file}: ${decoded.message.split('\n')[0] ?? ''}`);
  if (decoded.value === null || decoded.value === undefined) return undefined;
  if (!isObject(decoded.value)) throw new KubeconfigError(`cannot load kubeconfig ${file}: not a kubeconfig (a mapping with clusters, users and contexts)`);
  return decoded.value;
}

function str(o: JsonObject | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function obj(o: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = o?.[key];
  return isObject(v) ? v : undefined;
}

/** What a field of the kubeconfig's v1 types holds (client-go refuses a file where a known field has another type). */
type Shape = 'string' | 'bool' | 'strings' | 'list' | 'object' | 'stringMap' | 'stringListMap' | { readonly [field: string]: Shape };

const EXEC: Shape = { command: 'string', args: 'strings', apiVersion: 'string', installHint: 'string', provideClusterInfo: 'bool', interactiveMode: 'string', env: 'list' };
const SHAPES: Record<'cluster' | 'user' | 'context', { readonly [field: string]: Shape }> = {
  cluster: { server: 'string', 'tls-server-name': 'string', 'insecure-skip-tls-verify': 'bool', 'certificate-authority': 'string', 'certificate-authority-data': 'string', 'proxy-url': 'string', 'disable-compression': 'bool', extensions: 'list' },
  user: {
    'client-certificate': 'string', 'client-certificate-data': 'string', 'client-key': 'string', 'client-key-data': 'string', token: 'string', tokenFile: 'string',
    as: 'string', 'as-uid': 'string', 'as-groups': 'strings', 'as-user-extra': 'stringListMap', username: 'string', password: 'string',
    'auth-provider': { name: 'string', config: 'stringMap' }, exec: EXEC, extensions: 'list',
  },
  context: { cluster: 'string', user: 'string', namespace: 'string', extensions: 'list' },
};
const TOP: { readonly [field: string]: Shape } = { kind: 'string', apiVersion: 'string', 'current-context': 'string', clusters: 'list', users: 'list', contexts: 'list', preferences: 'object', extensions: 'list' };

/** The first field (as a path) whose value does not have its type; null is every type's zero value, as in Go. */
function misfit(value: unknown, shape: Shape, path: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof shape === 'object') {
    if (!isObject(value)) return path;
    for (const [k, sub] of Object.entries(shape)) {
      const bad = misfit(value[k], sub, `${path}.${k}`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  switch (shape) {
    case 'string':
      return typeof value === 'string' ? undefined : path;
    case 'bool':
      return typeof value === 'boolean' ? undefined : path;
    case 'list':
      return Array.isArray(value) ? undefined : path;
    case 'object':
      return isObject(value) ? undefined : path;
    case 'strings':
      return Array.isArray(value) && value.every((v) => v === null || typeof v === 'string') ? undefined : path;
    case 'stringMap':
      return isObject(value) && Object.values(value).every((v) => v === null || typeof v === 'string') ? undefined : path;
    case 'stringListMap':
      return isObject(value) && Object.values(value).every((v) => v === null || (Array.isArray(v) && v.every((x) => x === null || typeof x === 'string'))) ? undefined : path;
  }
}

/** Refuse a file as client-go does when a known field has the wrong type (`name: y` is a YAML 1.1 boolean). */
function checkTypes(doc: JsonObject, file: string): void {
  const fail = (path: string): never => {
    throw new KubeconfigError(`cannot load kubeconfig ${file}: ${path.slice(1)} does not have the type kubectl reads there`);
  };
  const top = misfit(doc, TOP, '');
  if (top !== undefined) fail(top);
  for (const [list, field] of [['clusters', 'cluster'], ['users', 'user'], ['contexts', 'context']] as const) {
    const entries = doc[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((e, i) => {
      const bad = misfit(e, { name: 'string', [field]: SHAPES[field] }, `.${list}[${i}]`);
      if (bad !== undefined) fail(bad);
    });
  }
}

/** Add a file's named entries (`clusters: [{name, cluster}]` …, types already checked) where the name is not taken yet. */
function addEntries(into: Map<string, Entry>, list: unknown, field: string, dir: string, file: string): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    if (!isObject(item)) continue;
    const name = typeof item.name === 'string' ? item.name : undefined;
    if (name === undefined || into.has(name)) continue;
    const value = item[field];
    into.set(name, { value: isObject(value) ? value : {}, dir, file });
  }
}

async function loadMerged(opts: KubeconfigOptions): Promise<Merged> {
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: '', empty: true };
  const files = await kubeconfigFiles(opts);
  for (const file of files) {
    const doc = parseFile((await readFile(file, 'kubeconfig')).toString('utf8'), file);
    if (!doc) continue;
    checkTypes(doc, file);
    const dir = dirname(file);
    addEntries(merged.clusters, doc.clusters, 'cluster', dir, file);
    addEntries(merged.users, doc.users, 'user', dir, file);
    addEntries(merged.contexts, doc.contexts, 'context', dir, file);
    if (merged.currentContext === '') merged.currentContext = str(doc, 'current-context') ?? '';
    if (merged.clusters.size + merged.users.size + merged.contexts.size > 0 || merged.currentContext !== '') merged.empty = false;
  }
  return merged;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const resolvePath = (dir: string, file: string): string => (isAbsolute(file) ? file : join(dir, file));

/** Bytes of a `*-data` field (base64) or the file it names; undefined when neither is set. */
async function material(e: Entry, dataKey: string, fileKey: string, what: string): Promise<Buffer | undefined> {
  const data = str(e.value, dataKey);
  if (data !== undefined) {
    // As Go's encoding/json decodes []byte: standard base64, padded; line breaks are skipped.
    const b64 = data.replace(/[\r\n]/g, '');
    if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw new KubeconfigError(`${what}: ${dataKey} is not base64 (in ${e.file})`);
    return Buffer.from(b64, 'base64');
  }
  const file = str(e.value, fileKey);
  return file !== undefined ? readFile(resolvePath(e.dir, file), `${fileKey} of ${what}`) : undefined;
}

/** Resolve the kubeconfig (or in-cluster configuration) into a server, TLS material and credentials. */
export async function resolveCredentials(opts: KubeconfigOptions = {}): Promise<ClusterCredentials> {
  const merged = await loadMerged(opts);
  if (opts.context === undefined && merged.empty) return (await inCluster(opts)) ?? { server: 'http://localhost:8080', context: 'default', tls: {}, headers: {} };
  const contextName = opts.context ?? merged.currentContext;
  if (opts.context !== undefined && !merged.contexts.has(opts.context)) {
    throw new KubeconfigError(`context "${opts.context}" is not in the kubeconfig (have: ${[...merged.contexts.keys()].join(', ') || 'none'})`);
  }
  if (contextName === '') throw new KubeconfigError('no cluster: the kubeconfig has no current context (use --context, or set KUBECONFIG)');
  const context = merged.contexts.get(contextName);
  if (!context) throw new KubeconfigError(`the current context "${contextName}" is not in the kubeconfig (have: ${[...merged.contexts.keys()].join(', ') || 'none'})`);
  const clusterName = str(context.value, 'cluster');
  if (clusterName === undefined) throw new KubeconfigError(`context "${contextName}" names no cluster`);
  const cluster = merged.clusters.get(clusterName);
  if (!cluster) throw new KubeconfigError(`cluster "${clusterName}" of context "${contextName}" is not in the kubeconfig`);
  const userName = str(context.value, 'user');
  const user = userName !== undefined ? merged.users.get(userName) : undefined;
  if (userName !== undefined && !user) throw new KubeconfigError(`user "${userName}" of context "${contextName}" is not in the kubeconfig`);

  const written = str(cluster.value, 'server');
  if (written === undefined) throw new KubeconfigError(`cluster "${clusterName}" has no server`);
  if (str(cluster.value, 'proxy-url') !== undefined) throw new KubeconfigError(`cluster "${clusterName}": proxy-url is not supported; kspect connects to the API server directly (unset it, or run kspect where the server is reachable)`);
  const insecure = cluster.value['insecure-skip-tls-verify'] === true;
  const ca = await material(cluster, 'certificate-authority-data', 'certificate-authority', `cluster "${clusterName}"`);
  if (insecure && ca) throw new KubeconfigError(`cluster "${clusterName}": a certificate authority together with insecure-skip-tls-verify is not allowed (as kubectl says)`);
  const servername = str(cluster.value, 'tls-server-name');

  const tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: false; servername?: string } = {
    ...(ca ? { ca } : {}),
    ...(insecure ? { rejectUnauthorized: false as const } : {}),
    ...(servername !== undefined ? { servername } : {}),
  };
  const headers: Record<string, string | string[]> = {};
  const applied = user ? await applyUser(user, userName ?? '', { server: written, cluster, ca, opts }, tls, headers) : undefined;
  const tokenFile = applied?.tokenFile;
  const renew = applied?.renew;
  // As client-go: a server written without a scheme is plain http (clientcmd decides whether to use TLS from the
  // server alone, before the CA and certificates are added, so they are not used either).
  const server = written.includes('://') ? written : `http://${written}`;
  if (!server.startsWith('https://') && !server.startsWith('http://')) throw new KubeconfigError(`cluster "${clusterName}": the server ${escapeText(written)} is not an http(s) URL`);
  return { server: trimEndChar(server, '/'), context: contextName, tls, headers, ...(tokenFile !== undefined ? { tokenFile } : {}), ...(renew ? { renew } : {}) };
}

/** A token file's token, read safely (what a rotated file holds now). */
export async function readTokenFile(file: string): Promise<string> {
  return (await readFile(file, 'token file')).toString('utf8').trim();
}

interface ClusterInfo {
  readonly server: string;
  readonly cluster: Entry;
  readonly ca: Buffer | undefined;
  readonly opts: KubeconfigOptions;
}

async function applyUser(
  user: Entry,
  name: string,
  info: ClusterInfo,
  tls: { cert?: Buffer; key?: Buffer },
  headers: Record<string, string | string[]>,
): Promise<{ tokenFile?: string; renew?: Renewal }> {
  const what = `user "${name}"`;
  const u = user.value;
  const cert = await material(user, 'client-certificate-data', 'client-certificate', what);
  const key = await material(user, 'client-key-data', 'client-key', what);
  if ((cert === undefined) !== (key === undefined)) throw new KubeconfigError(`${what}: a client certificate needs its key and a key its certificate`);
  if (cert && key) {
    tls.cert = cert;
    tls.key = key;
  }
  let token = str(u, 'token');
  const tokenFile = str(u, 'tokenFile');
  const username = str(u, 'username');
  const password = str(u, 'password');
  if ((token !== undefined || tokenFile !== undefined) && (username !== undefined || password !== undefined)) {
    throw new KubeconfigError(`${what}: more than one authentication method (token and basic auth); only one is allowed`);
  }
  // As client-go's transport: a token file, when set, is what is sent (it is re-read as it changes; the token is
  // only its first value).
  const tokenPath = tokenFile !== undefined ? resolvePath(user.dir, tokenFile) : undefined;
  if (tokenPath !== undefined) token = (await readFile(tokenPath, `tokenFile of ${what}`)).toString('utf8').trim();
  if (token !== undefined && token !== '') headers.authorization = `Bearer ${token}`;
  if (username !== undefined || password !== undefined) headers.authorization = `Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64')}`;

  const exec = obj(u, 'exec');
  const provider = obj(u, 'auth-provider');
  if (exec && provider) throw new KubeconfigError(`${what}: an auth-provider cannot be combined with an exec plugin`);
  let renew: Renewal | undefined;
  if (exec) {
    const credential = await runExecPlugin(exec, user, what, info);
    if (credential.token !== undefined) headers.authorization = `Bearer ${credential.token}`;
    if (credential.cert !== undefined && credential.key !== undefined) {
      tls.cert = credential.cert;
      tls.key = credential.key;
    }
    if (credential.token !== undefined) renew = renewal(credential.expiresAt, () => runExecPlugin(exec, user, what, info));
  }
  if (provider) {
    const pname = str(provider, 'name') ?? '';
    if (pname === 'gcp' || pname === 'azure') {
      throw new KubeconfigError(`${what}: the ${pname} auth-provider was removed in Kubernetes 1.26; use its exec plugin instead (${pname === 'gcp' ? 'gke-gcloud-auth-plugin' : 'kubelogin'})`);
    }
    if (pname !== 'oidc') throw new KubeconfigError(`${what}: unknown auth-provider "${escapeText(pname)}" (kspect knows oidc; use an exec plugin for others)`);
    headers.authorization = `Bearer ${oidcToken(obj(provider, 'config'), what)}`;
  }

  const as = str(u, 'as');
  if (as !== undefined) headers['impersonate-user'] = as;
  const asUid = str(u, 'as-uid');
  if (asUid !== undefined) headers['impersonate-uid'] = asUid;
  const groups = Array.isArray(u['as-groups']) ? u['as-groups'].filter((g): g is string => typeof g === 'string') : [];
  if (groups.length > 0) headers['impersonate-group'] = groups;
  const extra = obj(u, 'as-user-extra');
  for (const [k, v] of Object.entries(extra ?? {})) {
    const values = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    if (values.length > 0) headers[`impersonate-extra-${encodeURIComponent(k)}`] = values;
  }
  // The token file is what is sent unless an exec plugin or the oidc provider gave the credential.
  const fromFile = tokenPath !== undefined && !exec && !provider;
  return { ...(fromFile ? { tokenFile: tokenPath } : {}), ...(renew ? { renew } : {}) };
}

/** How an exec plugin's expiring token is renewed: the plugin run again once it expires (client-go's cache rule). */
function renewal(expiresAt: number | undefined, again: () => Promise<ExecCredential>): Renewal | undefined {
  if (expiresAt === undefined) return undefined;
  return {
    at: expiresAt,
    run: async () => {
      const next = await again();
      if (next.token === undefined) throw new KubeconfigError('the exec plugin answered no token this time');
      const more = renewal(next.expiresAt, again);
      return { token: next.token, ...(more ? { renew: more } : {}) };
    },
  };
}

/**
 * The oidc auth-provider's id-token, as client-go's plugin uses it: idp-issuer-url and client-id are required, and the
 * token must be a JWT whose `exp` is more than 10 s away. client-go would then refresh it at the issuer with the
 * refresh-token; kspect does not call identity providers, so an expired token is an error asking to log in again.
 */
function oidcToken(config: JsonObject | undefined, what: string): string {
  for (const key of ['idp-issuer-url', 'client-id']) if (str(config, key) === undefined) throw new KubeconfigError(`${what}: the oidc auth-provider must set ${key}`);
  const token = str(config, 'id-token');
  if (token === undefined) throw new KubeconfigError(`${what}: the oidc auth-provider has no id-token (log in again, or use an exec plugin)`);
  const parts = token.split('.');
  let exp: unknown;
  try {
    exp = parts.length === 3 ? (JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown }).exp : undefined;
  } catch {
    exp = undefined;
  }
  if (typeof exp !== 'number') throw new KubeconfigError(`${what}: the oidc id-token is not a JWT with an expiry`);
  if (Date.now() + 10_000 >= exp * 1000) throw new KubeconfigError(`${what}: the oidc id-token has expired and kspect does not refresh it (log in again, or use an exec plugin)`);
  return token;
}

/** The in-cluster service account, when kspect runs in a Pod (client-go's rules: both variables and the token). */
async function inCluster(opts: KubeconfigOptions): Promise<ClusterCredentials | undefined> {
  const env = opts.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const dir = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (host === undefined || host === '' || port === undefined || port === '' || !(await exists(join(dir, 'token')))) return undefined;
  const token = (await readFile(join(dir, 'token'), 'service-account token')).toString('utf8').trim();
  const caFile = join(dir, 'ca.crt');
  const ca = (await exists(caFile)) ? await readFile(caFile, 'service-account CA') : undefined;
  return { server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`, context: 'in-cluster', tls: ca ? { ca } : {}, headers: { authorization: `Bearer ${token}` }, tokenFile: join(dir, 'token') };
}

interface ExecCredential {
  readonly token?: string;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** status.expirationTimestamp (ms since the epoch), when the plugin gave one. */
  readonly expiresAt?: number;
}

/** The `cluster` an exec plugin is given with provideClusterInfo (client.authentication.k8s.io Cluster). */
function execCluster(info: ClusterInfo): JsonObject {
  const c = info.cluster.value;
  const extensions = Array.isArray(c.extensions) ? c.extensions : [];
  const own = extensions.find((x): x is JsonObject => isObject(x) && x.name === 'client.authentication.k8s.io/exec');
  return {
    server: info.server,
    ...(str(c, 'tls-server-name') !== undefined ? { 'tls-server-name': str(c, 'tls-server-name') } : {}),
    ...(c['insecure-skip-tls-verify'] === true ? { 'insecure-skip-tls-verify': true } : {}),
    ...(info.ca ? { 'certificate-authority-data': info.ca.toString('base64') } : {}),
    ...(c['disable-compression'] === true ? { 'disable-compression': true } : {}),
    ...(own && own.extension !== undefined ? { config: own.extension } : {}),
  };
}

/** Run an exec credential plugin as client-go does and read its ExecCredential. */
async function runExecPlugin(exec: JsonObject, user: Entry, what: string, info: ClusterInfo): Promise<ExecCredential> {
  const apiVersion = str(exec, 'apiVersion');
  if (apiVersion === undefined) throw new KubeconfigError(`${what}: the exec plugin has no apiVersion`);
  if (!EXEC_API_VERSIONS.has(apiVersion)) throw new KubeconfigError(`${what}: exec plugin apiVersion ${escapeText(apiVersion)} is not supported (client.authentication.k8s.io/v1 or v1beta1)`);
  const command = str(exec, 'command');
  if (command === undefined) throw new KubeconfigError(`${what}: the exec plugin has no command`);
  const mode = str(exec, 'interactiveMode') ?? (apiVersion.endsWith('/v1') ? undefined : 'IfAvailable');
  if (mode === undefined) throw new KubeconfigError(`${what}: the exec plugin must set interactiveMode (client.authentication.k8s.io/v1)`);
  if (mode !== 'Never' && mode !== 'IfAvailable' && mode !== 'Always') throw new KubeconfigError(`${what}: exec interactiveMode ${escapeText(mode)} is not Never, IfAvailable or Always`);
  const terminal = info.opts.env === undefined && process.stdin.isTTY;
  const interactive = terminal && mode !== 'Never';
  if (mode === 'Always' && !interactive) throw new KubeconfigError(`${what}: the exec plugin needs a terminal (interactiveMode: Always) and standard input is not one`);
  // A command with a folder in it is relative to the kubeconfig that names it; a bare name is looked up in PATH.
  const file = command.includes('/') ? resolvePath(user.dir, command) : command;
  const args = Array.isArray(exec.args) ? exec.args.filter((a): a is string => typeof a === 'string') : [];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(info.opts.env ?? process.env)) if (v !== undefined) env[k] = v;
  for (const e of Array.isArray(exec.env) ? exec.env : []) if (isObject(e) && typeof e.name === 'string') env[e.name] = typeof e.value === 'string' ? e.value : '';
  env.KUBERNETES_EXEC_INFO = JSON.stringify({
    kind: 'ExecCredential',
    apiVersion,
    spec: { interactive, ...(exec.provideClusterInfo === true ? { cluster: execCluster(info) } : {}) },
  });
  const shown = escapeText(command);
  const hint = str(exec, 'installHint');
  const out = await new Promise<Buffer>((resolve, reject) => {
    // A plugin run without a terminal gets its own process group, so that a timeout ends whatever it started too.
    const child = spawn(file, args, { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'], detached: !interactive });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (e: KubeconfigError | undefined, value?: Buffer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e === undefined && value !== undefined) resolve(value);
      else reject(e ?? new KubeconfigError(`${what}: the exec plugin ${shown} failed`));
    };
    const fail = (e: KubeconfigError): void => {
      settle(e);
      child.stdout.destroy();
      try {
        if (!interactive && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timeoutMs = info.opts.execTimeoutMs ?? 30_000;
    const timer = interactive
      ? undefined
      : setTimeout(() => {
          fail(new KubeconfigError(`${what}: the exec plugin ${shown} did not answer within ${timeoutMs / 1000} s`));
        }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_EXEC_OUTPUT) fail(new KubeconfigError(`${what}: the exec plugin ${shown} wrote more than ${MAX_EXEC_OUTPUT / 1024 / 1024} MiB`));
      else chunks.push(c);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      const missing = e.code === 'ENOENT';
      settle(new KubeconfigError(`${what}: the exec plugin ${shown} ${missing ? 'was not found' : `could not be run: ${readErrorText(e)}`}${missing && hint !== undefined ? ` (${escapeText(hint.replace(/\s+/g, ' ').trim())})` : ''}`));
    });
    child.on('close', (code, signal) => {
      if (code !== 0) settle(new KubeconfigError(`${what}: the exec plugin ${shown} failed with ${signal !== null ? `signal ${signal}` : `exit code ${code}`}`));
      else settle(undefined, Buffer.concat(chunks));
    });
  });
  let credential: unknown;
  try {
    credential = JSON.parse(out.toString('utf8'));
  } catch {
    throw new KubeconfigError(`${what}: the exec plugin ${shown} did not write an ExecCredential (not JSON)`);
  }
  if (!isObject(credential) || credential.kind !== 'ExecCredential') throw new KubeconfigError(`${what}: the exec plugin ${shown} did not write an ExecCredential`);
  if (credential.apiVersion !== apiVersion) throw new KubeconfigError(`${what}: the exec plugin ${shown} answered ${typeof credential.apiVersion === 'string' ? escapeText(credential.apiVersion) : 'no apiVersion'}, the kubeconfig asked for ${apiVersion}`);
  const status = obj(credential, 'status');
  const token = str(status, 'token');
  const cert = str(status, 'clientCertificateData');
  const key = str(status, 'clientKeyData');
  if ((cert === undefined) !== (key === undefined)) throw new KubeconfigError(`${what}: the exec plugin ${shown} returned only one of clientCertificateData and clientKeyData`);
  if (token === undefined && cert === undefined) throw new KubeconfigError(`${what}: the exec plugin ${shown} returned neither a token nor a client certificate`);
  const expiry = str(status, 'expirationTimestamp');
  const expiresAt = expiry !== undefined ? Date.parse(expiry) : undefined;
  if (expiresAt !== undefined && Number.isNaN(expiresAt)) throw new KubeconfigError(`${what}: the exec plugin ${shown} returned an expirationTimestamp that is not a time`);
  return {
    ...(token !== undefined ? { token } : {}),
    ...(cert !== undefined && key !== undefined ? { cert: Buffer.from(cert), key: Buffer.from(key) } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  };
}
