import { describe, expect, it } from 'vitest';
import { globMatch, parseConfig } from './config.js';

const known = new Set(['pod-privileged', 'pod-host-pid', 'image-registry-not-allowed']);

describe('.kspect.yaml validation', () => {
  it('accepts a full configuration', () => {
    const { config, errors } = parseConfig(
      {
        checks: { enable: ['image-registry-not-allowed'], disable: ['pod-host-pid'] },
        severity: { 'pod-privileged': 'high' },
        parameters: { 'image-registry-not-allowed': { allowedRegistries: ['ghcr.io/acme/'] } },
        exemptions: [{ checks: ['pod-privileged'], namespaces: ['kube-system'], kinds: ['DaemonSet'], names: ['calico-*'], labels: { app: 'cni' }, reason: 'CNI' }],
        failOn: 'medium',
        pss: { level: 'baseline', version: 'v1.30' },
        k8sVersion: 'v1.34',
      },
      known,
    );
    expect(errors).toEqual([]);
    expect(config.disable).toEqual(['pod-host-pid']);
    expect(config.severity['pod-privileged']).toBe('high');
    expect(config.failOn).toBe('medium');
    expect(config.k8sVersion).toBe('1.34');
    expect(Object.isFrozen(config)).toBe(true);
  });
  it('collects every problem instead of stopping at the first', () => {
    const { errors } = parseConfig(
      { checks: { enable: ['no-such-check'], bogus: 1 }, severity: { 'pod-privileged': 'urgent' }, exemptions: [{ checks: [] }], failOn: 7, pss: { version: '1.30' }, extra: true },
      known,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        'unknown key "extra"',
        'checks: unknown key "bogus"',
        'checks.enable: unknown check "no-such-check"',
        'severity.pod-privileged: "urgent" is not one of critical, high, medium, low, info',
        'exemptions[0].checks must name at least one check (or "*")',
        'exemptions[0].reason is required',
        'failOn: 7 is not a severity (or none)',
        'pss.version: "1.30" is not latest or v1.N',
      ]),
    );
  });
  it('an empty document is the empty configuration', () => {
    expect(parseConfig(null, known).errors).toEqual([]);
    expect(parseConfig([], known).errors).toEqual(['the configuration must be a mapping']);
  });
  it('globs match names', () => {
    expect(globMatch('calico-*', 'calico-node')).toBe(true);
    expect(globMatch('calico-*', 'xcalico-node')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
  });
});
