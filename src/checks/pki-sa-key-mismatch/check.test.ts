// Applies to kubeadm's sa.key / sa.pub read from files: tested on in-memory files.
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluate, filesMaterial, makeCa } from '../support/pki.testutil.js';
import { pkiSaKeyMismatch } from './check.js';

const pubOf = (keyPem: string): string => createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString();

describe('pki-sa-key-mismatch', () => {
  it('matching pair passes, a foreign sa.pub is reported', async () => {
    const a = await makeCa('a');
    const b = await makeCa('b');
    expect(evaluate(pkiSaKeyMismatch, filesMaterial([{ path: 'pki/sa.key', text: a.keyPem }, { path: 'pki/sa.pub', text: pubOf(a.keyPem) }]))).toEqual([]);
    expect(evaluate(pkiSaKeyMismatch, filesMaterial([{ path: 'pki/sa.key', text: a.keyPem }, { path: 'pki/sa.pub', text: pubOf(b.keyPem) }]))).toEqual(['mismatch pki/sa.pub']);
  });
  it('an encrypted sa.key is not evaluated, never decrypted', () => {
    const enc = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n';
    const out = evaluate(pkiSaKeyMismatch, filesMaterial([{ path: 'pki/sa.key', text: enc }]));
    expect(out).toEqual(['skip: service-account key pki/sa.key is encrypted; not compared']);
  });
});
