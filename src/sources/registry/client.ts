/**
 * A read-only client of the OCI distribution API: manifests (by tag or digest), blobs, and the OCI 1.1 referrers API
 * with the `sha256-<hex>` tag-schema fallback. HTTPS (plain HTTP only for registries listed as insecure); anonymous,
 * basic or bearer-token auth (RFC 6750 challenges, as `docker login` credentials are used); one cache per digest, a
 * bound on concurrent requests, a timeout per request, size limits on everything read, and every digest checked.
 *
 * Only GET requests are made. Errors are values (`RegistryError`) that say what could not be reached: the engines turn
 * them into "not evaluated", never into a pass.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { CredentialSource, Credentials } from './auth.js';

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
] as const;

/** Largest manifest or index read (as containerd's limit). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Largest blob streamed (an image layer, compressed). */
export const MAX_STREAMED_BLOB_BYTES = 32 * 1024 * 1024 * 1024;

/** Largest blob read (image configs, signature payloads, bundles). */
export const MAX_BLOB_BYTES = 8 * 1024 * 1024;

export class RegistryError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when nothing answered. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export interface RegistryClientOptions {
  /** `host[:port]` reached over plain HTTP. */
  readonly insecure?: readonly string[];
  /** Extra trusted CA certificates (PEM). */
  readonly ca?: string | Buffer;
  /** The credentials to try, in order, for a repository (none: anonymous). */
  readonly credentials?: CredentialSource;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  /**
   * A client kept across many runs (the admission webhook): a tag is resolved again on every call (a moved tag is
   * caught), a failed request is not remembered (the registry may be back), and at most `maxCached` manifests and
   * blobs are kept by digest (content-addressed, so never stale), the oldest dropped first.
   */
  readonly longLived?: { readonly maxCached: number };
}

export interface Fetched {
  readonly digest: string;
  readonly mediaType: string;
  readonly body: Buffer;
}

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Registry host for Docker Hub's `docker.io` name. */
function apiHost(domain: string): string {
  return domain === 'docker.io' ? 'registry-1.docker.io' : domain;
}

