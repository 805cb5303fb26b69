import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSecretKeyName, redactMessage, redactPrivateKeys, secretValues } from './redact.js';

describe('isSecretKeyName', () => {
  it.each(['token', 'password', 'key', 'secret', 'tls.key', 'client-key-data', 'apiToken', 'DB_PASSWORD', 'dbpassword', 'privateKey', 'AWS_SECRET_ACCESS_KEY', 'bearerToken', 'id_rsa.key'])('%s is', (k) => {
    expect(isSecretKeyName(k)).toBe(true);
  });
  it.each(['name', 'image', 'apiVersion', 'keyboard', 'monkey', 'hostPath', 'replicas', ''])('%s is not', (k) => {
    expect(isSecretKeyName(k)).toBe(false);
  });
});

describe('secretValues and redactMessage', () => {
  it('finds values of secret keys in block, flow and key=value styles, with and without YAML marks', () => {
    const v = secretValues('a:\n  password: *hunter2\n  name: web\n  x: {token: !tag abc123, b: 1}\nkey=s3cr3t,other\ntls.key: |\n  line-one\n  line-two\nnext: 1\n');
    for (const s of ['*hunter2', 'hunter2', '!tag abc123', 'abc123', 's3cr3t', 'line-one', 'line-two']) expect(v, s).toContain(s);
    expect(v).not.toContain('web');
    expect(v).not.toContain('1');
  });
  it('replaces every quoted secret value, longest first', () => {
    expect(redactMessage('Unresolved alias (the anchor must be set before the alias): hunter2SECRET', 'token: *hunter2SECRET\n')).toBe('Unresolved alias (the anchor must be set before the alias): [redacted]');
    expect(redactMessage('Unresolved tag: !s3cr3t-value', 'password: !s3cr3t-value x\n')).toBe('Unresolved tag: [redacted]');
    expect(redactMessage('Map keys must be unique', 'password: x\n')).toBe('Map keys must be unique');
  });
});

const BODY = 'MIIEowIBAAKCAQEA0000000000000000000000000000000000000000000000000';

describe('redactPrivateKeys', () => {
  it('redacts PEM private-key bodies, keeping the framing and indentation', () => {
    const text = `data:\n  id.pem: |\n    -----BEGIN RSA PRIVATE KEY-----\n    ${BODY}\n    -----END RSA PRIVATE KEY-----\n  cert: |\n    -----BEGIN CERTIFICATE-----\n    MIIBcert\n    -----END CERTIFICATE-----\n`;
    const out = redactPrivateKeys(text);
    expect(out).not.toContain(BODY);
    expect(out).toContain('-----BEGIN RSA PRIVATE KEY-----\n[private key redacted]\n    -----END RSA PRIVATE KEY-----');
    expect(out).toContain('MIIBcert');
  });
  it('redacts an unterminated block to the end, and base64 of a PEM private key', () => {
    expect(redactPrivateKeys(`x: -----BEGIN PRIVATE KEY-----\n${BODY}\n`)).not.toContain(BODY);
    const b64 = Buffer.from(`-----BEGIN EC PRIVATE KEY-----\n${BODY}\n-----END EC PRIVATE KEY-----\n`).toString('base64');
    const out = redactPrivateKeys(`data:\n  tls.key: ${b64}\n  tls.crt: ${Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64')}\n`);
    expect(out).toContain('tls.key: [base64 private key redacted]\n');
    expect(out).not.toContain(b64.slice(20, 60));
    expect(out).toContain('tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t');
  });
  it('leaves no private key in any shipped check example (what kspect explain prints)', () => {
    const root = new URL('../checks/', import.meta.url).pathname;
    let withKeys = 0;
    for (const id of readdirSync(root)) {
      const fx = join(root, id, 'fixtures');
      if (!statSync(join(root, id)).isDirectory()) continue;
      for (const kind of ['pass', 'fail']) {
        let files: string[];
        try {
          files = readdirSync(join(fx, kind));
        } catch {
          continue;
        }
        for (const f of files) {
          const text = readFileSync(join(fx, kind, f), 'utf8');
          if (/PRIVATE KEY/.test(text) || text.includes('LS0tLS1CRUdJTi')) withKeys++;
          const out = redactPrivateKeys(text);
          expect(out, `${id}/${kind}/${f}`).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY-----\n(?!\[private key redacted\])/);
          for (const m of out.matchAll(/LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g)) expect(Buffer.from(m[0], 'base64').toString('latin1'), `${id}/${kind}/${f}`).not.toMatch(/PRIVATE KEY/);
        }
      }
    }
    expect(withKeys).toBeGreaterThan(0);
  });
});
