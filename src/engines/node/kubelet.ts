/**
 * The kubelet's effective settings: its config file (KubeletConfiguration) with command-line flags
 * on top, as the kubelet applies them (a flag given on the command line wins over the config key),
 * and the defaults that apply when neither sets a value.
 */
import { isObject } from '../../model/object.js';
import type { FlagSet } from './flags.js';
import { splitList } from './flags.js';

/** A kubelet setting: its flag, its KubeletConfiguration field path, and its kind. */
export interface KubeletSetting {
  readonly flag: string;
  readonly path: readonly string[];
  readonly kind: 'bool' | 'string' | 'int' | 'duration' | 'list' | 'map' | 'float';
  /** Default when a config file is in use (KubeletConfiguration v1beta1 defaulting). */
  readonly configDefault?: string;
  /** Default of the flag when the kubelet runs without a config file. */
  readonly flagDefault?: string;
}

export const KUBELET_SETTINGS: readonly KubeletSetting[] = [
  { flag: 'anonymous-auth', path: ['authentication', 'anonymous', 'enabled'], kind: 'bool', configDefault: 'false', flagDefault: 'true' },
  { flag: 'authentication-token-webhook', path: ['authentication', 'webhook', 'enabled'], kind: 'bool', configDefault: 'true', flagDefault: 'false' },
  { flag: 'authorization-mode', path: ['authorization', 'mode'], kind: 'string', configDefault: 'Webhook', flagDefault: 'AlwaysAllow' },
  { flag: 'client-ca-file', path: ['authentication', 'x509', 'clientCAFile'], kind: 'string' },
  { flag: 'read-only-port', path: ['readOnlyPort'], kind: 'int', configDefault: '0', flagDefault: '10255' },
  { flag: 'streaming-connection-idle-timeout', path: ['streamingConnectionIdleTimeout'], kind: 'duration', configDefault: '4h0m0s', flagDefault: '4h0m0s' },
  { flag: 'make-iptables-util-chains', path: ['makeIPTablesUtilChains'], kind: 'bool', configDefault: 'true', flagDefault: 'true' },
  { flag: 'event-qps', path: ['eventRecordQPS'], kind: 'int', configDefault: '50', flagDefault: '50' },
  { flag: 'tls-cert-file', path: ['tlsCertFile'], kind: 'string' },
  { flag: 'tls-private-key-file', path: ['tlsPrivateKeyFile'], kind: 'string' },
  { flag: 'tls-min-version', path: ['tlsMinVersion'], kind: 'string' },
  { flag: 'tls-cipher-suites', path: ['tlsCipherSuites'], kind: 'list' },
  { flag: 'rotate-certificates', path: ['rotateCertificates'], kind: 'bool', configDefault: 'false', flagDefault: 'false' },
  { flag: 'rotate-server-certificates', path: ['serverTLSBootstrap'], kind: 'bool', configDefault: 'false', flagDefault: 'false' },
  { flag: 'feature-gates', path: ['featureGates'], kind: 'map' },
  { flag: 'pod-max-pids', path: ['podPidsLimit'], kind: 'int' },
  { flag: 'seccomp-default', path: ['seccompDefault'], kind: 'bool', configDefault: 'false', flagDefault: 'false' },
  { flag: 'protect-kernel-defaults', path: ['protectKernelDefaults'], kind: 'bool', configDefault: 'false', flagDefault: 'false' },
  { flag: 'enable-debugging-handlers', path: ['enableDebuggingHandlers'], kind: 'bool', configDefault: 'true', flagDefault: 'true' },
  { flag: 'hostname-override', path: [], kind: 'string' },
];

export type SettingSource = 'flag' | 'config' | 'default' | 'unset';

export interface EffectiveSetting {
  readonly value: string | undefined;
  readonly source: SettingSource;
  /** The map of a `map` setting (feature gates), merged config then flags. */
  readonly map?: ReadonlyMap<string, string>;
  /** The elements of a `list` setting. */
  readonly list?: readonly string[];
  /** Where the value is in the config document (`authentication.anonymous.enabled`), when it came from there. */
  readonly field?: string;
}

