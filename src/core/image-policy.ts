/**
 * The `images:` section of `.kspect.yaml`: which images must be signed and by whom, the vulnerability threshold,
 * and image hygiene rules. Validated from `unknown` into a frozen value; every problem is one line. File names
 * (keys, trusted roots) are kept as written: the sources resolve them against the configuration's folder.
 */
import { isSeverity, type Severity } from './severity.js';

/** A keyless signer: the certificate's identity (SAN) and the OIDC issuer that vouched for it. */
export interface KeylessIdentity {
  /** Exact SAN (e-mail or URI); `*` matches any run of characters. */
  readonly identity: string;
  readonly issuer: string;
}

export interface SignatureRule {
  readonly name: string;
  /** Globs over the normalised `domain/path` (`*` within one component, `**` across components). */
  readonly images: readonly string[];
  /** Namespace globs the rule applies to; every namespace when absent. */
  readonly namespaces?: readonly string[];
  /** PEM public key files (cosign ECDSA, Ed25519 or RSA keys). */
  readonly keys: readonly string[];
  readonly keyless: readonly KeylessIdentity[];
  /** A Sigstore `trusted_root.json` for keyless signatures; kspect never fetches trust material. */
  readonly trustedRoot?: string;
  /** enforce (a failure is a finding at the check's severity), warn (low) or audit (info). */
  readonly mode: 'enforce' | 'warn' | 'audit';
}

export interface VulnerabilityPolicy {
  /** The highest severity an image may carry; vulnerabilities above it are findings. */
  readonly maxSeverity: Severity;
  /** Ignore vulnerabilities without a fixed version. */
  readonly ignoreUnfixed: boolean;
  /** Vulnerability ids (CVE-…, GHSA-…) accepted. */
  readonly ignore: readonly string[];
}

export interface HygienePolicy {
  /** Image globs that must be minimal (distroless): no shell, no package manager. */
  readonly distroless: readonly string[];
  /** Approved base images (globs over `domain/path`), from the OCI base-image annotations. */
  readonly approvedBases: readonly string[];
  /** Images built longer ago than this are findings. */
  readonly maxAgeDays?: number;
}

export interface RegistryAccess {
  /** Registries (`host[:port]`) reached over plain HTTP instead of HTTPS. */
  readonly insecure: readonly string[];
  /** PEM CA bundle trusted for registries, besides the system roots. */
  readonly ca?: string;
  /** Docker config.json with credentials (default: $DOCKER_CONFIG/config.json, ~/.docker/config.json). */
  readonly dockerConfig?: string;
  /** OCI image layout folders (air-gapped): images are looked up there by digest before any registry. */
  readonly layouts: readonly string[];
  readonly concurrency: number;
  readonly timeoutSeconds: number;
}

export interface ImagePolicy {
  readonly signatures: readonly SignatureRule[];
  readonly vulnerabilities: VulnerabilityPolicy;
  readonly hygiene: HygienePolicy;
  readonly registries: RegistryAccess;
}

export const DEFAULT_IMAGE_POLICY: ImagePolicy = Object.freeze<ImagePolicy>({
  signatures: [],
  vulnerabilities: { maxSeverity: 'medium', ignoreUnfixed: false, ignore: [] },
  hygiene: { distroless: [], approvedBases: [] },
  registries: { insecure: [], layouts: [], concurrency: 8, timeoutSeconds: 20 },
});

function rec(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keysOnly(v: Record<string, unknown>, allowed: readonly string[], where: string, errors: string[]): void {
  for (const k of Object.keys(v)) if (!allowed.includes(k)) errors.push(`${where}: unknown key "${k}"`);
}

function strings(v: unknown, where: string, errors: string[]): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x !== '')) {
    errors.push(`${where} must be a list of non-empty strings`);
    return [];
  }
  return v as string[];
}

/** An image glob: `domain/path` components, `*` within one, `**` for any number of them. */
export function validImageGlob(g: string): boolean {
  return g !== '' && !g.includes('@') && !g.startsWith('/') && !g.split('/').some((c) => c === '');
}

