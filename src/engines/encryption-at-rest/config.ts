/**
 * The parts of an EncryptionConfiguration (apiserver.config.k8s.io/v1) that decide how kube-apiserver reads and
 * writes a resource in etcd: per rule, the resources it names and its ordered providers with their keys.
 * Parsing and validation are the shared parser's (engines/encryption); this module adapts its model and resolves
 * providers per resource exactly as kube-apiserver does. Key material stays in memory only.
 */
import { parseEncryptionConfig as parseSharedConfig, type EncryptionConfig as SharedConfig } from '../encryption/config.js';

export interface ConfigKey {
  readonly name: string;
  /** The decoded key bytes; undefined when `secret` is not valid base64 of 16, 24 or 32 bytes (secretbox: 32). */
  readonly secret?: Uint8Array;
}

export type ProviderConfig =
  | { readonly type: 'identity' }
  | { readonly type: 'aescbc' | 'aesgcm' | 'secretbox'; readonly keys: readonly ConfigKey[] }
  | { readonly type: 'kms'; readonly name: string; readonly apiVersion: 'v1' | 'v2' };

export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

export interface EncryptionRule {
  readonly resources: readonly GroupResource[];
  readonly providers: readonly ProviderConfig[];
}

export interface EncryptionConfig {
  readonly rules: readonly EncryptionRule[];
}

/** `secrets` → core secrets; `deployments.apps`; `*.apps`; `*.*`; `*.` (every resource of the core group). */
export function parseGroupResource(s: string): GroupResource {
  const i = s.indexOf('.');
  return i < 0 ? { group: '', resource: s } : { group: s.slice(i + 1), resource: s.slice(0, i) };
}

export function groupResourceString(gr: GroupResource): string {
  if (gr.resource === '*' && gr.group === '') return '*.';
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

/** Key sizes each provider accepts; other material is kept out so it can never "decrypt". */
function usable(type: 'aescbc' | 'aesgcm' | 'secretbox', size: number | undefined): boolean {
  return size !== undefined && (type === 'secretbox' ? size === 32 : size === 16 || size === 24 || size === 32);
}

/** Adapt the shared EncryptionConfiguration model (engines/encryption) to the providers this engine walks. */
export function fromParsedConfig(parsed: SharedConfig): EncryptionConfig {
  return {
    rules: parsed.rules.map((rule) => ({
      resources: rule.resources.map(parseGroupResource),
      providers: rule.providers.map((p): ProviderConfig => {
        if (p.type === 'identity') return { type: 'identity' };
        if (p.type === 'kms') return { type: 'kms', name: p.kms?.name ?? '', apiVersion: p.kms?.apiVersion ?? 'v1' };
        const type = p.type;
        return { type, keys: p.keys.map((k) => (k.material && usable(type, k.size) ? { name: k.name, secret: k.material.reveal() } : { name: k.name })) };
      }),
    })),
  };
}

/**
 * Parse an EncryptionConfiguration already read from YAML/JSON with the shared parser (engines/encryption), which
 * validates it as kube-apiserver does; its errors come back as `path: message` lines that never echo key material.
 */
export function parseEncryptionConfig(doc: unknown): { config?: EncryptionConfig; problems: string[] } {
  const parsed = parseSharedConfig(doc);
  const problems = parsed.errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`));
  return { ...(parsed.config ? { config: fromParsedConfig(parsed.config) } : {}), problems };
}

/**
 * The providers kube-apiserver uses for a resource: those of every rule naming it exactly (in rule order), else of
 * the rules naming `*.<group>`, else `*.*`; undefined means identity, which writes plaintext.
 */
export function providersFor(config: EncryptionConfig, gr: GroupResource): readonly ProviderConfig[] | undefined {
  const collect = (pred: (r: GroupResource) => boolean): ProviderConfig[] | undefined => {
    const out: ProviderConfig[] = [];
    for (const rule of config.rules) if (rule.resources.some(pred)) out.push(...rule.providers);
    return out.length > 0 ? out : undefined;
  };
  return (
    collect((r) => r.group === gr.group && r.resource === gr.resource) ??
    collect((r) => r.group === gr.group && r.resource === '*') ??
    collect((r) => r.group === '*' && r.resource === '*')
  );
}

/** Every group/resource the configuration names explicitly (not wildcards). */
export function namedResources(config: EncryptionConfig): GroupResource[] {
  const out = new Map<string, GroupResource>();
  for (const rule of config.rules) for (const r of rule.resources) if (r.resource !== '*') out.set(groupResourceString(r), r);
  return [...out.values()];
}

/** True when some rule uses a wildcard, so every resource in etcd may be covered. */
export function hasWildcard(config: EncryptionConfig): boolean {
  return config.rules.some((rule) => rule.resources.some((r) => r.resource === '*'));
}
