/**
 * image-registry-not-allowed (opt-in): images pulled from a registry or repository outside the
 * `allowedRegistries` parameter. References are normalised as the runtime does (`nginx` →
 * `docker.io/library/nginx`), so `docker.io/library` allows exactly the official Docker Hub images.
 */
import { wildcardMatch } from '../../core/glob.js';
import { err, ok, type Result } from '../../core/result.js';
import { containerImage, DOCKER_HUB } from '../../model/image.js';
import { containersOf, podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';

/** A `*` glob of one component (host or path component, which hold no `/`). */
export interface ComponentGlob {
  test(value: string): boolean;
}

export interface RegistryPattern {
  /** As written. */
  readonly raw: string;
  /** Glob of the registry host[:port], lower-case. */
  readonly domain: ComponentGlob;
  /** Globs of the leading repository path components. */
  readonly path: readonly ComponentGlob[];
}

export interface RegistryOptions {
  readonly allowedRegistries: readonly RegistryPattern[];
}

// `*` matches within a component (`[^/]*`): patterns hold no `/` (parseRegistryPattern), so a value with a `/`
// never matches and otherwise `*` is a plain wildcard — matched without regular expressions, in linear time.
const glob = (s: string): ComponentGlob => ({ test: (value) => !value.includes('/') && wildcardMatch(s, value) });

/** Parse one allow-list entry: `registry[:port][/path-prefix]`, `*` wildcards within a component. */
export function parseRegistryPattern(raw: string): Result<RegistryPattern> {
  const s = raw.trim().replace(/\/\*?$/, '');
  if (s === '') return err(`"${raw}" is empty`);
  if (s.includes('@')) return err(`"${raw}" names a digest; list registries or repository prefixes`);
  const parts = s.split('/');
  const first = (parts[0] ?? '').toLowerCase();
  if (!(first.includes('.') || first.includes(':') || first === 'localhost') || first === '*') {
    return err(`"${raw}" must start with a registry host, e.g. docker.io/${s} or registry.example.com`);
  }
  if (!/^[a-z0-9.*-]+(?::[0-9]+)?$|^\[[0-9a-f:.]+\](?::[0-9]+)?$/.test(first)) return err(`"${raw}" has an invalid registry host`);
  const rest = parts.slice(1);
  if (rest.some((p) => p === '' || !/^[a-z0-9._*-]+$/.test(p))) return err(`"${raw}" has an invalid repository path (lower-case components, no tag)`);
  const domain = first === 'index.docker.io' ? DOCKER_HUB : first;
  return ok({ raw, domain: glob(domain), path: rest.map(glob) });
}

export function registryAllowed(patterns: readonly RegistryPattern[], domain: string, path: string): boolean {
  const comps = path.split('/');
  // Host names are case-insensitive; the reference keeps the case as written.
  const host = domain.toLowerCase();
  return patterns.some((p) => p.domain.test(host) && p.path.length <= comps.length && p.path.every((re, i) => re.test(comps[i] ?? '')));
}

function parseOptions(value: unknown): Result<RegistryOptions> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return err('must be a mapping with allowedRegistries');
  const extra = Object.keys(value).filter((k) => k !== 'allowedRegistries');
  if (extra.length > 0) return err(`unknown parameter "${extra[0] ?? ''}"`);
  const list = (value as { allowedRegistries?: unknown }).allowedRegistries;
  if (!Array.isArray(list) || list.length === 0 || !list.every((x): x is string => typeof x === 'string')) return err('allowedRegistries must be a non-empty list of strings');
  const out: RegistryPattern[] = [];
  for (const raw of list) {
    const r = parseRegistryPattern(raw);
    if (!r.ok) return err(`allowedRegistries: ${r.error}`);
    out.push(r.value);
  }
  return ok({ allowedRegistries: out });
}

export const imageRegistryNotAllowed = defineCheck<'notAllowed', RegistryOptions>({
  id: 'image-registry-not-allowed',
  meta: {
    title: 'Image from a registry outside the allow-list',
    description:
      'Images from arbitrary registries bypass whatever the organisation does to vet images (scanning, signing, mirroring, licence review) and may disappear or change at a third party\'s will. Restricting workloads to approved registries is a basic supply-chain control.',
    severity: 'medium',
    category: 'supply-chain',
    kinds: POD_SPEC_KINDS,
    messages: {
      notAllowed: 'container "{{container}}" pulls "{{image}}" ({{name}}), which no entry of allowedRegistries covers',
    },
    remediation: 'Mirror the image into an approved registry and reference it there, or add the registry to `parameters.image-registry-not-allowed.allowedRegistries` if it is trusted; enforce the list at admission.',
    references: {
      nsa: ['Pod security: container images', 'Threat detection: image provenance'],
      mitre: ['T1525', 'T1610'],
      urls: ['https://kubernetes.io/docs/concepts/containers/images/'],
    },
    recommended: false,
    options: {
      defaults: { allowedRegistries: [] },
      parse: parseOptions,
      docs: {
        allowedRegistries:
          'list of `registry[:port][/path-prefix]` entries, `*` matching within one component (e.g. `registry.example.com`, `docker.io/library`, `ghcr.io/acme`, `*.dkr.ecr.eu-west-1.amazonaws.com`). Images are normalised first: `nginx` is `docker.io/library/nginx`; a port is part of the registry.',
      },
    },
  },
  create(ctx, options) {
    if (options.allowedRegistries.length === 0) {
      ctx.notEvaluated({ reason: 'missing-input', message: 'image-registry-not-allowed is enabled but parameters.image-registry-not-allowed.allowedRegistries is not set; no image was judged' });
      return {};
    }
    return (obj) => {
      const view = podSpecOf(obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        const img = containerImage(c);
        if (!img) continue;
        if (!img.ref.ok) {
          ctx.notEvaluated({ reason: 'unsupported', object: obj, message: `container "${c.name}": ${img.ref.error}, so its registry cannot be checked` });
          continue;
        }
        const ref = img.ref.value;
        if (!registryAllowed(options.allowedRegistries, ref.domain, ref.path)) {
          ctx.report({ messageId: 'notAllowed', data: { container: c.name, image: img.image, name: ref.name }, object: obj, container: c.name, path: img.path, evidence: `normalised to ${ref.name}` });
        }
      }
    };
  },
});
