import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { imageRegistryNotAllowed, parseRegistryPattern, registryAllowed } from './check.js';

testCheck(imageRegistryNotAllowed, import.meta.dirname);

describe('allowedRegistries patterns', () => {
  const allow = (patterns: string[], domain: string, path: string): boolean =>
    registryAllowed(
      patterns.map((p) => {
        const r = parseRegistryPattern(p);
        if (!r.ok) throw new Error(r.error);
        return r.value;
      }),
      domain,
      path,
    );
  it.each([
    [['docker.io'], 'docker.io', 'library/nginx', true],
    [['index.docker.io'], 'docker.io', 'library/nginx', true],
    [['docker.io/library'], 'docker.io', 'library/nginx', true],
    [['docker.io/library'], 'docker.io', 'bitnami/redis', false],
    [['docker.io/library/'], 'docker.io', 'library/nginx', true],
    [['ghcr.io/acme'], 'ghcr.io', 'acme/api', true],
    [['ghcr.io/acme'], 'ghcr.io', 'acme-evil/api', false],
    [['ghcr.io/acme-*'], 'ghcr.io', 'acme-tools/api', true],
    [['registry.example.com'], 'registry.example.com:5000', 'app', false],
    [['registry.example.com:5000'], 'registry.example.com:5000', 'app', true],
    [['*.dkr.ecr.eu-west-1.amazonaws.com'], '123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'app', true],
    [['*.dkr.ecr.eu-west-1.amazonaws.com'], 'evil.com/x.dkr.ecr.eu-west-1.amazonaws.com', 'app', false],
    [['Registry.Example.com'], 'registry.example.com', 'app', true],
    [['registry.example.com/acme/'], 'registry.example.com', 'acmecorp/app', false],
    [['registry.example.com/acme/'], 'registry.example.com', 'acme/app', true],
    [['registry.example.com'], 'REGISTRY.example.com', 'app', true],
  ])('%j allows %s/%s: %s', (patterns, domain, path, want) => {
    expect(allow(patterns, domain, path)).toBe(want);
  });
  it.each(['', 'nginx', 'bitnami/redis', '*', 'ghcr.io/acme/api:1.0', 'ghcr.io/acme@sha256:abc', 'ghcr.io//x', 'ghcr.io/Acme'])('rejects %j', (p) => {
    expect(parseRegistryPattern(p).ok).toBe(false);
  });
});

describe('options', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  containers: [{name: c, image: nginx:1.27}]\n';
  it('are validated once, with a one-line error', () => {
    expect(() => runCheckOn(imageRegistryNotAllowed, pod, 'f.yaml', { allowedRegistries: ['nginx'] })).toThrow(/parameters.image-registry-not-allowed: allowedRegistries: "nginx" must start with a registry host/);
    expect(() => runCheckOn(imageRegistryNotAllowed, pod, 'f.yaml', { allowedRegistries: [] })).toThrow(/non-empty list/);
    expect(() => runCheckOn(imageRegistryNotAllowed, pod, 'f.yaml', { registries: ['x.io'] })).toThrow(/unknown parameter "registries"/);
  });
  it('reports the check as not evaluated when enabled without an allow-list, never as passed', () => {
    const r = runCheckOn(imageRegistryNotAllowed, pod);
    expect(r.findings).toEqual([]);
    expect(r.notEvaluated.map((n) => [n.checkId, n.reason])).toEqual([['image-registry-not-allowed', 'missing-input']]);
  });
  it('reports an image reference it cannot parse as not evaluated', () => {
    const r = runCheckOn(imageRegistryNotAllowed, pod.replace('nginx:1.27', '"${IMAGE}"'), 'f.yaml', { allowedRegistries: ['docker.io'] });
    expect(r.findings).toEqual([]);
    expect(r.notEvaluated.map((n) => n.reason)).toEqual(['unsupported']);
  });
});
