/**
 * Registry credentials as container tools keep them: a Docker `config.json` (`auths` entries with `auth`
 * base64 `user:password`, or `username`/`password`, or an `identitytoken`), the same document a
 * `kubernetes.io/dockerconfigjson` imagePullSecret holds (and the older `.dockercfg` shape, a bare `auths` map).
 *
 * Two lookups, each as its tool does it:
 * - the user's docker config, as the docker CLI (and cosign, crane) read it: `credHelpers[host]`, else `credsStore`
 *   — the `docker-credential-<name> get` helper protocol — else the `auths` entry for the host;
 * - imagePullSecrets, as the kubelet's keyring matches them (pkg/credentialprovider): an entry's key is its host
 *   and path (`/v1/`, `/v2/` dropped); it applies when the port is equal, each host label matches as a glob
 *   (`*.example.com`), and its path is a string prefix of the image's; more specific (reverse-sorted) keys first,
 *   every matching credential tried in turn; `index.docker.io` serves Docker Hub images when nothing else matched.
 * Credentials are only ever sent to the registry they are for; they never reach a report.
 */
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readErrorText, readRegularText, ReadRefusedError } from '../safe-read.js';

export interface Credentials {
  readonly username?: string;
  readonly password?: string;
  readonly identityToken?: string;
}

export type CredentialStore = ReadonlyMap<string, Credentials>;

/** Where the registry client asks for credentials: the ones to try, in order, for `domain/repo`. */
export interface CredentialSource {
  lookup(domain: string, repo: string): Promise<readonly Credentials[]>;
}

/** The registry host a config key names: `https://index.docker.io/v1/` → `docker.io`, `ghcr.io/org` → `ghcr.io`. */
export function registryOfKey(key: string): string {
  let k = key.trim().replace(/^[a-z]+:\/\//i, '');
  k = k.split('/')[0] ?? '';
  k = k.toLowerCase();
  return k === 'index.docker.io' || k === 'registry-1.docker.io' ? 'docker.io' : k;
}

/** A docker config as written: its `auths` entries under their keys as written, and its credential helpers. */
export interface DockerConfigDoc {
  readonly entries: readonly { readonly key: string; readonly credentials: Credentials }[];
  readonly credsStore?: string;
  readonly credHelpers: Readonly<Record<string, string>>;
}

/** Read a docker config document (config.json or .dockercfg); problems are one line each, never echoing secrets. */
export function readDockerConfig(doc: unknown, where: string, problems: string[]): DockerConfigDoc {
  const entries: { key: string; credentials: Credentials }[] = [];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    problems.push(`${where}: not a docker config (a JSON object with "auths")`);
    return { entries, credHelpers: {} };
  }
  const rec = doc as Record<string, unknown>;
  const auths = typeof rec.auths === 'object' && rec.auths !== null ? (rec.auths as Record<string, unknown>) : rec;
  for (const [key, v] of Object.entries(auths)) {
    if (typeof v !== 'object' || v === null) continue;
    const e = v as Record<string, unknown>;
    let username = typeof e.username === 'string' ? e.username : undefined;
    let password = typeof e.password === 'string' ? e.password : undefined;
    if (typeof e.auth === 'string' && e.auth !== '') {
      const decoded = Buffer.from(e.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) {
        problems.push(`${where}: the auth entry for ${registryOfKey(key)} is not base64 of user:password`);
        continue;
      }
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
    const identityToken = typeof e.identitytoken === 'string' && e.identitytoken !== '' ? e.identitytoken : undefined;
    if (username === undefined && identityToken === undefined) continue;
    entries.push({ key, credentials: { ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}), ...(identityToken !== undefined ? { identityToken } : {}) } });
  }
  const credHelpers: Record<string, string> = {};
  if (typeof rec.credHelpers === 'object' && rec.credHelpers !== null && !Array.isArray(rec.credHelpers)) {
    for (const [host, name] of Object.entries(rec.credHelpers as Record<string, unknown>)) {
      if (typeof name !== 'string' || !helperName(name)) problems.push(`${where}: credHelpers entry for ${host} is not a helper name`);
      else credHelpers[host.toLowerCase()] = name;
    }
  }
  let credsStore: string | undefined;
  if (rec.credsStore !== undefined && rec.credsStore !== '') {
    if (typeof rec.credsStore !== 'string' || !helperName(rec.credsStore)) problems.push(`${where}: credsStore is not a helper name`);
    else credsStore = rec.credsStore;
  }
  return { entries, credHelpers, ...(credsStore !== undefined ? { credsStore } : {}) };
}

