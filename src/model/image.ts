/**
 * Container image references as the container runtime and the kubelet read them
 * (`[domain[:port]/]path[:tag][@digest]`), with Docker Hub normalisation (`nginx` →
 * `docker.io/library/nginx`) and the API server's `imagePullPolicy` defaulting.
 */
import { err, ok, type Result } from '../core/result.js';
import { getString } from './object.js';
import { joinPath } from './path.js';
import type { ContainerView } from './podspec.js';

export interface ImageRef {
  /** The reference as written. */
  readonly raw: string;
  /** Registry host (and port), normalised: `docker.io` when none is written, lower-case. */
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

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** The registry Docker Hub references resolve to. */
export const DOCKER_HUB = 'docker.io';

/**
 * Parse an image reference. The first path component is a registry when it contains `.` or `:`,
 * is `localhost`, or has an upper-case letter (the rule of the reference library the runtimes share);
 * otherwise the image is on Docker Hub.
 */
export function parseImageRef(raw: string): Result<ImageRef> {
  const s = raw.trim();
  if (s === '') return err('the image is empty');
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return err(`"${raw}" has an invalid digest`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return err(`"${raw}" has an invalid tag`);
  }
  let domain = DOCKER_HUB;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first) {
      if (!DOMAIN.test(first)) return err(`"${raw}" has an invalid registry "${first}"`);
      domain = first.toLowerCase();
      path = rest.slice(slash + 1);
    }
  }
  if (domain === 'index.docker.io') domain = DOCKER_HUB;
  if (path === '' || !path.split('/').every((c) => PATH_COMPONENT.test(c))) return err(`"${raw}" is not a valid image reference`);
  if (domain === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  return ok({ raw, domain, path, name: `${domain}/${path}`, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) });
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
