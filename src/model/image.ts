/**
 * Container image references exactly as the kubelet and the container runtimes read them: the grammar of
 * github.com/distribution/reference (`Parse`, `ParseNormalizedNamed`, `ParseDockerRef`) with go-digest's digest
 * validation, Docker Hub normalisation (`nginx` → `docker.io/library/nginx`), the 64-hex-name rejection, and the
 * API server's `imagePullPolicy` defaulting. Proven on upstream's own test tables (testdata/reference/).
 *
 * Parsing is procedural rather than one big regular expression so that it stays linear on any input; each rule
 * below names the production of the upstream grammar it implements.
 */
import { err, ok, type Result } from '../core/result.js';
import { getString } from './object.js';
import { joinPath } from './path.js';
import type { ContainerView } from './podspec.js';

export interface ImageRef {
  /** The reference as written. */
  readonly raw: string;
  /** Registry host (and port) as upstream keeps it (case preserved); `docker.io` when none is written. */
  readonly domain: string;
  /** Repository path inside the registry, with `library/` added for official Docker Hub images. */
  readonly path: string;
  /** `domain/path`: the fully qualified repository name. */
  readonly name: string;
  /** The tag as written, when there is one. */
  readonly tag?: string;
  /** The digest (`sha256:…`), when there is one. */
  readonly digest?: string;
}

/** Why a reference does not parse: upstream's error values, named. */
export type ReferenceErrorCode =
  | 'name-empty'
  | 'reference-invalid-format'
  | 'name-contains-uppercase'
  | 'name-too-long'
  | 'digest-invalid-format'
  | 'digest-invalid-length'
  | 'digest-unsupported'
  | 'identifier-as-name';

export class ReferenceError {
  constructor(
    readonly code: ReferenceErrorCode,
    readonly message: string,
  ) {}
}

/** A reference as `Parse` returns it: no normalisation, domain empty when none is recognised. */
export interface ParsedReference {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** The registry Docker Hub references resolve to. */
export const DOCKER_HUB = 'docker.io';
const LEGACY_DOCKER_HUB = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
/** RepositoryNameTotalLengthMax. */
export const REPOSITORY_NAME_MAX = 255;

// path-component := alpha-numeric [separator alpha-numeric]*; separator := [_.] | __ | [-]+
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
// tag := [\w][\w.-]{0,127}
const TAG = /^\w[\w.-]{0,127}$/;
// digest := algorithm ":" hex; algorithm components [A-Za-z][A-Za-z0-9]* joined by [-_+.]; hex at least 32 digits
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
// identifier := [a-f0-9]{64}
const IDENTIFIER = /^[a-f0-9]{64}$/;
const HEX_LOWER = /^[a-f0-9]+$/;
/**
 * Digest algorithms go-digest can check here. Upstream's unit tests link only crypto/sha256, but every binary that
 * parses pod images (kubelet, containerd, CRI-O) links crypto/sha512 too, which registers sha384 and sha512.
 */
const DIGEST_SIZES: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

function domainComponent(s: string): boolean {
  // [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
  if (s === '') return false;
  const alnum = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  if (!alnum(s[0] ?? '') || !alnum(s[s.length - 1] ?? '')) return false;
  for (const c of s) if (!alnum(c) && c !== '-') return false;
  return true;
}

/** domain := host [":" port]; host := domain-name | "[" IPv6 "]" (hex digits and colons only). */
export function isDomain(s: string): boolean {
  let host = s;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return false;
    const inner = s.slice(1, close);
    if (inner === '' || !/^[a-fA-F0-9:]+$/.test(inner)) return false;
    const after = s.slice(close + 1);
    return after === '' || /^:[0-9]+$/.test(after);
  }
  const colon = s.indexOf(':');
  if (colon >= 0) {
    if (!/^[0-9]+$/.test(s.slice(colon + 1))) return false;
    host = s.slice(0, colon);
  }
  return host.split('.').every(domainComponent);
}

function isRemoteName(s: string): boolean {
  return s !== '' && s.split('/').every((c) => PATH_COMPONENT.test(c));
}

