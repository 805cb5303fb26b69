import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dockerConfigCredentials, Keyring, keyringKey, keyringMatches, labelGlobMatches, parseDockerConfig, readDockerConfig, registryOfKey, type HelperRunner } from './auth.js';
import { digestMatches, parseChallenge, sha256 } from './client.js';
import { tarNames, unwantedFiles } from './layers.js';
import { tar } from './tar.testutil.js';

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
    expect(problems).toEqual([]);
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


describe('layer listing', () => {
  it('lists names and applies whiteouts across layers', async () => {
    const base = gzipSync(tar([['bin/sh', 'x'], ['bin/busybox', 'x'], ['usr/bin/apt', 'x'], ['app/main', 'x']]));
    expect(tarNames(tar([['./bin/sh', '']]))).toEqual(['bin/sh']);
    expect(await unwantedFiles([base])).toEqual(['bin/busybox', 'bin/sh', 'usr/bin/apt']);
    const top = tar([['bin/.wh.sh', ''], ['usr/bin/.wh..wh..opq', '']]);
    expect(await unwantedFiles([base, top])).toEqual(['bin/busybox']);
  });
});

describe('transparency log requirement of a signature rule', () => {
  it('is required for key signatures by default when a trusted root is given', async () => {
    const { parseImagePolicy } = await import('../../core/image-policy.js');
    const { requiresTlog } = await import('./trust.js');
    const errors: string[] = [];
    const p = parseImagePolicy({ signatures: [{ images: ['a/**'], keys: ['k'] }, { images: ['a/**'], keys: ['k'], trustedRoot: 'r.json' }, { images: ['a/**'], keys: ['k'], trustedRoot: 'r.json', transparencyLog: 'ignored' }] }, errors);
    expect(errors).toEqual([]);
    expect(p.signatures.map((r) => requiresTlog(r))).toEqual([false, true, false]);
  });
});

/**
 * Test vectors of the kubelet's keyring, kubernetes/kubernetes pkg/credentialprovider/keyring_test.go
 * (Apache-2.0, Copyright The Kubernetes Authors): TestURLsMatch, TestIsDefaultRegistryMatch (through the
 * index.docker.io fallback), TestDockerKeyringLookup, TestIssue3797 — copied as data.
 */
