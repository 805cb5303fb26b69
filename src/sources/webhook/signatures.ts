/**
 * Image signatures at admission: the evidence `kspect images verify` gathers (the registry source's gatherImage, the
 * signature rules loaded by trust.ts), kept for a long-running webhook — one registry client for the server's life
 * (manifests and blobs cached by digest, bounded), tag resolutions remembered for a few seconds (the enforce, warn and
 * audit calls of one request share one), the evidence of a digest for minutes (without signatures: 30 s) (a second review of the same digest
 * makes no registry request), failures never remembered. Registry credentials: the webhook's docker config, then the
 * imagePullSecrets of the pod under review (read with GET through `pullSecrets`, cached for a minute). The decision
 * itself is the images engine's judgeImage, called by review.ts and imagereview.ts.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ImagePolicy } from '../../core/image-policy.js';
import { rulesFor, type ImageEvidence, type LoadedRule } from '../../engines/images/policy.js';
import type { ImageRef } from '../../model/image.js';
import { connect } from '../cluster.js';
import { chainCredentials, Keyring, readDockerConfig, type CredentialSource, type Credentials, type DockerConfigDoc } from '../registry/auth.js';
import { RegistryClient } from '../registry/client.js';
import { readPullSecret } from '../registry/pods.js';
import { gatherImage, type ImageSource } from '../registry/gather.js';
import { OciLayout } from '../registry/layout.js';
import { loadRules } from '../registry/trust.js';

export interface ImageVerifierOptions {
  /** The `images:` section of `.kspect.yaml` (signature rules and registry access), as `kspect images verify` reads it. */
  readonly policy: ImagePolicy;
  /** The folder relative key and layout file names resolve against (the configuration's). */
  readonly baseDir: string;
  /** The webhook's own registry credentials (its docker config). */
  readonly credentials?: CredentialSource;
  /** CA certificates (PEM) trusted for registries, besides the system roots. */
  readonly ca?: string | Buffer;
  /**
   * The docker configs of a pod's imagePullSecrets (`namespace`, secret names), read from the API server; a secret
   * that cannot be read is left out (the registry is then read with the other credentials, or anonymously).
   */
  readonly pullSecrets?: (namespace: string, names: readonly string[]) => Promise<ReadonlyMap<string, DockerConfigDoc>>;
  /** Monotonic milliseconds (tests move it). */
  readonly clock?: () => number;
  /** How long a digest's evidence with signatures is kept (default 300 s). */
  readonly evidenceSeconds?: number;
  /** How long a digest found without any signature is kept (default 30 s: a signature may be pushed any moment). */
  readonly unsignedSeconds?: number;
  /** How long a tag's resolution is kept (default 10 s). */
  readonly tagSeconds?: number;
  /** How many digests' evidence are kept (default 4,096). */
  readonly maxEntries?: number;
}

/** One image to verify: the reference, and where the pod takes its pull secrets from. */
export interface ImageToVerify {
  readonly ref: ImageRef;
  readonly namespace?: string;
  readonly pullSecrets?: readonly string[];
}

interface Timed<T> {
  readonly at: number;
  readonly value: T;
}

/** The credentials of the review a registry request is made for (AsyncLocalStorage follows it into the client). */
const reviewCredentials = new AsyncLocalStorage<Keyring>();

export class ImageVerifier {
  private readonly evidenceCache = new Map<string, Timed<ImageEvidence>>();
  private readonly tagCache = new Map<string, Timed<string>>();
  private readonly inFlight = new Map<string, Promise<ImageEvidence>>();
  private readonly secretCache = new Map<string, Timed<DockerConfigDoc | undefined>>();
  private readonly clock: () => number;

