import { describe, expect, it } from 'vitest';
import { defaultPullPolicy, effectiveTag, parseImageRef } from './image.js';

const D = 'sha256:' + 'a'.repeat(64);

describe('parseImageRef', () => {
  const cases: [string, { name: string; tag?: string; digest?: string }][] = [
    ['nginx', { name: 'docker.io/library/nginx' }],
    ['nginx:1.27', { name: 'docker.io/library/nginx', tag: '1.27' }],
    ['bitnami/redis:7.2', { name: 'docker.io/bitnami/redis', tag: '7.2' }],
    ['docker.io/nginx', { name: 'docker.io/library/nginx' }],
    ['index.docker.io/library/nginx:latest', { name: 'docker.io/library/nginx', tag: 'latest' }],
    ['quay.io/prometheus/node-exporter:v1.8.2', { name: 'quay.io/prometheus/node-exporter', tag: 'v1.8.2' }],
    ['localhost/app', { name: 'localhost/app' }],
    ['localhost:5000/team/app:dev', { name: 'localhost:5000/team/app', tag: 'dev' }],
    ['registry.example.com:443/app', { name: 'registry.example.com:443/app' }],
    ['Registry/app', { name: 'registry/app' }],
    [`nginx@${D}`, { name: 'docker.io/library/nginx', digest: D }],
    [`ghcr.io/org/app:1.0@${D}`, { name: 'ghcr.io/org/app', tag: '1.0', digest: D }],
    ['[::1]:5000/app:1', { name: '[::1]:5000/app', tag: '1' }],
    ['gcr.io/distroless/static-debian12:nonroot', { name: 'gcr.io/distroless/static-debian12', tag: 'nonroot' }],
  ];
  it.each(cases)('%s', (raw, want) => {
    const r = parseImageRef(raw);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect({ name: r.value.name, ...(r.value.tag !== undefined ? { tag: r.value.tag } : {}), ...(r.value.digest !== undefined ? { digest: r.value.digest } : {}) }).toEqual(want);
  });
  it.each(['', 'Nginx', 'nginx:', 'nginx@sha256:abc', 'nginx:-bad', 'a//b', '${IMAGE}', 'nginx:1.0:2'])('rejects %j', (raw) => {
    expect(parseImageRef(raw).ok).toBe(false);
  });
});

describe('pull policy defaulting', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    [`nginx@${D}`, 'IfNotPresent'],
    [`nginx:latest@${D}`, 'Always'],
    ['localhost:5000/app', 'Always'],
    ['Not A Reference', 'IfNotPresent'],
  ])('%s defaults to %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });
  it('takes latest when neither tag nor digest is written', () => {
    const r = parseImageRef('nginx');
    expect(r.ok && effectiveTag(r.value)).toBe('latest');
  });
});