/** Validate the `images:` section. */
export function parseImagePolicy(doc: unknown, errors: string[]): ImagePolicy {
  if (doc === undefined || doc === null) return DEFAULT_IMAGE_POLICY;
  if (!rec(doc)) {
    errors.push('images must be a mapping (signatures, vulnerabilities, hygiene, registries)');
    return DEFAULT_IMAGE_POLICY;
  }
  keysOnly(doc, ['signatures', 'vulnerabilities', 'hygiene', 'registries'], 'images', errors);

  const signatures: SignatureRule[] = [];
  if (doc.signatures !== undefined) {
    if (!Array.isArray(doc.signatures)) errors.push('images.signatures must be a list of rules');
    else
      doc.signatures.forEach((r: unknown, i) => {
        const where = `images.signatures[${i}]`;
        if (!rec(r)) {
          errors.push(`${where} must be a mapping`);
          return;
        }
        keysOnly(r, ['name', 'images', 'namespaces', 'keys', 'keyless', 'trustedRoot', 'mode'], where, errors);
        const images = strings(r.images, `${where}.images`, errors);
        if (images.length === 0) errors.push(`${where}.images must name at least one image glob (e.g. registry.example.com/team/**)`);
        for (const g of images) if (!validImageGlob(g)) errors.push(`${where}.images: "${g}" is not a domain/path glob`);
        const keys = strings(r.keys, `${where}.keys`, errors);
        const keyless: KeylessIdentity[] = [];
        if (r.keyless !== undefined) {
          if (!Array.isArray(r.keyless)) errors.push(`${where}.keyless must be a list of {identity, issuer}`);
          else
            r.keyless.forEach((k: unknown, j) => {
              const w = `${where}.keyless[${j}]`;
              if (!rec(k) || typeof k.identity !== 'string' || k.identity === '' || typeof k.issuer !== 'string' || k.issuer === '') {
                errors.push(`${w} must have identity and issuer strings`);
                return;
              }
              keysOnly(k, ['identity', 'issuer'], w, errors);
              keyless.push({ identity: k.identity, issuer: k.issuer });
            });
        }
        if (keys.length === 0 && keyless.length === 0) errors.push(`${where} needs keys or keyless identities`);
        if (keyless.length > 0 && (typeof r.trustedRoot !== 'string' || r.trustedRoot === '')) errors.push(`${where}.trustedRoot is required for keyless identities (kspect never fetches trust material)`);
        else if (r.trustedRoot !== undefined && typeof r.trustedRoot !== 'string') errors.push(`${where}.trustedRoot must be a file name`);
        const mode = r.mode ?? 'enforce';
        if (mode !== 'enforce' && mode !== 'warn' && mode !== 'audit') errors.push(`${where}.mode: ${JSON.stringify(mode)} is not enforce, warn or audit`);
        const namespaces = r.namespaces !== undefined ? strings(r.namespaces, `${where}.namespaces`, errors) : undefined;
        signatures.push({
          name: typeof r.name === 'string' && r.name !== '' ? r.name : `rule ${i + 1}`,
          images,
          ...(namespaces ? { namespaces } : {}),
          keys,
          keyless,
          ...(typeof r.trustedRoot === 'string' ? { trustedRoot: r.trustedRoot } : {}),
          mode: mode === 'warn' || mode === 'audit' ? mode : 'enforce',
        });
      });
  }

  let vulnerabilities = DEFAULT_IMAGE_POLICY.vulnerabilities;
  if (doc.vulnerabilities !== undefined) {
    const v = doc.vulnerabilities;
    if (!rec(v)) errors.push('images.vulnerabilities must be a mapping (maxSeverity, ignoreUnfixed, ignore)');
    else {
      keysOnly(v, ['maxSeverity', 'ignoreUnfixed', 'ignore'], 'images.vulnerabilities', errors);
      if (v.maxSeverity !== undefined && !isSeverity(v.maxSeverity)) errors.push(`images.vulnerabilities.maxSeverity: ${JSON.stringify(v.maxSeverity)} is not critical, high, medium, low or info`);
      if (v.ignoreUnfixed !== undefined && typeof v.ignoreUnfixed !== 'boolean') errors.push('images.vulnerabilities.ignoreUnfixed must be true or false');
      vulnerabilities = {
        maxSeverity: isSeverity(v.maxSeverity) ? v.maxSeverity : vulnerabilities.maxSeverity,
        ignoreUnfixed: v.ignoreUnfixed === true,
        ignore: strings(v.ignore, 'images.vulnerabilities.ignore', errors),
      };
    }
  }

  let hygiene = DEFAULT_IMAGE_POLICY.hygiene;
  if (doc.hygiene !== undefined) {
    const h = doc.hygiene;
    if (!rec(h)) errors.push('images.hygiene must be a mapping (distroless, approvedBases, maxAgeDays)');
    else {
      keysOnly(h, ['distroless', 'approvedBases', 'maxAgeDays'], 'images.hygiene', errors);
      const distroless = strings(h.distroless, 'images.hygiene.distroless', errors);
      const approvedBases = strings(h.approvedBases, 'images.hygiene.approvedBases', errors);
      for (const g of [...distroless, ...approvedBases]) if (!validImageGlob(g)) errors.push(`images.hygiene: "${g}" is not a domain/path glob`);
      if (h.maxAgeDays !== undefined && (typeof h.maxAgeDays !== 'number' || !Number.isInteger(h.maxAgeDays) || h.maxAgeDays <= 0)) errors.push('images.hygiene.maxAgeDays must be a positive whole number');
      hygiene = { distroless, approvedBases, ...(typeof h.maxAgeDays === 'number' && h.maxAgeDays > 0 ? { maxAgeDays: h.maxAgeDays } : {}) };
    }
  }

  let registries = DEFAULT_IMAGE_POLICY.registries;
  if (doc.registries !== undefined) {
    const r = doc.registries;
    if (!rec(r)) errors.push('images.registries must be a mapping (insecure, ca, dockerConfig, layouts, concurrency, timeoutSeconds)');
    else {
      keysOnly(r, ['insecure', 'ca', 'dockerConfig', 'layouts', 'concurrency', 'timeoutSeconds'], 'images.registries', errors);
      const posInt = (x: unknown, name: string, max: number): number | undefined => {
        if (x === undefined) return undefined;
        if (typeof x !== 'number' || !Number.isInteger(x) || x <= 0 || x > max) {
          errors.push(`images.registries.${name} must be a whole number from 1 to ${max}`);
          return undefined;
        }
        return x;
      };
      for (const k of ['ca', 'dockerConfig'] as const) if (r[k] !== undefined && (typeof r[k] !== 'string' || r[k] === '')) errors.push(`images.registries.${k} must be a file name`);
      registries = {
        insecure: strings(r.insecure, 'images.registries.insecure', errors),
        ...(typeof r.ca === 'string' && r.ca !== '' ? { ca: r.ca } : {}),
        ...(typeof r.dockerConfig === 'string' && r.dockerConfig !== '' ? { dockerConfig: r.dockerConfig } : {}),
        layouts: strings(r.layouts, 'images.registries.layouts', errors),
        concurrency: posInt(r.concurrency, 'concurrency', 64) ?? registries.concurrency,
        timeoutSeconds: posInt(r.timeoutSeconds, 'timeoutSeconds', 600) ?? registries.timeoutSeconds,
      };
    }
  }

  return Object.freeze({ signatures, vulnerabilities, hygiene, registries });
}