  private constructor(
    readonly rules: readonly LoadedRule[],
    private readonly source: ImageSource & { readonly client: RegistryClient },
    private readonly options: ImageVerifierOptions,
  ) {
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Load the rules' trust material and open the layouts; `problems` are one line each (the rule's images are then not evaluated). */
  static async create(options: ImageVerifierOptions): Promise<{ verifier: ImageVerifier; problems: string[] }> {
    const loaded = await loadRules(options.policy.signatures, options.baseDir);
    const problems = [...loaded.problems];
    const layouts: OciLayout[] = [];
    for (const dir of options.policy.registries.layouts) {
      try {
        layouts.push(await OciLayout.open(dir));
      } catch (e) {
        problems.push(e instanceof Error ? e.message : String(e));
      }
    }
    const own = options.credentials;
    // The webhook's docker config first (as docker and cosign use it), then the pod's pull secrets (as the kubelet).
    const perReview: CredentialSource = { lookup: (domain, repo) => reviewCredentials.getStore()?.lookup(domain, repo) ?? Promise.resolve([] as readonly Credentials[]) };
    const client = new RegistryClient({
      insecure: options.policy.registries.insecure,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      credentials: own ? chainCredentials(own, perReview) : perReview,
      concurrency: options.policy.registries.concurrency,
      timeoutMs: options.policy.registries.timeoutSeconds * 1000,
      longLived: { maxCached: 1024 },
    });
    return { verifier: new ImageVerifier(loaded.rules, { client, layouts, withConfig: false }, options), problems };
  }

  /** Whether a signature rule covers this image in this namespace (only those are read from a registry). */
  covers(ref: Pick<ImageRef, 'name'>, namespace: string | undefined): boolean {
    return rulesFor(this.rules, ref, namespace).length > 0;
  }

  /** HTTP requests made to registries so far (benchmarks, tests). */
  requests(): number {
    return this.source.client.requests;
  }

  close(): void {
    this.source.client.close();
  }

  /**
   * The evidence about each image (tag resolved to a digest, the digest's signatures), in order. Never throws: what
   * could not be read is the evidence's `error`, and such evidence is not remembered.
   */
  async evidence(images: readonly ImageToVerify[]): Promise<ImageEvidence[]> {
    return Promise.all(images.map((i) => this.one(i)));
  }

