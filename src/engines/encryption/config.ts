/**
 * EncryptionConfiguration (apiserver.config.k8s.io/v1): parsing, validation as the API server does
 * it, which provider encrypts a resource, and the weaknesses kspect reports. Key material is kept
 * inside a `KeyMaterial` that never serialises or prints its bytes.
 */
import type { Severity } from '../../core/severity.js';
import { getArray, getObject, getString, isObject } from '../../model/object.js';

/** Key bytes that refuse to be printed: JSON, String() and util.inspect all show `[redacted]`. */
export class KeyMaterial {
  readonly #bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }
  /** The key length in bytes. */
  get length(): number {
    return this.#bytes.length;
  }
  /** The raw key, for a decrypting engine. Never log it. */
  reveal(): Uint8Array {
    return this.#bytes;
  }
  toJSON(): string {
    return '[redacted]';
  }
  toString(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'KeyMaterial [redacted]';
  }
}

export const PROVIDER_TYPES = ['identity', 'aescbc', 'aesgcm', 'secretbox', 'kms'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export interface EncryptionKey {
  readonly name: string;
  /** Decoded length in bytes; undefined when the secret is not valid base64. */
  readonly size?: number;
  readonly base64Valid: boolean;
  /** Undefined when the secret is not valid base64. */
  readonly material?: KeyMaterial;
  readonly path: string;
}

export interface EncryptionProvider {
  readonly type: ProviderType;
  readonly path: string;
  readonly keys: readonly EncryptionKey[];
  /** kms only. */
  readonly kms?: { readonly name: string; readonly apiVersion: 'v1' | 'v2'; readonly endpoint?: string };
}

export interface ResourceRule {
  readonly resources: readonly string[];
  readonly providers: readonly EncryptionProvider[];
  readonly path: string;
}

export interface EncryptionConfig {
  readonly rules: readonly ResourceRule[];
}

export interface EncryptionError {
  readonly path: string;
  readonly message: string;
}

export interface ParsedEncryptionConfig {
  readonly config?: EncryptionConfig;
  /** What the API server would reject (it refuses to start). */
  readonly errors: readonly EncryptionError[];
}

/** Go's base64.StdEncoding.DecodeString: standard alphabet, padding required; CR and LF are ignored. */
export function decodeStdBase64(text: string): Uint8Array | undefined {
  const s = text.replace(/[\r\n]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) return undefined;
  return new Uint8Array(Buffer.from(s, 'base64'));
}

const AES_SIZES = [16, 24, 32];

/** Parse and validate an EncryptionConfiguration document (already decoded from YAML/JSON). */
export function parseEncryptionConfig(doc: unknown): ParsedEncryptionConfig {
  const errors: EncryptionError[] = [];
  if (!isObject(doc)) return { errors: [{ path: '', message: 'the encryption configuration is not a YAML/JSON object' }] };
  const kind = getString(doc, 'kind');
  const apiVersion = getString(doc, 'apiVersion');
  if (kind !== 'EncryptionConfiguration') errors.push({ path: 'kind', message: `kind is ${kind === undefined ? 'missing' : `"${kind}"`}, expected EncryptionConfiguration` });
  if (apiVersion !== 'apiserver.config.k8s.io/v1') errors.push({ path: 'apiVersion', message: `apiVersion is ${apiVersion === undefined ? 'missing' : `"${apiVersion}"`}, expected apiserver.config.k8s.io/v1` });
  const rules: ResourceRule[] = [];
  if (getArray(doc, 'resources').length === 0) errors.push({ path: 'resources', message: 'resources is empty: nothing is encrypted' });
  getArray(doc, 'resources').forEach((r, ri) => {
    const path = `resources[${ri}]`;
    if (!isObject(r)) {
      errors.push({ path, message: 'must be an object' });
      return;
    }
    const resources = getArray(r, 'resources').filter((x): x is string => typeof x === 'string');
    if (resources.length === 0) errors.push({ path: `${path}.resources`, message: 'a rule must name at least one resource' });
    const providers: EncryptionProvider[] = [];
    const rawProviders = getArray(r, 'providers');
    if (rawProviders.length === 0) errors.push({ path: `${path}.providers`, message: 'a rule must list at least one provider' });
    rawProviders.forEach((p, pi) => {
      const pp = `${path}.providers[${pi}]`;
      const types = isObject(p) ? Object.keys(p).filter((k) => p[k] !== undefined && p[k] !== null) : [];
      const known = types.filter((t): t is ProviderType => (PROVIDER_TYPES as readonly string[]).includes(t));
      if (known.length !== 1 || types.length !== 1) {
        errors.push({ path: pp, message: known.length === 0 ? `unknown provider ${types.map((t) => `"${t}"`).join(', ') || '(empty)'}` : `a provider entry must have exactly one of ${PROVIDER_TYPES.join(', ')}` });
        if (known.length === 0) return;
      }
      const type = known[0] as ProviderType;
      const body = getObject(p, type) ?? {};
      const keys: EncryptionKey[] = [];
      if (type === 'aescbc' || type === 'aesgcm' || type === 'secretbox') {
        const rawKeys = getArray(body, 'keys');
        if (rawKeys.length === 0) errors.push({ path: `${pp}.${type}.keys`, message: `${type} needs at least one key` });
        const seen = new Set<string>();
        rawKeys.forEach((k, ki) => {
          const kp = `${pp}.${type}.keys[${ki}]`;
          const name = getString(k, 'name') ?? '';
          if (name === '') errors.push({ path: `${kp}.name`, message: 'key name is required' });
          else if (seen.has(name)) errors.push({ path: `${kp}.name`, message: `duplicate key name "${name}"` });
          seen.add(name);
          const secret = getString(k, 'secret');
          const bytes = secret !== undefined ? decodeStdBase64(secret) : undefined;
          if (secret === undefined || secret === '') errors.push({ path: `${kp}.secret`, message: `key "${name}" has no secret` });
          else if (!bytes) errors.push({ path: `${kp}.secret`, message: `key "${name}" is not valid base64` });
          else if (type === 'secretbox' ? bytes.length !== 32 : !AES_SIZES.includes(bytes.length))
            errors.push({ path: `${kp}.secret`, message: `key "${name}" is ${bytes.length} bytes; ${type} needs ${type === 'secretbox' ? '32' : '16, 24 or 32'}` });
          keys.push({ name, base64Valid: bytes !== undefined, ...(bytes ? { size: bytes.length, material: new KeyMaterial(bytes) } : {}), path: kp });
        });
        providers.push({ type, path: pp, keys });
      } else if (type === 'kms') {
        const name = getString(body, 'name') ?? '';
        const v = getString(body, 'apiVersion') ?? 'v1';
        if (name === '') errors.push({ path: `${pp}.kms.name`, message: 'kms name is required' });
        if (v !== 'v1' && v !== 'v2') errors.push({ path: `${pp}.kms.apiVersion`, message: `kms apiVersion "${v}" is not v1 or v2` });
        const endpoint = getString(body, 'endpoint');
        if (endpoint === undefined || endpoint === '') errors.push({ path: `${pp}.kms.endpoint`, message: 'kms endpoint is required' });
        if (v === 'v2' && body.cachesize !== undefined) errors.push({ path: `${pp}.kms.cachesize`, message: 'cachesize is not supported by kms v2' });
        providers.push({ type, path: pp, keys, kms: { name, apiVersion: v === 'v2' ? 'v2' : 'v1', ...(endpoint !== undefined ? { endpoint } : {}) } });
      } else providers.push({ type, path: pp, keys });
    });
    rules.push({ resources, providers, path });
  });
  // A resource may appear once; a wildcard masks what comes after it.
  const seenRes = new Map<string, string>();
  for (const rule of rules)
    rule.resources.forEach((res, i) => {
      const at = `${rule.path}.resources[${i}]`;
      const norm = normalizeResource(res);
      const prev = seenRes.get(norm);
      if (prev !== undefined) errors.push({ path: at, message: `"${res}" is already listed at ${prev}` });
      else
        for (const [other, where] of seenRes)
          if (other !== norm && masks(other, norm)) {
            errors.push({ path: at, message: `"${res}" is masked by "${other}" at ${where}` });
            break;
          }
      seenRes.set(norm, at);
    });
  return { config: { rules }, errors };
}

/** `secrets` → `secrets.` (core group), `deployments.apps` unchanged. */
function normalizeResource(r: string): string {
  return r.includes('.') ? r : `${r}.`;
}

/** Whether an earlier resource entry covers a later one. */
function masks(earlier: string, later: string): boolean {
  if (earlier === '*.*') return true;
  if (earlier.startsWith('*.')) {
    const group = earlier.slice(2);
    const dot = later.indexOf('.');
    return dot >= 0 && later.slice(dot + 1) === group;
  }
  return false;
}

/** The rule that governs a resource (`secrets`, `deployments.apps`): the first whose list covers it. */
export function ruleFor(config: EncryptionConfig, resource: string, group = ''): ResourceRule | undefined {
  const target = `${resource}.${group}`;
  for (const rule of config.rules)
    for (const r of rule.resources) {
      const n = normalizeResource(r);
      if (n === target || n === '*.*' || (n.startsWith('*.') && n.slice(2) === group)) return rule;
    }
  return undefined;
}

/** The provider that writes a resource: the first provider of its rule (identity when no rule covers it). */
export function writeProviderFor(config: EncryptionConfig, resource: string, group = ''): EncryptionProvider | undefined {
  return ruleFor(config, resource, group)?.providers[0];
}

export interface EncryptionIssue {
  readonly code:
    | 'invalid'
    | 'secrets-not-encrypted'
    | 'identity-first'
    | 'aescbc-weak'
    | 'aesgcm-rotation'
    | 'kms-v1-deprecated';
  readonly severity: Severity;
  readonly message: string;
  readonly path?: string;
}

/** The weaknesses of an encryption configuration. Never includes key material. */
export function auditEncryptionConfig(parsed: ParsedEncryptionConfig): EncryptionIssue[] {
  const issues: EncryptionIssue[] = parsed.errors.map((e) => ({ code: 'invalid', severity: 'high', message: `${e.path ? `${e.path}: ` : ''}${e.message}`, ...(e.path ? { path: e.path } : {}) }));
  const config = parsed.config;
  if (!config) return issues;
  const secretsRule = ruleFor(config, 'secrets');
  if (!secretsRule) issues.push({ code: 'secrets-not-encrypted', severity: 'high', message: 'no rule covers secrets: Secrets are stored in etcd in plaintext', path: 'resources' });
  for (const rule of config.rules) {
    const first = rule.providers[0];
    if (first?.type === 'identity')
      issues.push({
        code: 'identity-first',
        severity: rule === secretsRule ? 'high' : 'medium',
        message: `the first provider for ${rule.resources.join(', ')} is identity: new writes are stored in plaintext`,
        path: first.path,
      });
    for (const p of rule.providers) {
      if (p.type === 'aescbc')
        issues.push({ code: 'aescbc-weak', severity: 'medium', message: `${p.path}: aescbc is vulnerable to padding-oracle attacks and not recommended; prefer kms v2 (or aesgcm with rotation)`, path: p.path });
      if (p.type === 'aesgcm')
        issues.push({ code: 'aesgcm-rotation', severity: 'low', message: `${p.path}: aesgcm keys must be rotated every 200,000 writes (nonce reuse breaks the encryption)`, path: p.path });
      if (p.type === 'kms' && p.kms?.apiVersion === 'v1')
        issues.push({ code: 'kms-v1-deprecated', severity: 'medium', message: `${p.path}: kms v1 is deprecated (disabled by default since Kubernetes 1.29); use kms v2`, path: p.path });
    }
  }
  return issues;
}
