/**
 * Gathering the evidence about images: resolve each reference to its digest, read its manifest and config, and find
 * its signatures where cosign puts them (OCI 1.1 referrers API, the `sha256-<hex>` referrers tag, the legacy
 * `sha256-<hex>.sig` tag) — from a registry or from an OCI image layout folder. Each distinct digest is read once
 * per run, with bounded concurrency. Anything that cannot be read becomes `error` on the evidence: not evaluated.
 */
import type { ImageEvidence } from '../../engines/images/policy.js';
import { COSIGN_SIGN_PREDICATE, SIGNATURE_ANNOTATION, CERTIFICATE_ANNOTATION, REKOR_BUNDLE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE, type SignatureEvidence } from '../../engines/images/signatures.js';
import type { ImageRef } from '../../model/image.js';
import { RegistryClient, RegistryError, type Fetched } from './client.js';
import type { OciLayout } from './layout.js';

/** What an image's manifest and config say, for the hygiene checks. */
export interface ImageFacts {
  readonly mediaType: string;
  /** The image config (of the linux/amd64 manifest, or the first, for an index), as parsed JSON. */
  readonly config?: unknown;
  readonly annotations: Readonly<Record<string, string>>;
  /** Layer digests and media types, for content inspection. */
  readonly layers: readonly { readonly digest: string; readonly mediaType: string; readonly size: number }[];
  /** The repository the layers live in (`domain/path`), to read them. */
  readonly configDigest?: string;
}

export interface GatheredImage {
  readonly evidence: ImageEvidence;
  readonly facts?: ImageFacts;
}

export interface ImageSource {
  readonly client?: RegistryClient;
  readonly layouts: readonly OciLayout[];
  /** Read the image config too (hygiene checks). */
  readonly withConfig: boolean;
}

const BUNDLE_PREFIX = 'application/vnd.dev.sigstore.bundle';
const EMPTY_TYPE = 'application/vnd.oci.empty.v1+json';
/** cosign's annotation on a bundle referrer: what the bundle attests (image signatures or other predicates). */
const PREDICATE_ANNOTATION = 'dev.sigstore.bundle.predicateType';

function json(body: Buffer): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body.toString('utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function descriptors(doc: Record<string, unknown> | undefined, key: 'manifests' | 'layers'): { mediaType: string; digest: string; size: number; artifactType?: string; annotations: Record<string, string>; platform?: { os?: string; architecture?: string } }[] {
  const list = doc?.[key];
  if (!Array.isArray(list)) return [];
  return list.flatMap((d: unknown) => {
    if (typeof d !== 'object' || d === null) return [];
    const r = d as Record<string, unknown>;
    if (typeof r.digest !== 'string') return [];
    const ann = typeof r.annotations === 'object' && r.annotations !== null ? (r.annotations as Record<string, unknown>) : {};
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(ann)) if (typeof v === 'string') annotations[k] = v;
    const platform = typeof r.platform === 'object' && r.platform !== null ? (r.platform as { os?: string; architecture?: string }) : undefined;
    return [{ mediaType: typeof r.mediaType === 'string' ? r.mediaType : '', digest: r.digest, size: typeof r.size === 'number' ? r.size : 0, ...(typeof r.artifactType === 'string' ? { artifactType: r.artifactType } : {}), annotations, ...(platform ? { platform } : {}) }];
  });
}

/** The store an image is read from: a layout holding the digest (or tag), else the registry. */
interface Store {
  manifest(ref: string): Promise<Fetched>;
  optionalManifest(tag: string): Promise<Fetched | undefined>;
  blob(digest: string): Promise<Fetched>;
  referrers(digest: string): Promise<{ index: Buffer; via: 'referrers-api' | 'referrers-tag' } | undefined>;
  readonly name: string;
  readonly via: 'registry' | 'layout';
}

function registryStore(client: RegistryClient, ref: ImageRef): Store {
  const domain = ref.domain;
  const repo = ref.path;
  return {
    name: `${client.schemeOf(domain)}://${domain}`,
    via: 'registry',
    manifest: (r) => client.manifest(domain, repo, r),
    optionalManifest: (t) => client.optionalManifest(domain, repo, t),
    blob: (d) => client.blob(domain, repo, d),
    referrers: (d) => client.referrers(domain, repo, d),
  };
}

function layoutStore(layout: OciLayout): Store {
  return {
    name: `layout:${layout.dir}`,
    via: 'layout',
    manifest: (r) => layout.manifest(r),
    optionalManifest: async (t) => (layout.hasTag(t) ? layout.manifest(t) : undefined),
    blob: (d) => layout.blob(d),
    referrers: (d) => {
      const index = layout.referrersIndex(d);
      return Promise.resolve(index ? { index, via: 'referrers-api' as const } : undefined);
    },
  };
}