  private async one(item: ImageToVerify): Promise<ImageEvidence> {
    const { ref } = item;
    let digest = ref.digest;
    let resolvedTag: string | undefined;
    if (digest === undefined) {
      resolvedTag = ref.tag ?? 'latest';
      const r = await this.resolveTag(item, resolvedTag);
      if (typeof r === 'object') return r;
      digest = r;
    }
    const hit = digest !== undefined ? this.evidenceCache.get(`${ref.name}@${digest}`) : undefined;
    if (hit && this.clock() - hit.at < this.keepMs(hit.value)) return resolvedTag !== undefined ? { ...hit.value, resolvedTag } : hit.value;
    // One gathering per image at a time: the enforce, warn and audit calls of one request arrive together.
    const key = `${ref.name}${digest !== undefined ? `@${digest}` : `:${resolvedTag ?? ''}`}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.gather(item, digest).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const ev = await pending;
    return resolvedTag !== undefined && ev.resolvedTag === undefined ? { ...ev, resolvedTag } : ev;
  }

  /** How long evidence is kept: without signatures (a signature may be added any moment) shorter. */
  private keepMs(ev: ImageEvidence): number {
    return (ev.signatures.length === 0 ? (this.options.unsignedSeconds ?? 30) : (this.options.evidenceSeconds ?? 300)) * 1000;
  }

  /**
   * A tag's digest now (remembered for a few seconds): one manifest request, after which the digest's cached
   * evidence answers. Undefined when an OCI layout holds the tag (gatherImage resolves it there); evidence with the
   * error when the registry cannot say.
   */
  private async resolveTag(item: ImageToVerify, tag: string): Promise<string | undefined | ImageEvidence> {
    const { ref } = item;
    const key = `${ref.name}:${tag}`;
    const hit = this.tagCache.get(key);
    if (hit && this.clock() - hit.at < (this.options.tagSeconds ?? 10) * 1000) return hit.value;
    if (this.source.layouts.some((l) => l.hasTag(tag, ref.name))) return undefined;
    const client = this.source.client;
    try {
      const keyring = await this.keyring(item);
      const m = await reviewCredentials.run(keyring, () => client.manifest(ref.domain, ref.path, tag));
      this.put(this.tagCache, key, { at: this.clock(), value: m.digest });
      return m.digest;
    } catch (e) {
      return { signatures: [], error: e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e), source: `${client.schemeOf(ref.domain)}://${ref.domain}`, resolvedTag: tag };
    }
  }

  private async keyring(item: ImageToVerify): Promise<Keyring> {
    const keyring = new Keyring();
    if (this.options.pullSecrets && item.namespace !== undefined && (item.pullSecrets ?? []).length > 0) {
      for (const doc of await this.secrets(item.namespace, item.pullSecrets ?? [])) keyring.add(doc);
    }
    return keyring;
  }

  private async gather(item: ImageToVerify, digest: string | undefined): Promise<ImageEvidence> {
    const keyring = await this.keyring(item);
    const got = await reviewCredentials.run(keyring, () => gatherImage(this.source, item.ref, digest));
    const ev = got.evidence;
    if (ev.error === undefined && ev.digest !== undefined) {
      const at = this.clock();
      if (ev.resolvedTag !== undefined) this.put(this.tagCache, `${item.ref.name}:${ev.resolvedTag}`, { at, value: ev.digest });
      const { resolvedTag: _tag, ...byDigest } = ev;
      this.put(this.evidenceCache, `${item.ref.name}@${ev.digest}`, { at, value: byDigest });
    }
    return ev;
  }

  private async secrets(namespace: string, names: readonly string[]): Promise<DockerConfigDoc[]> {
    const now = this.clock();
    const want = names.filter((n) => {
      const hit = this.secretCache.get(`${namespace}/${n}`);
      return !hit || now - hit.at >= 60_000;
    });
    if (want.length > 0 && this.options.pullSecrets) {
      const docs = await this.options.pullSecrets(namespace, want).catch(() => new Map<string, DockerConfigDoc>());
      for (const n of want) this.put(this.secretCache, `${namespace}/${n}`, { at: now, value: docs.get(n) });
    }
    return names.flatMap((n) => {
      const doc = this.secretCache.get(`${namespace}/${n}`)?.value;
      return doc ? [doc] : [];
    });
  }

  private put<T>(cache: Map<string, Timed<T>>, key: string, value: Timed<T>): void {
    cache.delete(key);
    cache.set(key, value);
    const max = this.options.maxEntries ?? 4096;
    while (cache.size > max) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }
}

/**
 * Read a Pod's imagePullSecrets from the API server (GET each, never list; `get` on secrets in the namespaces the
 * webhook judges is the only extra permission): their docker configs by secret name. A secret that cannot be read
 * or is not a docker config is left out and logged; its value is never logged.
 */
export function pullSecretReader(opts: { readonly kubeconfig?: string; readonly context?: string; readonly timeoutMs?: number; readonly log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void }): (namespace: string, names: readonly string[]) => Promise<ReadonlyMap<string, DockerConfigDoc>> {
  let conn: ReturnType<typeof connect> | undefined;
  return async (namespace, names) => {
    conn ??= connect({ ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context !== undefined ? { context: opts.context } : {}), ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) });
    const c = await conn;
    const out = new Map<string, DockerConfigDoc>();
    for (const name of names) {
      const read = await readPullSecret(c, namespace, name);
      if (read.kind === 'unreadable') {
        opts.log?.('warn', 'imagePullSecret not read; its registries are read with the other credentials', { namespace, secret: name, status: read.status });
        continue;
      }
      if (read.kind === 'not-a-docker-config') continue;
      const problems: string[] = [];
      if (read.kind === 'not-json') problems.push(`imagePullSecret ${namespace}/${name}: its docker config is not JSON`);
      else out.set(name, readDockerConfig(read.doc, `imagePullSecret ${namespace}/${name}`, problems));
      for (const p of problems) opts.log?.('warn', p, {});
    }
    return out;
  };
}