/** name := [domain "/"] remote-name, trying the domain first as the anchored expression does. */
function splitName(name: string): { domain: string; path: string } | undefined {
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const first = name.slice(0, slash);
    const rest = name.slice(slash + 1);
    if (isDomain(first) && isRemoteName(rest)) return { domain: first, path: rest };
  }
  return isRemoteName(name) ? { domain: '', path: name } : undefined;
}

/** reference := name [":" tag] ["@" digest], matched as the anchored ReferenceRegexp does; undefined when it does not match. */
function matchReference(s: string): { domain: string; path: string; tag?: string; digest?: string } | undefined {
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const name = splitName(rest);
  if (!name) return undefined;
  return { ...name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** go-digest's `Digest.Validate`, with sha256, sha384 and sha512 available. */
export function validateDigest(d: string): ReferenceError | undefined {
  const i = d.indexOf(':');
  if (i <= 0 || i + 1 === d.length) return new ReferenceError('digest-invalid-format', 'invalid checksum digest format');
  const algorithm = d.slice(0, i);
  const encoded = d.slice(i + 1);
  const size = DIGEST_SIZES[algorithm];
  if (size === undefined) {
    if (!DIGEST.test(d)) return new ReferenceError('digest-invalid-format', 'invalid checksum digest format');
    return new ReferenceError('digest-unsupported', `unsupported digest algorithm "${algorithm}"`);
  }
  if (encoded.length !== size) return new ReferenceError('digest-invalid-length', 'invalid checksum digest length');
  if (!HEX_LOWER.test(encoded)) return new ReferenceError('digest-invalid-format', 'invalid checksum digest format');
  return undefined;
}

/** distribution/reference `Parse`: the reference as written, without normalisation. */
export function parseReference(s: string): ParsedReference | ReferenceError {
  if (s === '') return new ReferenceError('name-empty', 'repository name must have at least one component');
  const m = matchReference(s);
  if (!m) {
    const lower = s.toLowerCase();
    if (lower !== s && matchReference(lower)) return new ReferenceError('name-contains-uppercase', 'repository name must be lowercase');
    return new ReferenceError('reference-invalid-format', 'invalid reference format');
  }
  if (m.path.length > REPOSITORY_NAME_MAX) return new ReferenceError('name-too-long', `repository name must not be more than ${REPOSITORY_NAME_MAX} characters`);
  if (m.digest !== undefined) {
    const e = validateDigest(m.digest);
    if (e) return e;
  }
  return m;
}

/** splitDockerDomain: Docker Hub's default domain and `library/` prefix for familiar names. */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  if (slash < 0) return { domain: DOCKER_HUB, remainder: OFFICIAL_PREFIX + name };
  const maybeDomain = name.slice(0, slash);
  const maybeRemote = name.slice(slash + 1);
  let domain: string;
  let remainder: string;
  if (maybeDomain === 'localhost') [domain, remainder] = [maybeDomain, maybeRemote];
  else if (maybeDomain === LEGACY_DOCKER_HUB) [domain, remainder] = [DOCKER_HUB, maybeRemote];
  else if (maybeDomain.includes('.') || maybeDomain.includes(':')) [domain, remainder] = [maybeDomain, maybeRemote];
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remainder] = [maybeDomain, maybeRemote];
  else [domain, remainder] = [DOCKER_HUB, name];
  if (domain === DOCKER_HUB && !remainder.includes('/')) remainder = OFFICIAL_PREFIX + remainder;
  return { domain, remainder };
}