async function signaturesOf(store: Store, digest: string): Promise<SignatureEvidence[]> {
  const out: SignatureEvidence[] = [];
  const via = (v: 'referrers-api' | 'referrers-tag' | 'legacy-tag') => (store.via === 'layout' ? 'layout' : v);
  const refs = await store.referrers(digest);
  if (refs) {
    for (const d of descriptors(json(refs.index), 'manifests')) {
      // cosign writes the bundle type on the config descriptor; registries report it, or the empty config type.
      const type = d.artifactType ?? '';
      if (type !== '' && type !== EMPTY_TYPE && !type.startsWith(BUNDLE_PREFIX)) continue;
      const predicate = d.annotations[PREDICATE_ANNOTATION];
      if (predicate !== undefined && predicate !== COSIGN_SIGN_PREDICATE) continue;
      const m = await store.manifest(d.digest);
      const layer = descriptors(json(m.body), 'layers').find((l) => l.mediaType.startsWith(BUNDLE_PREFIX));
      if (!layer) continue;
      const b = await store.blob(layer.digest);
      out.push({ kind: 'bundle', via: via(refs.via), location: `${store.name} referrer ${d.digest}`, bundle: b.body });
    }
  }
  const legacyTag = `${digest.replace(':', '-')}.sig`;
  const legacy = await store.optionalManifest(legacyTag);
  if (legacy) {
    for (const l of descriptors(json(legacy.body), 'layers')) {
      if (l.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) continue;
      const sig = l.annotations[SIGNATURE_ANNOTATION];
      if (sig === undefined) continue;
      const payload = await store.blob(l.digest);
      const cert = l.annotations[CERTIFICATE_ANNOTATION];
      const rekor = l.annotations[REKOR_BUNDLE_ANNOTATION];
      out.push({
        kind: 'simple-signing',
        via: via('legacy-tag'),
        location: `${store.name} tag ${legacyTag}`,
        payload: payload.body,
        signature: sig,
        ...(cert !== undefined && cert !== '' ? { certificate: cert } : {}),
        ...(rekor !== undefined && rekor !== '' ? { rekorBundle: rekor } : {}),
      });
    }
  }
  return out;
}

async function factsOf(store: Store, top: Fetched): Promise<ImageFacts> {
  let doc = json(top.body);
  let mediaType = top.mediaType || (typeof doc?.mediaType === 'string' ? doc.mediaType : '');
  const manifests = descriptors(doc, 'manifests');
  if (manifests.length > 0) {
    const pick = manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? manifests.find((m) => m.platform?.os !== 'unknown') ?? manifests[0];
    if (pick) {
      const m = await store.manifest(pick.digest);
      doc = json(m.body);
      mediaType = m.mediaType || mediaType;
    }
  }
  const annotations: Record<string, string> = {};
  const ann = doc?.annotations;
  if (typeof ann === 'object' && ann !== null) for (const [k, v] of Object.entries(ann)) if (typeof v === 'string') annotations[k] = v;
  const cfg = typeof doc?.config === 'object' && doc.config !== null ? (doc.config as Record<string, unknown>) : undefined;
  const configDigest = typeof cfg?.digest === 'string' ? cfg.digest : undefined;
  let config: unknown;
  if (configDigest !== undefined) config = json((await store.blob(configDigest)).body);
  return { mediaType, ...(config !== undefined ? { config } : {}), annotations, layers: descriptors(doc, 'layers').map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size })), ...(configDigest !== undefined ? { configDigest } : {}) };
}

function errorText(e: unknown): string {
  if (e instanceof RegistryError) return e.message;
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

/**
 * Gather one image: the digest is `knownDigest` (a running imageID), the written digest, or what the tag resolves
 * to now. Never throws: failures are the evidence's `error`.
 */
export async function gatherImage(src: ImageSource, ref: ImageRef, knownDigest?: string): Promise<GatheredImage> {
  const digest0 = knownDigest ?? ref.digest;
  const layout = src.layouts.find((l) => (digest0 !== undefined ? l.hasDigest(digest0) : l.hasTag(ref.tag ?? 'latest', ref.name)));
  const store = layout ? layoutStore(layout) : src.client ? registryStore(src.client, ref) : undefined;
  if (!store) return { evidence: { signatures: [], error: `${ref.name} is in none of the OCI layouts given, and registries are not read`, source: 'none', ...(digest0 !== undefined ? { digest: digest0 } : {}) } };
  let digest = digest0;
  let resolvedTag: string | undefined;
  try {
    let top: Fetched;
    if (digest === undefined) {
      resolvedTag = ref.tag ?? 'latest';
      top = await store.manifest(layout ? `${ref.name}:${resolvedTag}` : resolvedTag);
      digest = top.digest;
    } else top = await store.manifest(digest);
    const signatures = await signaturesOf(store, digest);
    const facts = src.withConfig ? await factsOf(store, top) : undefined;
    return { evidence: { digest, ...(resolvedTag !== undefined ? { resolvedTag } : {}), manifest: top.body, signatures, source: store.name }, ...(facts ? { facts } : {}) };
  } catch (e) {
    return { evidence: { signatures: [], error: errorText(e), source: store.name, ...(digest !== undefined ? { digest } : {}), ...(resolvedTag !== undefined ? { resolvedTag } : {}) } };
  }
}

/** Gather many images, each distinct (reference, known digest) once, `concurrency` at a time. */
export async function gatherImages(src: ImageSource, items: readonly { readonly ref: ImageRef; readonly digest?: string }[], concurrency: number): Promise<Map<string, GatheredImage>> {
  const keyOf = (i: { ref: ImageRef; digest?: string }): string => `${i.ref.name}@${i.digest ?? i.ref.digest ?? `:${i.ref.tag ?? 'latest'}`}`;
  const unique = new Map<string, { ref: ImageRef; digest?: string }>();
  for (const i of items) if (!unique.has(keyOf(i))) unique.set(keyOf(i), i);
  const out = new Map<string, GatheredImage>();
  const queue = [...unique.entries()];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const [key, item] = queue[next++] as [string, { ref: ImageRef; digest?: string }];
      out.set(key, await gatherImage(src, item.ref, item.digest));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
  return out;
}

export function gatherKey(ref: ImageRef, digest?: string): string {
  return `${ref.name}@${digest ?? ref.digest ?? `:${ref.tag ?? 'latest'}`}`;
}
