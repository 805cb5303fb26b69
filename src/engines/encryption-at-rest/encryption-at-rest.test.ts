import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { parseEncryptionConfig, parseGroupResource, providersFor, type EncryptionConfig } from './config.js';
import { evaluateValue } from './evaluate.js';
import { classifyStored, isJsonText, plainEncodingOf } from './format.js';
import { parseKey, storagePathOf } from './keys.js';

const PROTO = Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0x0c]), Buffer.from('\n\x02v1\x12\x06Secret')]);
const enc = (s: string) => new Uint8Array(Buffer.from(s));

// Values laid out the way kube-apiserver writes them (see docs/cluster.md): prefix, then the provider's payload.
function aescbc(key: Buffer, name: string, plain: Buffer): Uint8Array {
  const iv = randomBytes(16);
  const c = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  return new Uint8Array(Buffer.concat([Buffer.from(`k8s:enc:aescbc:v1:${name}:`), iv, c.update(plain), c.final()]));
}
function aesgcm(key: Buffer, name: string, plain: Buffer, aad: string): Uint8Array {
  const nonce = randomBytes(12);
  const c = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(aad));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from(`k8s:enc:aesgcm:v1:${name}:`), nonce, body, c.getAuthTag()]));
}
function secretbox(key: Buffer, name: string, plain: Buffer): Uint8Array {
  const nonce = randomBytes(24);
  return new Uint8Array(Buffer.concat([Buffer.from(`k8s:enc:secretbox:v1:${name}:`), nonce, nacl.secretbox(plain, nonce, key)]));
}

describe('classifyStored', () => {
  it.each([
    ['protobuf', PROTO, { state: 'plaintext', encoding: 'protobuf' }],
    ['json', enc('{"kind":"Secret"}'), { state: 'plaintext', encoding: 'json' }],
    ['cbor', new Uint8Array([0xd9, 0xd9, 0xf7, 0xa1]), { state: 'plaintext', encoding: 'cbor' }],
    ['binary', new Uint8Array([1, 2, 3]), { state: 'plaintext', encoding: 'unknown' }],
    ['aescbc', enc('k8s:enc:aescbc:v1:key1:\x01\x02'), { state: 'encrypted', provider: 'aescbc', version: 'v1', keyName: 'key1', prefixLength: 23 }],
    ['aesgcm', enc('k8s:enc:aesgcm:v1:k-2:\x00'), { state: 'encrypted', provider: 'aesgcm', version: 'v1', keyName: 'k-2', prefixLength: 22 }],
    ['secretbox', enc('k8s:enc:secretbox:v1:box:\xff'), { state: 'encrypted', provider: 'secretbox', version: 'v1', keyName: 'box', prefixLength: 25 }],
    ['kms v1', enc('k8s:enc:kms:v1:vault:\x00\x10'), { state: 'encrypted', provider: 'kms', version: 'v1', keyName: 'vault', prefixLength: 21 }],
    ['kms v2', enc('k8s:enc:kms:v2:cloudkms:\x0a'), { state: 'encrypted', provider: 'kms', version: 'v2', keyName: 'cloudkms', prefixLength: 24 }],
    ['aescbc v2 does not exist', enc('k8s:enc:aescbc:v2:k:\x00'), { state: 'unrecognised-envelope', prefix: 'k8s:enc:aescbc:v2:' }],
  ])('%s', (_name, value, expected) => {
    expect(classifyStored(value)).toEqual(expected);
  });

  it('plainEncodingOf skips leading whitespace before JSON', () => {
    expect(plainEncodingOf(enc('\n {"a":1}'))).toBe('json');
  });
});

