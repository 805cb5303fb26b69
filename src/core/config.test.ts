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

describe('ids that also named a renamed node control', () => {
  const known = new Set(['pki-key-permissions', 'pki-key-file-permissions', 'etcd-client-plaintext', 'etcd-listen-client-plaintext', 'pod-privileged']);
  const shared = new Map([
    ['pki-key-permissions', { now: 'pki-key-file-permissions', warning: 'W1' }],
    ['etcd-client-plaintext', { now: 'etcd-listen-client-plaintext', warning: 'W2' }],
  ]);
  it('apply to the successor too, each with one warning at the old id', () => {
    const r = parseConfig(
      {
        checks: { disable: ['etcd-client-plaintext'], enable: ['pod-privileged'] },
        severity: { 'pki-key-permissions': 'low' },
        exemptions: [{ checks: ['pki-key-permissions'], namespaces: ['kube-system'], reason: 'accepted' }],
        suppression: { annotations: { checks: ['etcd-client-plaintext'] } },
      },
      known,
      new Map(),
      shared,
    );
    expect(r.issues).toEqual([]);
    expect(r.config.disable).toEqual(['etcd-client-plaintext', 'etcd-listen-client-plaintext']);
    expect(r.config.enable).toEqual(['pod-privileged']);
    expect(r.config.severity).toEqual({ 'pki-key-permissions': 'low', 'pki-key-file-permissions': 'low' });
    expect(r.config.exemptions[0]?.checks).toEqual(['pki-key-permissions', 'pki-key-file-permissions']);
    expect(r.config.annotations?.checks).toEqual(['etcd-client-plaintext', 'etcd-listen-client-plaintext']);
    expect(r.warnings).toEqual([
      { path: ['checks', 'disable', 0], message: 'checks.disable: W2' },
      { path: ['severity', 'pki-key-permissions'], message: 'severity: W1' },
      { path: ['exemptions', 0, 'checks', 0], message: 'exemptions[0].checks: W1' },
      { path: ['suppression', 'annotations', 'checks', 0], message: 'suppression.annotations.checks: W2' },
    ]);
  });
  it('no warning where the successor is named beside it; its own setting wins', () => {
    const r = parseConfig({ severity: { 'pki-key-permissions': 'low', 'pki-key-file-permissions': 'high' }, checks: { disable: ['etcd-client-plaintext', 'etcd-listen-client-plaintext'] } }, known, new Map(), shared);
    expect(r.warnings).toEqual([]);
    expect(r.config.severity).toEqual({ 'pki-key-permissions': 'low', 'pki-key-file-permissions': 'high' });
    expect(r.config.disable).toEqual(['etcd-client-plaintext', 'etcd-listen-client-plaintext']);
  });
  it('an unknown id stays an error', () => {
    const r = parseConfig({ severity: { 'pki-key-permission': 'low' } }, known, new Map(), shared);
    expect(r.errors).toEqual(['severity: unknown check "pki-key-permission"']);
    expect(r.warnings).toEqual([]);
  });
});
