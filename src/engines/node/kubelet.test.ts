import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';
import { kubeletSetting, mergeKubeletConfig } from './kubelet.js';

const flags = (...f: string[]) => parseFlags(['kubelet', ...f]);

describe('kubeletSetting', () => {
  it.each([
    // flag, flags, config, defaults → value, source
    ['anonymous-auth', [], undefined, 'flag', 'true', 'default'],
    ['anonymous-auth', [], {}, 'config', 'false', 'default'],
    ['anonymous-auth', [], { authentication: { anonymous: { enabled: true } } }, 'config', 'true', 'config'],
    ['anonymous-auth', ['--anonymous-auth=false'], { authentication: { anonymous: { enabled: true } } }, 'config', 'false', 'flag'],
    // Drop-ins without --config: the document applies over the flag defaults.
    ['authorization-mode', [], { authentication: {} }, 'flag', 'AlwaysAllow', 'default'],
    ['read-only-port', [], { readOnlyPort: 0 }, 'flag', '0', 'config'],
  ] as const)('%s %j over %j (%s defaults) is %s from %s', (flag, f, config, defaults, value, source) => {
    const s = kubeletSetting(flag, flags(...f), config, defaults);
    expect([s.value, s.source]).toEqual([value, source]);
  });

  it('names the config field a value came from', () => {
    expect(kubeletSetting('anonymous-auth', flags(), { authentication: { anonymous: { enabled: true } } }, 'config').field).toBe('authentication.anonymous.enabled');
    expect(kubeletSetting('anonymous-auth', flags('--anonymous-auth=true'), {}, 'config').field).toBeUndefined();
  });

  it('reads own properties only: an inherited value is not a setting', () => {
    const config = Object.create({ readOnlyPort: 0, authentication: { anonymous: { enabled: false } } }) as object;
    expect(kubeletSetting('read-only-port', flags(), config, 'flag')).toEqual({ value: '10255', source: 'default' });
    expect(kubeletSetting('anonymous-auth', flags(), config, 'flag')).toEqual({ value: 'true', source: 'default' });
  });

  it('merges feature gates per gate, flags over config', () => {
    const s = kubeletSetting('feature-gates', flags('--feature-gates=A=false'), { featureGates: { A: true, B: true } }, 'config');
    expect([...(s.map ?? [])]).toEqual([
      ['A', 'false'],
      ['B', 'true'],
    ]);
  });
});

describe('mergeKubeletConfig (a --config-dir drop-in over the configuration)', () => {
  it('merges objects key by key, replaces lists and scalars, and ignores null', () => {
    const base = { authentication: { anonymous: { enabled: true }, webhook: { enabled: true } }, tlsCipherSuites: ['A', 'B'], readOnlyPort: 10255 };
    const patch = { authentication: { anonymous: { enabled: false } }, tlsCipherSuites: ['C'], readOnlyPort: null };
    expect(JSON.parse(JSON.stringify(mergeKubeletConfig(base, patch)))).toEqual({ authentication: { anonymous: { enabled: false }, webhook: { enabled: true } }, tlsCipherSuites: ['C'], readOnlyPort: 10255 });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('treats a %s key as an ordinary unknown field', (key) => {
    const patch = JSON.parse(`{"${key}": {"readOnlyPort": 0, "authentication": {"anonymous": {"enabled": false}}}}`) as unknown;
    const merged = mergeKubeletConfig({}, patch);
    expect(Object.getPrototypeOf(merged)).toBeNull();
    expect(kubeletSetting('read-only-port', flags(), merged, 'flag').source).toBe('default');
    expect(kubeletSetting('anonymous-auth', flags(), merged, 'flag').value).toBe('true');
    expect(({} as Record<string, unknown>).readOnlyPort).toBeUndefined();
  });

  it('does not change its inputs', () => {
    const base = Object.freeze({ a: Object.freeze({ b: 1 }) });
    const patch = Object.freeze({ a: Object.freeze({ c: 2 }) });
    expect(JSON.parse(JSON.stringify(mergeKubeletConfig(base, patch)))).toEqual({ a: { b: 1, c: 2 } });
  });
});
