import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDockerConfig, registryOfKey } from './auth.js';
import { digestMatches, parseChallenge, sha256 } from './client.js';
import { tarNames, unwantedFiles } from './layers.js';

describe('WWW-Authenticate challenges', () => {
  it('parses bearer and basic challenges', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseChallenge('Bearer realm=https://x/token, service=x')?.params).toEqual({ realm: 'https://x/token', service: 'x' });
  });
  it('is linear on hostile headers', () => {
    expect(parseChallenge(`Bearer ${'a='.repeat(20_000)}"`)?.scheme).toBe('bearer');
    expect(parseChallenge(`Bearer realm="${'\\'.repeat(20_001)}`)?.scheme).toBe('bearer');
  });
});

describe('docker config credentials', () => {
  it('reads auth, username/password and identity tokens; normalises Docker Hub keys', () => {
    const problems: string[] = [];
    const m = parseDockerConfig(
      {
        auths: {
          'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw:with:colons').toString('base64') },
          'ghcr.io': { username: 'u', password: 'p' },
          'Registry.Example.com:5000': { identitytoken: 'tok' },
          'empty.example.com': {},
        },
        credsStore: 'desktop',
      },
      'config.json',
      problems,
    );
    expect([...m.entries()]).toEqual([
      ['docker.io', { username: 'hub', password: 'pw:with:colons' }],
      ['ghcr.io', { username: 'u', password: 'p' }],
      ['registry.example.com:5000', { identityToken: 'tok' }],
    ]);
    expect(problems).toEqual(['config.json: credential helpers (credsStore, credHelpers) are not run by kspect; registries that need them are read anonymously']);
  });
  it('reads the legacy .dockercfg shape and never echoes a secret in problems', () => {
    const problems: string[] = [];
    const m = parseDockerConfig({ 'quay.io': { auth: Buffer.from('no-colon-secret').toString('base64') } }, 'pull secret', problems);
    expect(m.size).toBe(0);
    expect(problems.join()).not.toContain('no-colon-secret');
    expect(registryOfKey('http://localhost:5000/v2/')).toBe('localhost:5000');
  });
});

describe('digests', () => {
  it('checks content against sha256/sha384/sha512 digests', () => {
    const b = Buffer.from('hello');
    expect(digestMatches(b, sha256(b))).toBe(true);
    expect(digestMatches(Buffer.from('hellO'), sha256(b))).toBe(false);
    expect(digestMatches(b, 'md5:5d41402abc4b2a76b9719d911017c592')).toBe(false);
  });
});

function tar(entries: [string, string][]): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, body] of entries) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100);
    h.write('0000644\0', 100);
    h.write(`${Buffer.byteLength(body).toString(8).padStart(11, '0')}\0`, 124);
    h.write('0', 156);
    h.write('ustar\0', 257);
    blocks.push(h, Buffer.from(body), Buffer.alloc((512 - (Buffer.byteLength(body) % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

describe('layer listing', () => {
  it('lists names and applies whiteouts across layers', () => {
    const base = gzipSync(tar([['bin/sh', 'x'], ['bin/busybox', 'x'], ['usr/bin/apt', 'x'], ['app/main', 'x']]));
    expect(tarNames(tar([['./bin/sh', '']]))).toEqual(['bin/sh']);
    expect(unwantedFiles([base])).toEqual(['bin/busybox', 'bin/sh', 'usr/bin/apt']);
    const top = tar([['bin/.wh.sh', ''], ['usr/bin/.wh..wh..opq', '']]);
    expect(unwantedFiles([base, top])).toEqual(['bin/busybox']);
  });
});