describe('parseKey / storagePathOf', () => {
  it.each([
    ['/registry/secrets/default/db', { resource: { group: '', resource: 'secrets' }, namespace: 'default', name: 'db' }],
    ['/registry/configmaps/kube-system/cfg', { resource: { group: '', resource: 'configmaps' }, namespace: 'kube-system', name: 'cfg' }],
    ['/registry/minions/node-1', { resource: { group: '', resource: 'nodes' }, name: 'node-1' }],
    ['/registry/services/specs/default/kubernetes', { resource: { group: '', resource: 'services' }, namespace: 'default', name: 'kubernetes' }],
    ['/registry/services/endpoints/default/kubernetes', { resource: { group: '', resource: 'endpoints' }, namespace: 'default', name: 'kubernetes' }],
    ['/registry/controllers/ns/rc', { resource: { group: '', resource: 'replicationcontrollers' }, namespace: 'ns', name: 'rc' }],
    ['/registry/ingress/ns/web', { resource: { group: 'networking.k8s.io', resource: 'ingresses' }, namespace: 'ns', name: 'web' }],
    ['/registry/deployments/ns/web', { resource: { group: 'apps', resource: 'deployments' }, namespace: 'ns', name: 'web' }],
    ['/registry/clusterroles/admin', { resource: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' }, name: 'admin' }],
    ['/registry/namespaces/default', { resource: { group: '', resource: 'namespaces' }, name: 'default' }],
    ['/registry/cert-manager.io/certificates/ns/tls', { resource: { group: 'cert-manager.io', resource: 'certificates' }, namespace: 'ns', name: 'tls' }],
    ['/registry/apiextensions.k8s.io/customresourcedefinitions/certificates.cert-manager.io', { resource: { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }, name: 'certificates.cert-manager.io' }],
    ['/registry/ranges/serviceips', { name: 'serviceips' }],
  ])('%s', (key, expected) => {
    expect(parseKey(key)).toEqual(expected);
  });

  it('honours another --etcd-prefix', () => {
    expect(parseKey('/custom/secrets/a/b', '/custom')).toEqual({ resource: { group: '', resource: 'secrets' }, namespace: 'a', name: 'b' });
  });

  it.each([
    ['secrets', 'secrets'],
    ['nodes', 'minions'],
    ['services', 'services/specs'],
    ['deployments.apps', 'deployments'],
    ['ingresses.networking.k8s.io', 'ingress'],
    ['widgets.example.com', 'example.com/widgets'],
  ])('storage path of %s is %s', (gr, path) => {
    expect(storagePathOf(parseGroupResource(gr))).toBe(path);
  });
});

describe('parseEncryptionConfig / providersFor', () => {
  const k32 = randomBytes(32).toString('base64');
  it('parses providers and keys with the shared parser, and reports bad keys without echoing them', () => {
    const r = parseEncryptionConfig({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'EncryptionConfiguration',
      resources: [{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'k1', secret: k32 }, { name: 'bad', secret: 'not-base64!' }] } }, { identity: {} }] }],
    });
    expect(r.problems).toEqual(['resources[0].providers[0].aescbc.keys[1].secret: key "bad" is not valid base64']);
    expect(JSON.stringify(r)).not.toContain(k32);
    expect(r.config?.rules[0]?.providers.map((p) => p.type)).toEqual(['aescbc', 'identity']);
  });

  it('reports a resource masked by an earlier wildcard, as kube-apiserver refuses it', () => {
    const r = parseEncryptionConfig({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['*.*'], providers: [{ identity: {} }] }, { resources: ['secrets'], providers: [{ identity: {} }] }] });
    expect(r.problems).toEqual(['resources[1].resources[0]: "secrets" is masked by "*.*" at resources[0].resources[0]']);
  });

  it('picks exact rules, then group wildcards, then *.*', () => {
    const cfg: EncryptionConfig = {
      rules: [
        { resources: [parseGroupResource('secrets')], providers: [{ type: 'aesgcm', keys: [] }] },
        { resources: [parseGroupResource('*.apps')], providers: [{ type: 'secretbox', keys: [] }] },
        { resources: [parseGroupResource('*.*')], providers: [{ type: 'aescbc', keys: [] }] },
      ],
    };
    expect(providersFor(cfg, { group: '', resource: 'secrets' })?.[0]?.type).toBe('aesgcm');
    expect(providersFor(cfg, { group: 'apps', resource: 'deployments' })?.[0]?.type).toBe('secretbox');
    expect(providersFor(cfg, { group: '', resource: 'configmaps' })?.[0]?.type).toBe('aescbc');
    expect(providersFor({ rules: [] }, { group: '', resource: 'secrets' })).toBeUndefined();
  });
});

