// Manifests: Ingress hosts against the Secret's certificate (fixtures). Endpoints: probe results below,
// and real `openssl s_server` in test/pki-endpoints.test.ts.
import { describe, expect, it } from 'vitest';
import { evaluate, filesMaterial, makeCa, makeLeaf, probe } from '../support/pki.testutil.js';
import { testCheck } from '../support/tester.js';
import { tlsHostnameMismatch } from './check.js';

testCheck(tlsHostnameMismatch, import.meta.dirname);

describe('tls-hostname-mismatch on endpoints', () => {
  it('matches DNS and IP SANs, single-label wildcards, never the CN', async () => {
    const ca = await makeCa('ca');
    const leaf = await makeLeaf(ca.signer, { subject: { cn: 'cn-only.example.com' }, sans: [{ type: 'dns', value: 'api.example.com' }, { type: 'dns', value: '*.apps.example.com' }, { type: 'ip', value: '10.0.0.1' }] });
    const run = (host: string): string[] => evaluate(tlsHostnameMismatch, filesMaterial([], [probe(host, { chain: [leaf.der] })]));
    expect(run('api.example.com')).toEqual([]);
    expect(run('web.apps.example.com')).toEqual([]);
    expect(run('10.0.0.1')).toEqual([]);
    expect(run('a.b.apps.example.com')).toEqual(['mismatch a.b.apps.example.com:443 chain[0]']);
    expect(run('cn-only.example.com')).toEqual(['mismatch cn-only.example.com:443 chain[0]']);
    expect(run('10.0.0.2')).toEqual(['mismatch 10.0.0.2:443 chain[0]']);
  });

  it('an Ingress wildcard host needs the same wildcard SAN', async () => {
    const { certMatchesHost } = await import('../../engines/x509/describe.js');
    const { parseCertificate } = await import('../../engines/x509/cert.js');
    const ca = await makeCa('ca');
    const leaf = await makeLeaf(ca.signer, { subject: { cn: 'x' }, sans: [{ type: 'dns', value: '*.Apps.example.com' }, { type: 'dns', value: 'api.example.com' }] });
    const c = parseCertificate(leaf.der);
    if (!c.ok) throw new Error(c.error);
    expect(certMatchesHost(c.value, '*.apps.example.com')).toBe(true);
    expect(certMatchesHost(c.value, '*.example.com')).toBe(false);
  });
});
