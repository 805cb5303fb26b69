// Endpoint check: tested on probe results here; against real `openssl s_server` in test/pki-endpoints.test.ts.
import { describe, expect, it } from 'vitest';
import { evaluate, filesMaterial, probe } from '../support/pki.testutil.js';
import { cipherWeakness, tlsWeakCipher } from './check.js';

describe('tls-weak-cipher', () => {
  it.each([
    ['ECDHE-RSA-AES128-GCM-SHA256', undefined],
    ['TLS_AES_256_GCM_SHA384', undefined],
    ['DHE-RSA-CHACHA20-POLY1305', undefined],
    ['AES128-GCM-SHA256', 'no-forward-secrecy'],
    ['PSK-AES128-CBC-SHA', 'no-forward-secrecy'],
    ['NULL-SHA256', 'insecure'],
    ['ECDHE-RSA-NULL-SHA', 'insecure'],
    ['ADH-AES128-SHA', 'insecure'],
    ['AECDH-AES256-SHA', 'insecure'],
    ['DES-CBC3-SHA', 'insecure'],
    ['RC4-MD5', 'insecure'],
    ['EXP-RC4-MD5', 'insecure'],
  ])('%s → %s', (name, want) => { expect(cipherWeakness(name)).toBe(want); });

  it('reports insecure (high) and non-forward-secret (medium) suites once each', () => {
    const p = probe('x', { ciphers: [{ version: 'TLSv1.2', name: 'NULL-SHA256' }, { version: 'TLSv1.1', name: 'NULL-SHA256' }, { version: 'TLSv1.2', name: 'AES128-SHA' }, { version: 'TLSv1.2', name: 'ECDHE-RSA-AES128-GCM-SHA256' }] });
    expect(evaluate(tlsWeakCipher, filesMaterial([], [p]))).toEqual(['insecure x:443', 'nofs x:443']);
    expect(evaluate(tlsWeakCipher, filesMaterial([], [probe('y')]))).toEqual([]);
  });
});