describe('evaluateValue', () => {
  const key1 = randomBytes(32);
  const key2 = randomBytes(32);
  const box = randomBytes(32);
  const etcdKey = '/registry/secrets/default/db';
  const secrets = { group: '', resource: 'secrets' };
  const config = (providers: unknown[]): EncryptionConfig => {
    const r = parseEncryptionConfig({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets'], providers }] });
    if (!r.config || r.problems.length > 0) throw new Error(r.problems.join('; '));
    return r.config;
  };
  const gcmThenCbc = config([{ aesgcm: { keys: [{ name: 'key2', secret: key2.toString('base64') }] } }, { aescbc: { keys: [{ name: 'key1', secret: key1.toString('base64') }] } }, { secretbox: { keys: [{ name: 'box', secret: box.toString('base64') }] } }, { identity: {} }]);

  it.each([
    ['aesgcm with the write key', () => aesgcm(key2, 'key2', PROTO, etcdKey), 'current'],
    ['aescbc, a read-only key', () => aescbc(key1, 'key1', PROTO), 'stale'],
    ['secretbox, a read-only key', () => secretbox(box, 'box', PROTO), 'stale'],
    ['plaintext, identity last', () => new Uint8Array(PROTO), 'plaintext'],
    ['aesgcm sealed for another etcd key (AAD differs)', () => aesgcm(key2, 'key2', PROTO, '/registry/secrets/default/other'), 'undecryptable'],
    ['aescbc with other key material under a known name', () => aescbc(randomBytes(32), 'key1', PROTO), 'undecryptable'],
    ['a key name the configuration lacks', () => aescbc(key1, 'key0', PROTO), 'unknown-key'],
    ['kms v2 not configured', () => enc('k8s:enc:kms:v2:vault:\x0a\x00'), 'unknown-key'],
  ])('%s → %s', (_name, make, verdict) => {
    const e = evaluateValue(make(), etcdKey, secrets, gcmThenCbc);
    expect(e.verdict).toBe(verdict);
    if (verdict === 'current' || verdict === 'stale') expect(e.decryptedEncoding ?? 'plaintext').toMatch(/protobuf|plaintext/);
  });

  it('aescbc under other key material that happens to unpad: garbage, so undecryptable (kube-apiserver cannot decode it either)', () => {
    // CBC has no authentication: about one wrong key in 256 leaves valid PKCS#7 padding. Find one.
    const value = aescbc(key1, 'key1', PROTO);
    let wrong: Buffer | undefined;
    for (let i = 0; i < 100_000 && !wrong; i++) {
      const k = randomBytes(32);
      const d = createDecipheriv('aes-256-cbc', k, value.subarray(23, 39));
      try {
        Buffer.concat([d.update(value.subarray(39)), d.final()]);
        wrong = k;
      } catch {
        // bad padding: the usual case
      }
    }
    if (!wrong) throw new Error('no key with valid padding found');
    const cfg = config([{ aescbc: { keys: [{ name: 'key1', secret: wrong.toString('base64') }] } }, { identity: {} }]);
    expect(evaluateValue(value, etcdKey, secrets, cfg).verdict).toBe('undecryptable');
  });

  it('aescbc that decrypts to `{` and garbage under the configured key is undecryptable; to a JSON object, current', () => {
    const cfg = config([{ aescbc: { keys: [{ name: 'key1', secret: key1.toString('base64') }] } }, { identity: {} }]);
    for (const garbage of ['{\x9c\x01\xfe', '{"kind":"Secret",', ' {"a":1}}', '{"a":"\x01"}']) {
      expect(evaluateValue(aescbc(key1, 'key1', Buffer.from(garbage, 'latin1')), etcdKey, secrets, cfg).verdict).toBe('undecryptable');
    }
    const json = evaluateValue(aescbc(key1, 'key1', Buffer.from('{"kind":"Secret","apiVersion":"v1","data":{"k":"dg=="}}')), etcdKey, secrets, cfg);
    expect([json.verdict, json.decryptedEncoding]).toEqual(['current', 'json']);
  });

  it('identity first: plaintext is by configuration, encrypted values are stale', () => {
    const cfg = config([{ identity: {} }, { aescbc: { keys: [{ name: 'key1', secret: key1.toString('base64') }] } }]);
    expect(evaluateValue(new Uint8Array(PROTO), etcdKey, secrets, cfg).verdict).toBe('plaintext-by-config');
    expect(evaluateValue(aescbc(key1, 'key1', PROTO), etcdKey, secrets, cfg).verdict).toBe('stale');
  });

  it('two aescbc providers with the same prefix: the second is tried when the first fails', () => {
    const cfg = config([{ aescbc: { keys: [{ name: 'k', secret: key2.toString('base64') }] } }, { aescbc: { keys: [{ name: 'k', secret: key1.toString('base64') }] } }]);
    expect(evaluateValue(aescbc(key1, 'k', PROTO), etcdKey, secrets, cfg).verdict).toBe('stale');
    expect(evaluateValue(aescbc(key2, 'k', PROTO), etcdKey, secrets, cfg).verdict).toBe('current');
  });

  it('kms values of a configured provider are recognised, not verified', () => {
    const cfg = config([{ kms: { apiVersion: 'v2', name: 'vault', endpoint: 'unix:///x.sock' } }, { identity: {} }]);
    expect(evaluateValue(enc('k8s:enc:kms:v2:vault:\x0a'), etcdKey, secrets, cfg).verdict).toBe('kms-unverified');
  });

  it('without a configuration only the stored form is known', () => {
    expect(evaluateValue(aescbc(key1, 'key1', PROTO), etcdKey, secrets, undefined).verdict).toBe('unverified');
    expect(evaluateValue(new Uint8Array(PROTO), etcdKey, secrets, undefined).verdict).toBe('plaintext');
  });

  it('never puts plaintext in its explanation', () => {
    const marker = Buffer.from('k8s\0 PLANTED-SECRET-VALUE-1234');
    for (const v of [aescbc(key1, 'key1', marker), new Uint8Array(marker), aesgcm(key2, 'key2', marker, etcdKey)]) {
      expect(JSON.stringify(evaluateValue(v, etcdKey, secrets, gcmThenCbc))).not.toContain('PLANTED');
    }
  });
});

describe('isJsonText', () => {
  const parses = (b: Buffer): boolean => {
    try {
      JSON.parse(b.toString('latin1'));
      return true;
    } catch {
      return false;
    }
  };
  it.each(['{}', '[]', ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]} ', '0', '-0.0E-1', '"s"', '[[[[]]]]', '{"a":{"b":{}}}'])('accepts %s', (t) => {
    expect(isJsonText(Buffer.from(t))).toBe(true);
  });
  it.each(['', ' ', '{', '{"a"}', '{"a":}', '{,}', '[1,]', '[1 2]', '01', '1.', '.5', '-', '1e', 'tru', 'nul', '"\\x"', '"\\u12g4"', '"a\u0001"', '{} {}', '{"a":1,}', '[}', '{]'])('refuses %j', (t) => {
    expect(isJsonText(Buffer.from(t))).toBe(false);
  });
  it('agrees with JSON.parse on 20,000 generated texts, valid and broken', () => {
    // Texts from JSON's own alphabet (so that most are nearly JSON), and valid texts with one byte changed.
    const alphabet = '{}[]:,"\\ \n0123456789-+.eEtrufalsn\x01\xe9u';
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const valid = ['{"kind":"Secret","data":{"a":"b"},"n":[1,2.5,-3e2,true,null]}', '[{"x":"\\u0041\\n"},[],{}]', '{"a":{"b":[{"c":"d"}]}}'];
    let agreed = 0;
    for (let i = 0; i < 20_000; i++) {
      let t: string;
      if (i % 2 === 0) {
        t = '';
        const len = 1 + rand(12);
        for (let j = 0; j < len; j++) t += alphabet.charAt(rand(alphabet.length));
      } else {
        const v = valid[rand(valid.length)] as string;
        const at = rand(v.length);
        t = v.slice(0, at) + alphabet.charAt(rand(alphabet.length)) + v.slice(at + rand(2));
      }
      const b = Buffer.from(t, 'latin1');
      expect(isJsonText(b), JSON.stringify(t)).toBe(parses(b));
      agreed++;
    }
    expect(agreed).toBe(20_000);
  });
});
