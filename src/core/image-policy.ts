/**
 * The `images:` section of `.kspect.yaml`: which images must be signed and by whom, which must be minimal, and how
 * registries are reached. Validated from `unknown` into a frozen value; every problem is one line. File names
 * (keys, trusted roots) are kept as written: the sources resolve them against the configuration's folder.
 */

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
  /**
   * Whether key signatures must be in a transparency log of the trusted root: `required` (the default when a
   * trusted root is given, as `cosign verify --key`) or `ignored` (cosign's `--insecure-ignore-tlog`; the default
   * without a trusted root). Keyless signatures always need their log entry.
   */
  readonly transparencyLog?: 'required' | 'ignored';
  /** enforce (a failure is a finding at the check's severity), warn (low) or audit (info). */
  readonly mode: 'enforce' | 'warn' | 'audit';
}

/**
 * What decides which image content is read. The thresholds of the hygiene and vulnerability checks are their
 * parameters (`parameters.image-vulnerabilities.maxSeverity`, `image-too-old.maxAgeDays`, …), like every check's.
 */
export interface HygienePolicy {
  /** Image globs that must be minimal (distroless): their layers are read for shells and package managers. */
  readonly distroless: readonly string[];
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
  readonly hygiene: HygienePolicy;
  readonly registries: RegistryAccess;
}

export const DEFAULT_IMAGE_POLICY: ImagePolicy = Object.freeze<ImagePolicy>({
  signatures: [],
  hygiene: { distroless: [] },
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
    errors.push('images must be a mapping (signatures, hygiene, registries)');
    return DEFAULT_IMAGE_POLICY;
  }
  keysOnly(doc, ['signatures', 'hygiene', 'registries'], 'images', errors);

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
        keysOnly(r, ['name', 'images', 'namespaces', 'keys', 'keyless', 'trustedRoot', 'transparencyLog', 'mode'], where, errors);
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
        const tlog = r.transparencyLog;
        if (tlog !== undefined && tlog !== 'required' && tlog !== 'ignored') errors.push(`${where}.transparencyLog: ${JSON.stringify(tlog)} is not required or ignored`);
        else if (tlog === 'required' && typeof r.trustedRoot !== 'string') errors.push(`${where}.transparencyLog: required needs a trustedRoot holding the log's key`);
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
          ...(tlog === 'required' || tlog === 'ignored' ? { transparencyLog: tlog } : {}),
          mode: mode === 'warn' || mode === 'audit' ? mode : 'enforce',
        });
      });
  }

  let hygiene = DEFAULT_IMAGE_POLICY.hygiene;
  if (doc.hygiene !== undefined) {
    const h = doc.hygiene;
    if (!rec(h)) errors.push('images.hygiene must be a mapping (distroless)');
    else {
      keysOnly(h, ['distroless'], 'images.hygiene', errors);
      const distroless = strings(h.distroless, 'images.hygiene.distroless', errors);
      for (const g of distroless) if (!validImageGlob(g)) errors.push(`images.hygiene: "${g}" is not a domain/path glob`);
      hygiene = { distroless };
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

  return Object.freeze({ signatures, hygiene, registries });
}