describe('imagePullSecrets as the kubelet keyring matches them', () => {
  const urlsMatch: [string, string, boolean][] = [
    ['*.kubernetes.io', 'prefix.kubernetes.io', true],
    ['prefix.*.io', 'prefix.kubernetes.io', true],
    ['prefix.kubernetes.*', 'prefix.kubernetes.io', true],
    ['*-good.kubernetes.io', 'prefix-good.kubernetes.io', true],
    ['*.kubernetes.io/blah', 'prefix.kubernetes.io/blah', true],
    ['prefix.*.io/foo', 'prefix.kubernetes.io/foo/bar', true],
    ['*.kubernetes.io:1111/blah', 'prefix.kubernetes.io:1111/blah', true],
    ['prefix.*.io:1111/foo', 'prefix.kubernetes.io:1111/foo/bar', true],
    ['*.kubernetes.io', 'kubernetes.io', false],
    ['*.*.kubernetes.io', 'prefix.kubernetes.io', false],
    ['*.*.kubernetes.io', 'kubernetes.io', false],
    ['*kubernetes.io', 'a.kubernetes.io', false],
    ['*kubernetes.io', 'kubernetes.io', true],
    ['*.*.*.kubernetes.io', 'a.b.c.kubernetes.io', true],
    ['kubernetes.io', 'kubernetes.com', false],
    ['k*.io', 'quay.io', false],
    ['*.kubernetes.io:1234/blah', 'prefix.kubernetes.io:1111/blah', false],
    ['prefix.*.io/foo', 'prefix.kubernetes.io:1111/foo/bar', false],
  ];
  for (const [glob, target, want] of urlsMatch) it(`URLsMatch ${glob} ${target}: ${String(want)}`, () => { expect(keyringMatches(glob, target)).toBe(want); });

  it('label globs as Go path.Match: ?, classes, escapes', () => {
    expect(labelGlobMatches('reg?', 'reg1')).toBe(true);
    expect(labelGlobMatches('reg[0-9]', 'reg7')).toBe(true);
    expect(labelGlobMatches('reg[^0-9]', 'reg7')).toBe(false);
    expect(labelGlobMatches('a\\*b', 'a*b')).toBe(true);
    expect(labelGlobMatches('a\\*b', 'axb')).toBe(false);
    expect(labelGlobMatches('*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(labelGlobMatches('[a-', 'a')).toBe(false);
  });

  const ada = { username: 'ada', password: 'smash' };
  const grace = { username: 'grace', password: 'squash' };
  const rex = { username: 'rex', password: 'tiny arms' };
  const keyring = (auths: Record<string, { username: string; password: string }>): Keyring => {
    const k = new Keyring();
    k.add(readDockerConfig({ auths }, 'secret', []));
    return k;
  };
  it('DockerKeyringLookup: the more specific key first, a path prefix as a string', () => {
    const k = keyring({ 'bar.example.com/pong': grace, 'bar.example.com': ada });
    expect(k.match('bar.example.com')).toEqual([ada]);
    expect(k.match('bar.example.com/pong')).toEqual([grace, ada]);
    expect(k.match('bar.example.com/ping')).toEqual([ada]);
    expect(k.match('bar.example.com/pongz')).toEqual([grace, ada]);
    expect(k.match('bar.example.com/pong/pang')).toEqual([grace, ada]);
    expect(k.match('example.com')).toEqual([]);
    expect(k.match('foo.example.com')).toEqual([]);
  });
  it('Issue3797: a scheme and /v1/ path match the whole host', () => {
    const k = keyring({ 'https://quay.io/v1/': rex });
    expect(keyringKey('https://quay.io/v1/')).toBe('quay.io');
    expect(k.match('quay.io')).toEqual([rex]);
    expect(k.match('quay.io/foo')).toEqual([rex]);
    expect(k.match('quay.io/foo/bar')).toEqual([rex]);
  });
  it('Docker Hub images fall back to the index.docker.io entry (IsDefaultRegistryMatch)', () => {
    const k = keyring({ 'https://index.docker.io/v1/': rex });
    for (const image of ['foo/bar', 'docker.io/foo/bar', 'index.docker.io/foo/bar', 'foo']) expect(k.match(image)).toEqual([rex]);
    for (const image of ['registry.tld/foo/bar', 'registry:5000/foo/bar', 'myhostdocker.io/foo/bar']) expect(k.match(image)).toEqual([]);
  });
  it('later pull secrets add credentials after earlier ones for the same key', async () => {
    const k = keyring({ 'ghcr.io': ada });
    k.add(readDockerConfig({ auths: { 'ghcr.io': grace } }, 'second', []));
    expect(await k.lookup('ghcr.io', 'acme/app')).toEqual([ada, grace]);
  });
});

describe('docker config credential helpers, as the docker CLI runs them', () => {
  const doc = readDockerConfig({ auths: { 'ghcr.io': { auth: Buffer.from('file:pw').toString('base64') }, 'quay.io': {} }, credHelpers: { 'registry.example.com:5000': 'pass', 'index.docker.io': 'hub' }, credsStore: 'desktop' }, 'config.json', []);
  const calls: string[] = [];
  const run: HelperRunner = (helper, server) => {
    calls.push(`${helper} ${server}`);
    if (helper === 'pass') return Promise.resolve(JSON.stringify({ ServerURL: server, Username: 'ci', Secret: 's3cret' }));
    if (helper === 'hub') return Promise.resolve(JSON.stringify({ ServerURL: server, Username: '<token>', Secret: 'refresh' }));
    if (helper === 'desktop' && server === 'quay.io') return Promise.resolve('');
    return Promise.reject(new Error(`docker-credential-${helper} get: exit 1`));
  };
  it('credHelpers for the host, else credsStore, once per registry; Docker Hub by its index URL', async () => {
    const problems: string[] = [];
    const src = dockerConfigCredentials(doc, run, problems);
    expect(await src.lookup('registry.example.com:5000', 'a')).toEqual([{ username: 'ci', password: 's3cret' }]);
    expect(await src.lookup('registry.example.com:5000', 'b')).toEqual([{ username: 'ci', password: 's3cret' }]);
    expect(await src.lookup('docker.io', 'library/nginx')).toEqual([{ identityToken: 'refresh' }]);
    // credsStore takes precedence over auths entries (they are placeholders then); "not found" is anonymous.
    expect(await src.lookup('quay.io', 'x')).toEqual([]);
    expect(await src.lookup('ghcr.io', 'x')).toEqual([]);
    expect(calls).toEqual(['pass registry.example.com:5000', 'hub https://index.docker.io/v1/', 'desktop quay.io', 'desktop ghcr.io']);
    expect(problems).toEqual(['docker-credential-desktop get: exit 1; ghcr.io is read anonymously']);
  });
  it('without helpers the auths entry of the host', async () => {
    const src = dockerConfigCredentials(readDockerConfig({ auths: { 'ghcr.io': { auth: Buffer.from('file:pw').toString('base64') } } }, 'c', []), run, []);
    expect(await src.lookup('ghcr.io', 'x')).toEqual([{ username: 'file', password: 'pw' }]);
    expect(await src.lookup('quay.io', 'x')).toEqual([]);
  });
  it('a helper name is a program suffix, never a path', () => {
    const problems: string[] = [];
    readDockerConfig({ credsStore: '../../bin/sh', credHelpers: { 'x.io': '-rf' } }, 'c', problems);
    expect(problems).toEqual(['c: credHelpers entry for x.io is not a helper name', 'c: credsStore is not a helper name']);
  });
});
