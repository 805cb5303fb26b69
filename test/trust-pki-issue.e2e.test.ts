/**
 * Issue 10 §1, proof: certificates kspect issues are valid, and openssl says so. `--days` is bounded, `--san` values
 * are validated in one line, server and peer certificates need a SAN, privileged identities need --force on every
 * issuing command (issue, csr, sign), and `pki init` never leaves a half-written CA behind.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';
import { openssl, tempDir } from './support/openssl.js';

const tmp = tempDir('kspect-pki-issue-');
const T = tmp.dir;
const pki = (...args: string[]): Promise<CliResult> => runCli(['pki', ...args], { cwd: T });

beforeAll(async () => {
  const r = await pki('init', 'ca');
  expect(r.code, r.stderr).toBe(0);
}, 60_000);
afterAll(() => {
  tmp.cleanup();
});

function oneLine(r: CliResult, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(pattern)]);
}

describe('issued certificates are valid', () => {
  it('a server certificate with DNS, wildcard, IPv4 and IPv6 SANs verifies with openssl and carries exactly them', async () => {
    const r = await pki('issue', '--ca', 'ca/ca', '--role', 'server', '--cn', 'api', '--san', 'DNS:kubernetes.default.svc', '--san', 'DNS:*.apps.example.com', '--san', 'IP:10.96.0.1', '--san', 'IP:fd00::1', '--days', '398', '--out', 'out/api');
    expect(r.code, r.stderr).toBe(0);
    const crt = join(T, 'out', 'api.crt');
    expect(openssl(['verify', '-CAfile', join(T, 'ca', 'ca.crt'), '-purpose', 'sslserver', crt])).toContain('OK');
    const text = openssl(['x509', '-in', crt, '-noout', '-ext', 'subjectAltName', '-dates']);
    expect(text).toContain('DNS:kubernetes.default.svc, DNS:*.apps.example.com, IP Address:10.96.0.1, IP Address:FD00:0:0:0:0:0:0:1');
    const days = (Date.parse(/notAfter=(.*)/.exec(text)?.[1] ?? '') - Date.parse(/notBefore=(.*)/.exec(text)?.[1] ?? '')) / 86_400_000;
    expect(Math.round(days)).toBe(398);
    // openssl checks the host against the SANs as a TLS client would.
    expect(openssl(['verify', '-CAfile', join(T, 'ca', 'ca.crt'), '-verify_hostname', 'x.apps.example.com', crt])).toContain('OK');
    expect(openssl(['verify', '-CAfile', join(T, 'ca', 'ca.crt'), '-verify_ip', '10.96.0.1', crt])).toContain('OK');
  });

  it('pki init CAs verify as self-signed CAs for at most 10 years', () => {
    for (const f of ['ca.crt', 'etcd/ca.crt', 'front-proxy-ca.crt']) {
      const crt = join(T, 'ca', f);
      expect(openssl(['verify', '-CAfile', crt, crt])).toContain('OK');
      expect(openssl(['x509', '-in', crt, '-noout', '-ext', 'basicConstraints'])).toContain('CA:TRUE');
    }
  });
});

describe('refused in one line', () => {
  it.each([
    [['issue', '--ca', 'ca/ca', '--role', 'client', '--cn', 'x', '--days', '399', '--out', 'o/a'], /^kspect: --days 399 is over the 398-day limit of a leaf certificate/],
    [['issue', '--ca', 'ca/ca', '--role', 'client', '--cn', 'x', '--days', '0', '--out', 'o/a'], /^kspect: --days must be a positive whole number$/],
    [['issue', '--ca', 'ca/ca', '--role', 'client', '--cn', 'x', '--days', '1e3', '--out', 'o/a'], /^kspect: --days must be a positive whole number$/],
    [['init', 'ca-long', '--days', '36500'], /^kspect: --days 36500 is over the 3653-day limit of a CA certificate/],
    [['issue', '--ca', 'ca/ca', '--role', 'server', '--cn', 'x', '--san', 'IP:999.1.1.1', '--out', 'o/a'], /^kspect: --san "IP:999\.1\.1\.1": not an IPv4 or IPv6 address$/],
    [['issue', '--ca', 'ca/ca', '--role', 'server', '--cn', 'x', '--san', 'IP:1:2:3', '--out', 'o/a'], /^kspect: --san "IP:1:2:3": not an IPv4 or IPv6 address$/],
    [['issue', '--ca', 'ca/ca', '--role', 'server', '--cn', 'x', '--san', 'DNS:bad_name.example', '--out', 'o/a'], /^kspect: --san "DNS:bad_name\.example": "bad_name" is not a DNS label/],
    [['issue', '--ca', 'ca/ca', '--role', 'server', '--cn', 'x', '--san', 'DNS:a.*.example.com', '--out', 'o/a'], /^kspect: --san "DNS:a\.\*\.example\.com": a wildcard must be the whole leftmost label/],
    [['issue', '--ca', 'ca/ca', '--role', 'server', '--cn', 'x', '--san', 'DNS:\u001b[31mred', '--out', 'o/a'], /^kspect: --san "DNS:\\x1b\[31mred": "\\x1b\[31mred" is not a DNS label/],
    [['csr', '--cn', 'x', '--san', 'URI:nothing', '--out', 'o/a'], /^kspect: --san "URI:nothing": not a URI with a scheme/],
    [['issue', '--ca', 'ca/ca', '--role', 'server', '--cn', 'api', '--out', 'o/a'], /^kspect: a server certificate needs a DNS or IP --san/],
    [['issue', '--ca', 'ca/ca', '--role', 'peer', '--cn', 'etcd', '--san', 'email:a@example.com', '--out', 'o/a'], /^kspect: a peer certificate needs a DNS or IP --san/],
  ])('%j', async (args, pattern) => {
    oneLine(await pki(...args), 2, pattern);
    expect(existsSync(join(T, 'o', 'a.key'))).toBe(false);
  });
});

describe('privileged identities need --force on every issuing command', () => {
  it.each([
    ['system:masters', 'admin'],
    ['kubeadm:cluster-admins', 'kubernetes-admin'],
    ['system:nodes', 'system:node:worker-1'],
  ])('%s', async (group, cn) => {
    oneLine(await pki('issue', '--ca', 'ca/ca', '--role', 'client', '--cn', cn, '--o', group, '--out', 'priv/issued'), 1, new RegExp(`^kspect: refused: .*the group ${group}.*\\(use --force to issue it anyway\\)$`));
    oneLine(await pki('csr', '--cn', cn, '--o', group, '--out', 'priv/req'), 1, new RegExp(`^kspect: refused: .*the group ${group}`));
    expect(existsSync(join(T, 'priv', 'issued.key')) || existsSync(join(T, 'priv', 'req.key'))).toBe(false);
    const forcedCsr = await pki('csr', '--cn', cn, '--o', group, '--force', '--out', `priv/${group.replace(/:/g, '-')}`);
    expect(forcedCsr.code, forcedCsr.stderr).toBe(0);
    oneLine(await pki('sign', `priv/${group.replace(/:/g, '-')}.csr`, '--ca', 'ca/ca', '--role', 'client', '--out', 'priv/signed'), 1, new RegExp(`refused: .*the group ${group}.*--force`));
    const forced = await pki('issue', '--ca', 'ca/ca', '--role', 'client', '--cn', cn, '--o', group, '--force', '--out', `priv/${group.replace(/:/g, '-')}-issued`);
    expect(forced.code, forced.stderr).toBe(0);
    expect(openssl(['x509', '-in', join(T, 'priv', `${group.replace(/:/g, '-')}-issued.crt`), '-noout', '-subject'])).toContain(`O = ${group}`);
  });

  it('sign refuses a server CSR without SANs, and a CSR with an invalid SAN', async () => {
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(T, 'nosan.key'), '-subj', '/CN=web', '-out', join(T, 'nosan.csr')]);
    oneLine(await pki('sign', 'nosan.csr', '--ca', 'ca/ca', '--role', 'server', '--out', 'nosan'), 2, /^kspect: nosan\.csr: a server certificate needs a DNS or IP SAN, and the request has none$/);
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(T, 'badsan.key'), '-subj', '/CN=web', '-addext', 'subjectAltName=DNS:-bad-', '-out', join(T, 'badsan.csr')]);
    oneLine(await pki('sign', 'badsan.csr', '--ca', 'ca/ca', '--role', 'server', '--out', 'badsan'), 2, /^kspect: badsan\.csr: the request's SAN "-bad-" is invalid: /);
    oneLine(await pki('sign', 'badsan.csr', '--ca', 'ca/ca', '--role', 'client', '--days', '4000', '--out', 'badsan'), 2, /^kspect: --days 4000 is over the 398-day limit/);
    expect(existsSync(join(T, 'nosan.crt')) || existsSync(join(T, 'badsan.crt'))).toBe(false);
  });
});

describe('pki init never leaves a half-written CA', () => {
  it('a file in the way: nothing written, no temporary folder left', async () => {
    const first = await pki('init', 'half');
    expect(first.code).toBe(0);
    const before = readdirSync(join(T, 'half')).sort();
    // Remove all but one file: a second init must write nothing at all.
    for (const f of ['ca.crt', 'ca.key', 'front-proxy-ca.crt', 'front-proxy-ca.key']) rmSync(join(T, 'half', f));
    const r = await pki('init', 'half');
    oneLine(r, 2, /^kspect: cannot write .*half\/etcd\/ca\.(crt|key): it exists/);
    expect(readdirSync(join(T, 'half')).sort()).toEqual(before.filter((f) => f === 'etcd'));
    expect(readdirSync(join(T, 'half', 'etcd')).sort()).toEqual(['ca.crt', 'ca.key']);
  });

  it('a target under a file: one line, nothing left in the folder', async () => {
    writeFileSync(join(T, 'plain'), 'x');
    oneLine(await pki('init', 'plain/sub'), 2, /^kspect: cannot create the folder of .*plain\/sub/);
    expect(readdirSync(T).filter((f) => f.startsWith('.kspect-init-'))).toEqual([]);
  });
});
