/**
 * The parts of an EncryptionConfiguration (apiserver.config.k8s.io/v1) that decide how kube-apiserver reads and
 * writes a resource in etcd: per rule, the resources it names and its ordered providers with their keys.
 * Validated from `unknown`; problems are returned as lines, not thrown. Key material stays in memory only.
 */
import { getArray, getObject, getString, isObject } from '../../model/object.js';

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

function decodeKey(secret: string | undefined, sizes: readonly number[]): Uint8Array | undefined {
  if (secret === undefined || !/^[A-Za-z0-9+/]*={0,2}$/.test(secret) || secret.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(secret, 'base64');
  return sizes.includes(bytes.length) ? new Uint8Array(bytes) : undefined;
}

/** Parse an EncryptionConfiguration already read from YAML/JSON. */
export function parseEncryptionConfig(doc: unknown): { config?: EncryptionConfig; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(doc)) return { problems: ['not a mapping'] };
  const kind = getString(doc, 'kind');
  if (kind !== 'EncryptionConfiguration') problems.push(`kind is ${kind === undefined ? 'missing' : `"${kind}"`}, expected EncryptionConfiguration`);
  const apiVersion = getString(doc, 'apiVersion');
  if (apiVersion !== 'apiserver.config.k8s.io/v1' && apiVersion !== 'apiserver.k8s.io/v1') problems.push(`apiVersion ${apiVersion ?? '(missing)'} is not apiserver.config.k8s.io/v1`);
  const rules: EncryptionRule[] = [];
  const seen = new Set<string>();
  getArray(doc, 'resources').forEach((r, i) => {
    const resources = getArray(r, 'resources').filter((x): x is string => typeof x === 'string').map(parseGroupResource);
    if (resources.length === 0) problems.push(`resources[${i}] names no resource`);
    for (const gr of resources) {
      // kube-apiserver refuses a resource listed after a wildcard that already covers it.
      const mask = [`*.${gr.group}`, '*.*'].find((m) => seen.has(m));
      if (mask !== undefined) problems.push(`resources[${i}]: ${groupResourceString(gr)} is masked by the earlier rule ${mask}`);
      seen.add(gr.resource === '*' ? `*.${gr.group}` : groupResourceString(gr));
    }
    const providers: ProviderConfig[] = [];
    getArray(r, 'providers').forEach((p, j) => {
      const where = `resources[${i}].providers[${j}]`;
      if (!isObject(p)) {
        problems.push(`${where} is not a mapping`);
        return;
      }
      const types = Object.keys(p);
      if (types.length !== 1) {
        problems.push(`${where} must name exactly one provider, names ${types.length}`);
        return;
      }
      const type = types[0] as string;
      if (type === 'identity') providers.push({ type: 'identity' });
      else if (type === 'aescbc' || type === 'aesgcm' || type === 'secretbox') {
        const sizes = type === 'secretbox' ? [32] : [16, 24, 32];
        const keys = getArray(getObject(p, type), 'keys').map((k, n) => {
          const name = getString(k, 'name') ?? '';
          const secret = decodeKey(getString(k, 'secret'), sizes);
          if (name === '') problems.push(`${where}.${type}.keys[${n}] has no name`);
          if (!secret) problems.push(`${where}.${type}.keys[${n}] (${name}): secret is not base64 of ${sizes.join(', ')} bytes`);
          return secret ? { name, secret } : { name };
        });
        if (keys.length === 0) problems.push(`${where}.${type} has no keys`);
        providers.push({ type, keys });
      } else if (type === 'kms') {
        const kms = getObject(p, 'kms');
        const v = getString(kms, 'apiVersion') ?? 'v1';
        providers.push({ type: 'kms', name: getString(kms, 'name') ?? '', apiVersion: v === 'v2' ? 'v2' : 'v1' });
      } else problems.push(`${where}: unknown provider "${type}"`);
    });
    if (providers.length === 0) problems.push(`resources[${i}] has no providers`);
    rules.push({ resources, providers });
  });
  return { config: { rules }, problems };
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