/** An own property of a plain object: never one inherited from a prototype. */
function own(v: unknown, key: string): unknown {
  return isObject(v) && Object.hasOwn(v, key) ? v[key] : undefined;
}

function at(value: unknown, path: readonly string[]): unknown {
  let cur = value;
  for (const p of path) cur = own(cur, p);
  return cur;
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/**
 * Which defaults apply to settings neither a flag nor the config document sets: the KubeletConfiguration v1beta1
 * defaults when the kubelet reads a config file (--config), its legacy flag defaults otherwise (also when it only
 * has --config-dir drop-ins: the kubelet merges them over its flag defaults).
 */
export type KubeletDefaults = 'config' | 'flag';

/**
 * The effective value of a kubelet setting: the command-line flag when given (the kubelet re-applies its flags over
 * the config), else the config document (config file with its drop-ins merged), else the default.
 */
export function kubeletSetting(flag: string, flags: FlagSet | undefined, config: unknown, defaults: KubeletDefaults): EffectiveSetting {
  const s = KUBELET_SETTINGS.find((x) => x.flag === flag);
  if (!s) throw new Error(`unknown kubelet setting ${flag}`);
  if (s.kind === 'map') {
    const merged = new Map<string, string>();
    const fromConfig = own(config, s.path[0] ?? '');
    if (isObject(fromConfig))
      for (const [k, v] of Object.entries(fromConfig)) {
        const t = scalarText(v);
        if (t !== undefined) merged.set(k, t);
      }
    const fromFlags = flags?.map(flag);
    if (fromFlags) for (const [k, v] of fromFlags) merged.set(k, v);
    const source: SettingSource = fromFlags ? 'flag' : isObject(fromConfig) ? 'config' : 'unset';
    return { value: merged.size > 0 ? [...merged].map(([k, v]) => `${k}=${v}`).join(',') : undefined, source, map: merged, ...(source === 'config' ? { field: s.path.join('.') } : {}) };
  }
  if (flags?.has(flag)) {
    if (s.kind === 'list') {
      const list = flags.list(flag) ?? [];
      return { value: list.join(','), source: 'flag', list };
    }
    return { value: flags.get(flag), source: 'flag' };
  }
  if (s.path.length > 0 && config !== undefined) {
    const v = at(config, s.path);
    const field = s.path.join('.');
    if (s.kind === 'list' && Array.isArray(v)) {
      const list = v.filter((x): x is string => typeof x === 'string');
      return { value: list.join(','), source: 'config', list, field };
    }
    const t = scalarText(v);
    if (t !== undefined) return s.kind === 'list' ? { value: t, source: 'config', list: splitList(t), field } : { value: t, source: 'config', field };
  }
  const def = defaults === 'config' ? s.configDefault : s.flagDefault;
  return def !== undefined ? { value: def, source: 'default' } : { value: undefined, source: 'unset' };
}

/**
 * Merge --config-dir drop-ins over the config document as the kubelet does (a JSON merge patch per drop-in, in walk
 * order, then unmarshalled over the previous configuration): objects merge key by key, any other value replaces,
 * lists are replaced whole, and `null` changes nothing (the key vanishes from the patch result, so the field keeps the
 * value it had). Only own keys are read and the result has no prototype, so `__proto__`, `constructor` or `prototype`
 * keys are ordinary unknown fields and can never change another setting.
 */
export function mergeKubeletConfig(base: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch === null ? base : patch;
  const out = Object.create(null) as Record<string, unknown>;
  const define = (k: string, v: unknown): void => void Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  if (isObject(base)) for (const k of Object.keys(base)) define(k, base[k]);
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === null) continue;
    define(k, mergeKubeletConfig(Object.hasOwn(out, k) ? out[k] : undefined, v));
  }
  return out;
}