/** A helper name is the suffix of a program `docker-credential-<name>` looked up on PATH: no path, no options. */
function helperName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name);
}

/** The `auths` of a docker config by registry host (the first entry of a host wins). */
export function parseDockerConfig(doc: unknown, where: string, problems: string[]): Map<string, Credentials> {
  const out = new Map<string, Credentials>();
  for (const e of readDockerConfig(doc, where, problems).entries) if (!out.has(registryOfKey(e.key))) out.set(registryOfKey(e.key), e.credentials);
  return out;
}

/**
 * Read the docker config: `file` when given (it must exist), else `$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json` when present. Undefined when there is none or it cannot be read (a problem then says why).
 */
export async function loadDockerConfigDoc(file: string | undefined, env: Readonly<Record<string, string | undefined>>, problems: string[]): Promise<{ doc: DockerConfigDoc; path: string } | undefined> {
  const path = file ?? (env.DOCKER_CONFIG !== undefined ? join(env.DOCKER_CONFIG, 'config.json') : join(env.HOME ?? homedir(), '.docker', 'config.json'));
  let text: string;
  try {
    text = await readRegularText(path, { max: 16 * 1024 * 1024 });
  } catch (e) {
    if (file === undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    problems.push(`${path}: ${e instanceof ReadRefusedError ? e.message : `cannot read: ${readErrorText(e)}`}`);
    return undefined;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    problems.push(`${path}: not JSON`);
    return undefined;
  }
  return { doc: readDockerConfig(doc, path, problems), path };
}

/** The `auths` of the docker config by registry host (see loadDockerConfigDoc). */
export async function loadDockerConfig(file: string | undefined, env: Readonly<Record<string, string | undefined>>, problems: string[]): Promise<Map<string, Credentials>> {
  const loaded = await loadDockerConfigDoc(file, env, problems);
  const out = new Map<string, Credentials>();
  for (const e of loaded?.doc.entries ?? []) if (!out.has(registryOfKey(e.key))) out.set(registryOfKey(e.key), e.credentials);
  return out;
}

/** Merge stores; earlier ones win. */
export function mergeCredentials(...stores: readonly ReadonlyMap<string, Credentials>[]): Map<string, Credentials> {
  const out = new Map<string, Credentials>();
  for (const s of stores) for (const [k, v] of s) if (!out.has(k)) out.set(k, v);
  return out;
}

/** A fixed host → credentials map as a source (library callers). */
export function credentialsFromMap(map: ReadonlyMap<string, Credentials>): CredentialSource {
  return { lookup: (domain) => Promise.resolve(map.has(domain.toLowerCase()) ? [map.get(domain.toLowerCase()) as Credentials] : []) };
}

/** Try the sources in order; every credential any of them gives, in that order. */
export function chainCredentials(...sources: readonly CredentialSource[]): CredentialSource {
  return {
    async lookup(domain, repo) {
      const out: Credentials[] = [];
      for (const s of sources) out.push(...(await s.lookup(domain, repo)));
      return out;
    },
  };
}

/** Runs `docker-credential-<helper> get` with the server URL on stdin; resolves to its stdout, or rejects with a line. */
export type HelperRunner = (helper: string, serverUrl: string) => Promise<string>;

const HELPER_TIMEOUT_MS = 15_000;
const HELPER_MAX_OUTPUT = 64 * 1024;

/** The docker credential helper protocol over a child process (PATH lookup, as the docker CLI does). */
export function runCredentialHelper(env: Readonly<Record<string, string | undefined>>): HelperRunner {
  return (helper, serverUrl) =>
    new Promise((resolvePromise, reject) => {
      const program = `docker-credential-${helper}`;
      const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: HELPER_TIMEOUT_MS });
      const out: Buffer[] = [];
      let size = 0;
      const take = (c: Buffer): void => {
        size += c.length;
        if (size <= HELPER_MAX_OUTPUT) out.push(c);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.on('error', (e: NodeJS.ErrnoException) => { reject(new Error(e.code === 'ENOENT' ? `${program} is not on PATH` : `${program}: ${e.code ?? e.message}`)); });
      child.on('close', (code, signal) => {
        const text = Buffer.concat(out).toString('utf8');
        if (code === 0) resolvePromise(text);
        else if (signal !== null) reject(new Error(`${program} get: stopped (${signal}) after ${HELPER_TIMEOUT_MS / 1000} s`));
        // The helper protocol's "no credentials" answer: not an error, the registry is read anonymously.
        else if (text.includes('credentials not found')) resolvePromise('');
        else reject(new Error(`${program} get: exit ${String(code)}`));
      });
      child.stdin.on('error', () => {
        // the helper exited before reading: its exit status says what happened
      });
      child.stdin.end(serverUrl);
    });
}