export function sha256(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

/** Check content against a digest; only sha256/sha384/sha512 are computed. */
export function digestMatches(body: Buffer, digest: string): boolean {
  const i = digest.indexOf(':');
  const alg = digest.slice(0, i);
  if (alg !== 'sha256' && alg !== 'sha384' && alg !== 'sha512') return false;
  return `${alg}:${createHash(alg).update(body).digest('hex')}` === digest;
}

/** A parsed `WWW-Authenticate` challenge: scheme and parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } | undefined {
  const h = header.trimStart();
  const m = /^\w+/.exec(h);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  // key="quoted value" or key=token, comma-separated; linear: each step consumes at least one character.
  // eslint-disable-next-line regexp/no-super-linear-move -- sticky (/y): tried only at lastIndex, never moved along the input
  const re = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*,?\s*/gy;
  const rest = h.slice(m[0].length).trimStart();
  re.lastIndex = 0;
  let p: RegExpExecArray | null;
  while (re.lastIndex < rest.length && (p = re.exec(rest)) !== null) {
    params[(p[1] ?? '').toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return { scheme: m[0].toLowerCase(), params };
}

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class RegistryClient {
  private readonly insecure: ReadonlySet<string>;
  private readonly sem: Semaphore;
  private readonly timeoutMs: number;
  private readonly https: HttpsAgent;
  private readonly http: HttpAgent;
  /** Bearer tokens per `registry scope`. */
  private readonly tokens = new Map<string, Promise<string | undefined>>();
  /** Content-addressed cache: `registry/repo@digest` → the fetched content (in flight or done). */
  private readonly byDigest = new Map<string, Promise<Fetched>>();
  /** Tag resolutions of this run. */
  private readonly byTag = new Map<string, Promise<Fetched>>();
  /** Number of HTTP requests made, for benchmarks and tests. */
  requests = 0;

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.insecure = new Set((options.insecure ?? []).map((h) => h.toLowerCase()));
    const concurrency = options.concurrency ?? 8;
    this.sem = new Semaphore(concurrency);
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.https = new HttpsAgent({ keepAlive: true, maxSockets: concurrency, ...(options.ca !== undefined ? { ca: options.ca } : {}) });
    this.http = new HttpAgent({ keepAlive: true, maxSockets: concurrency });
  }

  close(): void {
    this.https.destroy();
    this.http.destroy();
  }

  /** `http` for registries listed as insecure, else `https`. */
  schemeOf(domain: string): 'http' | 'https' {
    return this.insecure.has(domain.toLowerCase()) ? 'http' : 'https';
  }

  private base(domain: string): string {
    return `${this.schemeOf(domain)}://${apiHost(domain)}`;
  }

  /**
   * One GET. A 200 answer goes to `stream` when given (read there, with backpressure, within this request's timeout);
   * every other answer is read whole, up to `limit` bytes.
   */
  private once(url: URL, headers: Record<string, string>, limit: number, stream?: (res: AsyncIterable<Buffer>) => Promise<void>): Promise<RawResponse> {
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(url, { method: 'GET', headers: { 'user-agent': 'kspect', ...headers }, agent: secure ? this.https : this.http, timeout: this.timeoutMs }, (res) => {
        if (stream && res.statusCode === 200) {
          stream(res).then(
            () => {
              resolve({ status: 200, headers: res.headers, body: Buffer.alloc(0) });
            },
            (e: unknown) => {
              req.destroy();
              reject(e instanceof Error ? e : new Error(String(e)));
            },
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > limit) {
            req.destroy(new RegistryError(`${url.host}${url.pathname}: the answer is larger than ${limit} bytes`, 0));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new RegistryError(`${url.host}: no answer within ${this.timeoutMs} ms`, 0)));
      req.on('error', (e) => {
        reject(e instanceof RegistryError ? e : new RegistryError(`${url.host}: ${(e as NodeJS.ErrnoException).code ?? e.message}`, 0));
      });
      req.end();
    });
  }

  /** GET with auth challenges answered and redirects followed (blobs are often served from elsewhere). */
  private async get(domain: string, repo: string, path: string, headers: Record<string, string>, limit: number, stream?: (res: AsyncIterable<Buffer>) => Promise<void>): Promise<RawResponse> {
    return this.sem.run(async () => {
      let url = new URL(`${this.base(domain)}${path}`);
      const scope = `repository:${repo}:pull`;
      let auth = await this.cachedAuth(domain, scope);
      let creds: readonly Credentials[] | undefined;
      // Each credential is tried in turn against a challenge (as the kubelet tries every matching one).
      let attempt = 0;
      for (let hop = 0; hop < 6 + attempt; hop++) {
        this.requests++;
        const r = await this.once(url, { ...headers, ...(auth !== undefined && url.host === new URL(this.base(domain)).host ? { authorization: auth } : {}) }, limit, stream);
        if (r.status === 401) {
          creds ??= (await this.options.credentials?.lookup(domain, repo)) ?? [];
          if (attempt >= Math.max(1, creds.length)) return r;
          const answer = await this.answerChallenge(domain, scope, r.headers['www-authenticate'] ?? '', creds, attempt);
          auth = answer.auth;
          attempt = answer.next;
          if (auth === undefined) return r;
          continue;
        }
        if ((r.status === 301 || r.status === 302 || r.status === 307 || r.status === 308) && typeof r.headers.location === 'string') {
          const next = new URL(r.headers.location, url);
          if (next.protocol !== 'https:' && !(next.protocol === 'http:' && url.protocol === 'http:')) throw new RegistryError(`${url.host}: refused redirect to ${next.protocol}//${next.host}`, 0);
          url = next;
          continue;
        }
        return r;
      }
      throw new RegistryError(`${url.host}: too many redirects`, 0);
    });
  }

  private cachedAuth(domain: string, scope: string): Promise<string | undefined> {
    return this.tokens.get(`${domain} ${scope}`) ?? Promise.resolve(undefined);
  }

  /**
   * Answer a challenge with the credential at `attempt` (basic), or the first from there the token service accepts
   * (bearer). `next` is the credential to try after this answer is refused.
   */
  private answerChallenge(domain: string, scope: string, header: string, all: readonly Credentials[], attempt: number): Promise<{ auth?: string; next: number }> {
    const key = `${domain} ${scope}`;
    const pending = (async (): Promise<{ auth?: string; next: number }> => {
      const c = parseChallenge(header);
      if (!c) return { next: all.length };
      if (c.scheme === 'basic') {
        const creds = all[attempt];
        return creds?.username !== undefined ? { auth: `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`, next: attempt + 1 } : { next: all.length };
      }
      if (c.scheme !== 'bearer' || c.params.realm === undefined) return { next: all.length };
      let realm: URL;
      try {
        realm = new URL(c.params.realm);
      } catch {
        throw new RegistryError(`${domain}: the token realm "${c.params.realm}" is not a URL`, 401);
      }
      if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && this.insecure.has(domain.toLowerCase()))) throw new RegistryError(`${domain}: refused a token realm over ${realm.protocol}`, 401);
      if (c.params.service !== undefined) realm.searchParams.set('service', c.params.service);
      realm.searchParams.set('scope', scope);
      let status = 0;
      // No credentials: one anonymous token request.
      for (let i = attempt; i < Math.max(all.length, attempt + 1); i++) {
        const creds = all[i];
        const headers: Record<string, string> = { accept: 'application/json' };
        if (creds?.identityToken !== undefined) {
          // An identity token is a refresh token (OAuth2 flow); GET with it as basic password is what most registries accept.
          headers.authorization = `Basic ${Buffer.from(`<token>:${creds.identityToken}`).toString('base64')}`;
        } else if (creds?.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`;
        this.requests++;
        const r = await this.once(realm, headers, 1024 * 1024);
        status = r.status;
        if (r.status !== 200) continue; // another credential may be accepted
        let j: unknown;
        try {
          j = JSON.parse(r.body.toString('utf8'));
        } catch {
          throw new RegistryError(`${domain}: the token service answer is not JSON`, r.status);
        }
        const token = typeof j === 'object' && j !== null ? ((j as Record<string, unknown>).token ?? (j as Record<string, unknown>).access_token) : undefined;
        if (typeof token !== 'string' || token === '') throw new RegistryError(`${domain}: the token service gave no token`, r.status);
        return { auth: `Bearer ${token}`, next: i + 1 };
      }
      throw new RegistryError(`${domain}: the token service ${realm.host} answered HTTP ${status}`, status);
    })();
    const auth = pending.then((a) => a.auth);
    this.tokens.set(key, auth);
    auth.catch(() => this.tokens.delete(key));
    return pending;
  }

  private static failure(domain: string, what: string, r: RawResponse): RegistryError {
    let detail = `HTTP ${r.status}`;
    try {
      const j = JSON.parse(r.body.toString('utf8')) as { errors?: { code?: unknown; message?: unknown }[] };
      const e = j.errors?.[0];
      if (e && typeof e.code === 'string') detail += ` ${e.code}${typeof e.message === 'string' ? `: ${e.message}` : ''}`;
    } catch {
      // not an error document
    }
    return new RegistryError(`${domain}: ${what}: ${detail.slice(0, 300)}`, r.status);
  }

  /** A manifest or index by tag or digest. By digest the content is checked against it; by tag its digest is computed. */
  manifest(domain: string, repo: string, reference: string): Promise<Fetched> {
    const byDigest = reference.includes(':');
    const key = `${domain}/${repo}@${reference}`;
    const cache = byDigest ? this.byDigest : this.byTag;
    const hit = cache.get(key);
    if (hit) return hit;
    const p = (async (): Promise<Fetched> => {
      const r = await this.get(domain, repo, `/v2/${repo}/manifests/${encodeURIComponent(reference).replace(/%3A/g, ':')}`, { accept: MANIFEST_TYPES.join(', ') }, MAX_MANIFEST_BYTES);
      if (r.status !== 200) throw RegistryClient.failure(domain, `manifest ${repo}${byDigest ? '@' : ':'}${reference}`, r);
      const computed = sha256(r.body);
      if (byDigest && !digestMatches(r.body, reference)) throw new RegistryError(`${domain}: manifest ${repo}@${reference}: the content does not match its digest`, r.status);
      const mediaType = (r.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      const fetched = { digest: byDigest ? reference : computed, mediaType, body: r.body };
      if (!byDigest) this.remember(this.byDigest, `${domain}/${repo}@${computed}`, Promise.resolve(fetched));
      return fetched;
    })();
    this.remember(cache, key, p, !byDigest);
    return p;
  }

  /**
   * Keep a fetch in a cache. A long-lived client drops it again when it fails (or, for a tag, once it is answered:
   * concurrent calls still share it) and keeps at most `maxCached` entries.
   */
  private remember(cache: Map<string, Promise<Fetched>>, key: string, p: Promise<Fetched>, transient = false): void {
    cache.set(key, p);
    const lived = this.options.longLived;
    if (!lived) return;
    const drop = (): void => {
      if (cache.get(key) === p) cache.delete(key);
    };
    p.then(transient ? drop : () => undefined, drop);
    while (cache.size > lived.maxCached) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }

  /** A blob by digest, checked against it. */
  blob(domain: string, repo: string, digest: string, limit = MAX_BLOB_BYTES): Promise<Fetched> {
    const key = `${domain}/${repo}@${digest}#blob`;
    const hit = this.byDigest.get(key);
    if (hit) return hit;
    const p = (async (): Promise<Fetched> => {
      const r = await this.get(domain, repo, `/v2/${repo}/blobs/${digest}`, {}, limit);
      if (r.status !== 200) throw RegistryClient.failure(domain, `blob ${repo}@${digest}`, r);
      if (!digestMatches(r.body, digest)) throw new RegistryError(`${domain}: blob ${repo}@${digest}: the content does not match its digest`, r.status);
      return { digest, mediaType: r.headers['content-type'] ?? '', body: r.body };
    })();
    this.remember(this.byDigest, key, p);
    return p;
  }

  /**
   * A blob by digest, streamed: `consume` reads its bytes as they arrive (within the client's concurrency and
   * timeout) and must read them all; its result is returned only when the content matched the digest. Nothing is
   * cached and nothing but what `consume` keeps stays in memory — for image layers of any size.
   */
  async blobStream<T>(domain: string, repo: string, digest: string, consume: (chunks: AsyncIterable<Buffer>) => Promise<T>, limit = MAX_STREAMED_BLOB_BYTES): Promise<T> {
    const alg = digest.slice(0, digest.indexOf(':'));
    if (alg !== 'sha256' && alg !== 'sha384' && alg !== 'sha512') throw new RegistryError(`${domain}: blob ${repo}@${digest}: unsupported digest algorithm`, 0);
    let result: { value: T } | undefined;
    const r = await this.get(domain, repo, `/v2/${repo}/blobs/${digest}`, {}, MAX_BLOB_BYTES, async (res) => {
      const hash = createHash(alg);
      let size = 0;
      async function* checked(): AsyncGenerator<Buffer> {
        for await (const c of res) {
          size += c.length;
          if (size > limit) throw new RegistryError(`${domain}: blob ${repo}@${digest} is larger than ${limit} bytes`, 0);
          hash.update(c);
          yield c;
        }
      }
      const value = await consume(checked());
      if (`${alg}:${hash.digest('hex')}` !== digest) throw new RegistryError(`${domain}: blob ${repo}@${digest}: the content does not match its digest`, 200);
      result = { value };
    });
    if (r.status !== 200 || !result) throw RegistryClient.failure(domain, `blob ${repo}@${digest}`, r);
    return result.value;
  }

  /**
   * The referrers of a digest: the OCI 1.1 referrers API, or — when the registry does not serve it (404) — the
   * referrers tag schema (`sha256-<hex>` tag holding an index). Undefined when neither exists (no referrers).
   */
  referrers(domain: string, repo: string, digest: string): Promise<{ index: Buffer; via: 'referrers-api' | 'referrers-tag' } | undefined> {
    return (async () => {
      const r = await this.get(domain, repo, `/v2/${repo}/referrers/${digest}`, { accept: 'application/vnd.oci.image.index.v1+json' }, MAX_MANIFEST_BYTES);
      if (r.status === 200) return { index: r.body, via: 'referrers-api' as const };
      if (r.status !== 404) throw RegistryClient.failure(domain, `referrers of ${repo}@${digest}`, r);
      const tag = digest.replace(':', '-');
      try {
        const m = await this.manifest(domain, repo, tag);
        return { index: m.body, via: 'referrers-tag' as const };
      } catch (e) {
        if (e instanceof RegistryError && e.status === 404) return undefined;
        throw e;
      }
    })();
  }

  /** A manifest by tag that may be absent: undefined on 404. */
  async optionalManifest(domain: string, repo: string, tag: string): Promise<Fetched | undefined> {
    try {
      return await this.manifest(domain, repo, tag);
    } catch (e) {
      if (e instanceof RegistryError && e.status === 404) return undefined;
      throw e;
    }
  }
}
