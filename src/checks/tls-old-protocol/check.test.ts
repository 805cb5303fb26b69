// Endpoint check: tested on probe results here; against real `openssl s_server` in test/pki-endpoints.test.ts.
import { describe, expect, it } from 'vitest';
import { evaluate, filesMaterial, probe } from '../support/pki.testutil.js';
import { tlsOldProtocol } from './check.js';

describe('tls-old-protocol', () => {
  it('TLS 1.2+ only passes; TLS 1.0 or 1.1 accepted is reported', () => {
    expect(evaluate(tlsOldProtocol, filesMaterial([], [probe('a')]))).toEqual([]);
    const old = probe('b', { protocols: { TLSv1: { accepted: true }, 'TLSv1.1': { accepted: false }, 'TLSv1.2': { accepted: true }, 'TLSv1.3': { accepted: false } } });
    expect(evaluate(tlsOldProtocol, filesMaterial([], [old]))).toEqual(['old b:443']);
  });
});