/** The docker CLI's server address for a registry: Docker Hub keeps its historical index URL. */
function serverAddress(domain: string): string {
  return domain === 'docker.io' ? 'https://index.docker.io/v1/' : domain;
}

/**
 * The user's docker config as the docker CLI reads it: `credHelpers[host]`, else `credsStore`, else the `auths`
 * entry for the host. A helper is asked once per registry; a helper that fails is one problem line (never its
 * output, which may hold a secret) and the registry is read anonymously.
 */
export function dockerConfigCredentials(doc: DockerConfigDoc, run: HelperRunner, problems: string[]): CredentialSource {
  const byHost = new Map<string, Credentials>();
  for (const e of doc.entries) if (!byHost.has(registryOfKey(e.key))) byHost.set(registryOfKey(e.key), e.credentials);
  const asked = new Map<string, Promise<readonly Credentials[]>>();
  return {
    lookup(domain) {
      const host = domain.toLowerCase();
      const hostname = host === 'docker.io' ? 'index.docker.io' : host;
      const helper = doc.credHelpers[hostname] ?? doc.credHelpers[host] ?? doc.credsStore;
      if (helper === undefined) {
        const c = byHost.get(host);
        return Promise.resolve(c ? [c] : []);
      }
      let hit = asked.get(host);
      if (!hit) {
        hit = run(helper, serverAddress(host)).then(
          (text): readonly Credentials[] => {
            if (text.trim() === '') return [];
            let j: unknown;
            try {
              j = JSON.parse(text);
            } catch {
              problems.push(`docker-credential-${helper} get ${host}: the answer is not JSON; ${host} is read anonymously`);
              return [];
            }
            const r = (typeof j === 'object' && j !== null ? j : {}) as { Username?: unknown; Secret?: unknown };
            if (typeof r.Secret !== 'string' || r.Secret === '') return [];
            // The protocol's marker for an identity (refresh) token instead of a password.
            if (r.Username === '<token>') return [{ identityToken: r.Secret }];
            return [{ username: typeof r.Username === 'string' ? r.Username : '', password: r.Secret }];
          },
          (e: unknown) => {
            problems.push(`${e instanceof Error ? e.message : String(e)}; ${host} is read anonymously`);
            return [];
          },
        );
        asked.set(host, hit);
      }
      return hit;
    },
  };
}

/** A key of the kubelet's keyring for a docker config entry: host and path (`/v1/`, `/v2/` dropped), as Go's url.Parse splits them. */
export function keyringKey(entry: string): string | undefined {
  const rest = entry.startsWith('https://') ? entry.slice(8) : entry.startsWith('http://') ? entry.slice(7) : entry;
  let end = rest.length;
  for (const c of ['/', '?', '#']) {
    const i = rest.indexOf(c);
    if (i >= 0 && i < end) end = c === '/' ? i : Math.min(end, i);
  }
  const authority = rest.slice(0, end);
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host === '') return undefined;
  let path = rest.slice(end);
  for (const c of ['?', '#']) {
    const i = path.indexOf(c);
    if (i >= 0) path = path.slice(0, i);
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    return undefined; // Go: invalid URL escape — the kubelet skips the entry
  }
  if (path.startsWith('/v2/') || path.startsWith('/v1/')) path = path.slice(3);
  return path.length > 0 && path !== '/' ? `${host}${path}` : host;
}

/** Go's net.SplitHostPort, falling back to the whole as host with no port (as the kubelet does on error). */
function splitHostPort(hostPort: string): { host: string; port: string } {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close > 0 && hostPort[close + 1] === ':' ) return { host: hostPort.slice(1, close), port: hostPort.slice(close + 2) };
    return { host: hostPort, port: '' };
  }
  const i = hostPort.lastIndexOf(':');
  if (i < 0 || hostPort.indexOf(':') !== i) return { host: hostPort, port: '' };
  return { host: hostPort.slice(0, i), port: hostPort.slice(i + 1) };
}

