// File-only check: tested on in-memory files (scan fixtures cannot carry file modes).
import { describe, expect, it } from 'vitest';
import { evaluate, filesMaterial, makeCa } from '../support/pki.testutil.js';
import { pkiKeyPermissions } from './check.js';

describe('pki-key-permissions', () => {
  it('reports keys readable by group or others, not mode 600/400', async () => {
    const ca = await makeCa('kubernetes');
    const b = filesMaterial([
      { path: 'pki/ca.crt', text: ca.pem, mode: 0o644 },
      { path: 'pki/ca.key', text: ca.keyPem, mode: 0o644 },
      { path: 'pki/front-proxy-ca.key', text: ca.keyPem, mode: 0o640 },
      { path: 'pki/etcd/ca.key', text: ca.keyPem, mode: 0o600 },
      { path: 'pki/sa.key', text: ca.keyPem, mode: 0o400 },
    ]);
    expect(evaluate(pkiKeyPermissions, b)).toEqual(['mode pki/ca.key', 'mode pki/front-proxy-ca.key']);
  });
  it('certificates with mode 644 are fine', async () => {
    const ca = await makeCa('kubernetes');
    expect(evaluate(pkiKeyPermissions, filesMaterial([{ path: 'pki/ca.crt', text: ca.pem, mode: 0o644 }]))).toEqual([]);
  });
});