/** distribution/reference `ParseNormalizedNamed`: what the kubelet and the runtimes pull. */
export function parseNormalizedNamed(s: string): ParsedReference | ReferenceError {
  if (IDENTIFIER.test(s)) return new ReferenceError('identifier-as-name', `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  const { domain, remainder } = splitDockerDomain(s);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep >= 0 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) return new ReferenceError('name-contains-uppercase', `invalid reference format: repository name (${remote}) must be lowercase`);
  return parseReference(`${domain}/${remainder}`);
}

/**
 * Parse an image reference as the kubelet does (ParseNormalizedNamed): the first path component is a registry when
 * it contains `.` or `:`, is `localhost`, or has an upper-case letter; otherwise the image is on Docker Hub.
 */
export function parseImageRef(raw: string): Result<ImageRef> {
  // Several checks parse the same few images of an object: a bounded memo (the result is a pure function of `raw`).
  const hit = parsedRefs.get(raw);
  if (hit) return hit;
  const parsed = parseImageRefOnce(raw);
  if (parsedRefs.size >= PARSED_MAX) parsedRefs.clear();
  parsedRefs.set(raw, parsed);
  return parsed;
}

const PARSED_MAX = 4096;
const parsedRefs = new Map<string, Result<ImageRef>>();

function parseImageRefOnce(raw: string): Result<ImageRef> {
  const r = parseNormalizedNamed(raw);
  if (r instanceof ReferenceError) return err(raw === '' ? 'the image is empty' : `"${raw}" is not a valid image reference: ${r.message}`);
  return ok({ raw, domain: r.domain, path: r.path, name: `${r.domain}/${r.path}`, ...(r.tag !== undefined ? { tag: r.tag } : {}), ...(r.digest !== undefined ? { digest: r.digest } : {}) });
}

/** The canonical string: `domain/path[:tag][@digest]`. */
export function referenceString(ref: Pick<ImageRef, 'name' | 'tag' | 'digest'>): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** `ParseDockerRef`: the digest alone when there is one, else the tag (`latest` when none is written). */
export function dockerRef(ref: Pick<ImageRef, 'name' | 'tag' | 'digest'>): string {
  return ref.digest !== undefined ? `${ref.name}@${ref.digest}` : `${ref.name}:${ref.tag ?? 'latest'}`;
}

/** `FamiliarName`: `docker.io/library/x` → `x`, `docker.io/org/x` → `org/x`, others unchanged. */
export function familiarName(ref: Pick<ImageRef, 'domain' | 'path'>): string {
  if (ref.domain !== DOCKER_HUB) return `${ref.domain}/${ref.path}`;
  if (ref.path.startsWith(OFFICIAL_PREFIX) && !ref.path.slice(OFFICIAL_PREFIX.length).includes('/')) return ref.path.slice(OFFICIAL_PREFIX.length);
  return ref.path;
}

/**
 * The tag the runtime pulls: the written one, or `latest` when neither tag nor digest is written
 * (a digest alone pins the image and implies no tag).
 */
export function effectiveTag(ref: ImageRef): string | undefined {
  return ref.tag ?? (ref.digest === undefined ? 'latest' : undefined);
}

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/**
 * The `imagePullPolicy` the API server stores when the field is empty: `Always` when the effective tag
 * is `latest`, otherwise `IfNotPresent`. A reference that does not parse defaults to `IfNotPresent`,
 * as upstream ignores the parse error there.
 */
export function defaultPullPolicy(image: string): PullPolicy {
  const r = parseImageRef(image);
  return r.ok && effectiveTag(r.value) === 'latest' ? 'Always' : 'IfNotPresent';
}

/** The image of a container, with the path of its `image` field and the parse result. */
export interface ContainerImage {
  readonly image: string;
  readonly path: string;
  readonly ref: Result<ImageRef>;
}

/** Read and parse a container's image; undefined when the container has no `image` string. */
export function containerImage(container: ContainerView): ContainerImage | undefined {
  const image = getString(container.container, 'image');
  if (image === undefined) return undefined;
  return { image, path: joinPath(container.path, 'image'), ref: parseImageRef(image) };
}

/**
 * The manifest digest a pod status `imageID` reports as running: only `repo@sha256:…` (with or without a
 * `docker-pullable://` scheme) names a manifest; a bare `sha256:…` (or `docker://sha256:…`) is the runtime's image
 * ID, the digest of the image config, which no registry serves as a manifest.
 */
export function runningDigestOfImageId(imageId: string): string | undefined {
  return imageId.includes('@') ? digestOfImageId(imageId) : undefined;
}

/**
 * The digest of a pod status `imageID` (`docker-pullable://repo@sha256:…`, `repo@sha256:…` or a bare
 * `sha256:…`), when it names one.
 */
export function digestOfImageId(imageId: string): string | undefined {
  const s = imageId.replace(/^[a-z-]+:\/\//, '');
  const at = s.lastIndexOf('@');
  const d = at >= 0 ? s.slice(at + 1) : s;
  return DIGEST.test(d) && validateDigest(d) === undefined ? d : undefined;
}