/** Go's path.Match over one host label (no separators): `*`, `?`, `[...]` classes, `\\` escapes. Bounded backtracking. */
export function labelGlobMatches(pattern: string, name: string): boolean {
  const p = Array.from(pattern); // code points, as Go's runes
  const n = Array.from(name);
  // Iterative matcher with one backtrack point per star (the classic wildcard algorithm): O(|p|·|n|).
  let pi = 0;
  let ni = 0;
  let starP = -1;
  let starN = 0;
  const single = (at: number, ch: string): { ok: boolean; next: number } => {
    const c = p[at];
    if (c === '?') return { ok: true, next: at + 1 };
    if (c === '\\') return { ok: p[at + 1] === ch, next: at + 2 };
    if (c === '[') {
      let i = at + 1;
      let negate = false;
      if (p[i] === '^') {
        negate = true;
        i++;
      }
      let matched = false;
      let first = true;
      while (i < p.length && (p[i] !== ']' || first)) {
        first = false;
        let lo = p[i] ?? '';
        if (lo === '\\') lo = p[++i] ?? '';
        let hi = lo;
        if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
          hi = p[i + 2] ?? '';
          if (hi === '\\') hi = p[++i + 2] ?? '';
          i += 2;
        }
        if (lo <= ch && ch <= hi) matched = true;
        i++;
      }
      if (p[i] !== ']') return { ok: false, next: p.length + 1 }; // a malformed class matches nothing (Go: ErrBadPattern)
      return { ok: matched !== negate, next: i + 1 };
    }
    return { ok: c === ch, next: at + 1 };
  };
  while (ni < n.length) {
    if (p[pi] === '*') {
      starP = pi++;
      starN = ni;
      continue;
    }
    if (pi < p.length) {
      const s = single(pi, n[ni] ?? '');
      if (s.ok) {
        pi = s.next;
        ni++;
        continue;
      }
      if (s.next > p.length) return false;
    }
    if (starP < 0) return false;
    pi = starP + 1;
    ni = ++starN;
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/** The kubelet's URL match of a keyring key against an image (`domain/path`): port, host labels as globs, path prefix. */
export function keyringMatches(key: string, image: string): boolean {
  const split = (s: string): { host: string; port: string; path: string } => {
    const slash = s.indexOf('/');
    return { ...splitHostPort(slash < 0 ? s : s.slice(0, slash)), path: slash < 0 ? '' : s.slice(slash) };
  };
  const k = split(key);
  const t = split(image);
  if (k.port !== t.port) return false;
  const kl = k.host.toLowerCase().split('.');
  const tl = t.host.toLowerCase().split('.');
  if (kl.length !== tl.length) return false;
  if (!t.path.startsWith(k.path)) return false;
  return kl.every((label, i) => labelGlobMatches(label, tl[i] ?? ''));
}

/** Docker Hub images, as the kubelet recognises them for the `index.docker.io` fallback. */
function isDockerHubImage(image: string): boolean {
  const slash = image.indexOf('/');
  if (slash < 0) return image !== '';
  const first = image.slice(0, slash);
  if (first === '') return false;
  if (first === 'docker.io' || first === 'index.docker.io') return true;
  return !first.includes('.') && !first.includes(':');
}

/** The kubelet's keyring over imagePullSecrets (see the module comment). */
export class Keyring implements CredentialSource {
  private readonly creds = new Map<string, Credentials[]>();
  private index: string[] = [];

  /** Add one pull secret's docker config (its entries keep their order after earlier secrets'). */
  add(doc: DockerConfigDoc): void {
    for (const e of doc.entries) {
      const key = keyringKey(e.key);
      if (key === undefined) continue;
      let list = this.creds.get(key);
      if (!list) this.creds.set(key, (list = []));
      list.push(e.credentials);
    }
    this.index = [...this.creds.keys()].sort().reverse();
  }

  get size(): number {
    return this.index.length;
  }

  /** Every credential whose key matches `domain/repo`, most specific key first. */
  match(image: string): Credentials[] {
    const out: Credentials[] = [];
    for (const k of this.index) if (keyringMatches(k, image)) out.push(...(this.creds.get(k) ?? []));
    if (out.length === 0 && isDockerHubImage(image)) out.push(...(this.creds.get('index.docker.io') ?? []));
    return out;
  }

  lookup(domain: string, repo: string): Promise<readonly Credentials[]> {
    return Promise.resolve(this.match(`${domain}/${repo}`));
  }
}
