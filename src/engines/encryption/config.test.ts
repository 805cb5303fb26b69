import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { auditEncryptionConfig, decodeStdBase64, parseEncryptionConfig, ruleFor, writeProviderFor } from './config.js';

const key = (n: number): string => Buffer.alloc(n, 7).toString('base64');
const cfg = (resources: unknown[]): unknown => ({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources });
const codes = (doc: unknown): string[] => auditEncryptionConfig(parseEncryptionConfig(doc)).map((i) => i.code).sort();

describe('decodeStdBase64 (Go StdEncoding)', () => {
  it.each([
    ['AAAA', 3],
    ['AA==', 1],
    ['AAA=', 2],
    ['AA', undefined],
    ['AA=A', undefined],
    ['A-_A', undefined],
    ['AAAA\nAAAA', 6],
  ])('%j → %s bytes', (s, n) => {
    expect(decodeStdBase64(s)?.length).toBe(n);
  });
});

describe('parseEncryptionConfig / auditEncryptionConfig', () => {
  it.each([
    ['secretbox 32 bytes', [{ resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'k', secret: key(32) }] } }, { identity: {} }] }], []],
    ['aesgcm 16 bytes', [{ resources: ['secrets'], providers: [{ aesgcm: { keys: [{ name: 'k', secret: key(16) }] } }] }], ['aesgcm-rotation']],
    ['aescbc 24 bytes', [{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'k', secret: key(24) }] } }] }], ['aescbc-weak']],
    ['aescbc 20 bytes', [{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'k', secret: key(20) }] } }] }], ['aescbc-weak', 'invalid']],
    ['secretbox 16 bytes', [{ resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'k', secret: key(16) }] } }] }], ['invalid']],
    ['bad base64', [{ resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'k', secret: 'not base64!' }] } }] }], ['invalid']],
    ['duplicate key names', [{ resources: ['secrets'], providers: [{ aesgcm: { keys: [{ name: 'k', secret: key(32) }, { name: 'k', secret: key(32) }] } }] }], ['aesgcm-rotation', 'invalid']],
    ['identity first', [{ resources: ['secrets'], providers: [{ identity: {} }, { secretbox: { keys: [{ name: 'k', secret: key(32) }] } }] }], ['identity-first']],
    ['kms v1', [{ resources: ['secrets'], providers: [{ kms: { name: 'k', endpoint: 'unix:///kms.sock' } }] }], ['kms-v1-deprecated']],
    ['kms v2', [{ resources: ['secrets'], providers: [{ kms: { apiVersion: 'v2', name: 'k', endpoint: 'unix:///kms.sock' } }] }], []],
    ['secrets not covered', [{ resources: ['configmaps'], providers: [{ secretbox: { keys: [{ name: 'k', secret: key(32) }] } }] }], ['secrets-not-encrypted']],
    ['wildcard covers secrets', [{ resources: ['*.*'], providers: [{ secretbox: { keys: [{ name: 'k', secret: key(32) }] } }] }], []],
    ['unknown provider', [{ resources: ['secrets'], providers: [{ rot13: {} }] }], ['invalid']],
    ['masked resource', [{ resources: ['*.', 'secrets'], providers: [{ secretbox: { keys: [{ name: 'k', secret: key(32) }] } }] }], ['invalid']],
  ])('%s', (_name, resources, expected) => {
    expect(codes(cfg(resources))).toEqual(expected);
  });

  it('finds the rule and write provider of a resource', () => {
    const p = parseEncryptionConfig(cfg([{ resources: ['deployments.apps'], providers: [{ identity: {} }] }, { resources: ['*.'], providers: [{ aesgcm: { keys: [{ name: 'a', secret: key(32) }] } }] }]));
    const c = p.config;
    expect(c).toBeDefined();
    if (!c) return;
    expect(writeProviderFor(c, 'secrets')?.type).toBe('aesgcm');
    expect(writeProviderFor(c, 'deployments', 'apps')?.type).toBe('identity');
    expect(ruleFor(c, 'ingresses', 'networking.k8s.io')).toBeUndefined();
  });

  it('never prints key material', () => {
    const secret = Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
    const p = parseEncryptionConfig(cfg([{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'k', secret }] } }] }]));
    const k = p.config?.rules[0]?.providers[0]?.keys[0];
    expect(k?.size).toBe(32);
    expect(k?.material?.reveal().length).toBe(32);
    const shown = [JSON.stringify(p), inspect(p, { depth: 10 }), String(k?.material), JSON.stringify(auditEncryptionConfig(p))].join('\n');
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain('0123456789abcdef');
  });

  it('rejects a document of another kind', () => {
    expect(parseEncryptionConfig({ apiVersion: 'v1', kind: 'ConfigMap' }).errors.length).toBeGreaterThan(0);
    expect(parseEncryptionConfig('x').config).toBeUndefined();
  });
});
