/**
 * Issue 10 §2, proof: `pki check` probes an argument as an endpoint only by the documented rule — it is not an
 * existing file or folder, it is HOST:PORT, and HOST does not look like a file (ca.crt:443, or an existing pki:443);
 * `--endpoint HOST:PORT` always probes. A real TLS server on loopback (node:tls, a certificate kspect issued) is
 * probed when the rule says so, and never when it does not.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikeFile } from '../src/sources/pki.js';
import { tempDir } from './support/openssl.js';
import { runCli } from './support/cli.js';

const tmp = tempDir('kspect-pki-endpoint-');
const T = tmp.dir;
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  for (const args of [['pki', 'init', 'pki'], ['pki', 'issue', '--ca', 'pki/ca', '--role', 'server', '--cn', 'localhost', '--san', 'DNS:localhost', '--san', 'IP:127.0.0.1', '--out', 'srv/server']]) {
    const r = await runCli(args, { cwd: T });
    expect(r.code, r.stderr).toBe(0);
  }
  mkdirSync(`${T}/localhost`, { recursive: true });
  server = createServer({ cert: readFileSync(`${T}/srv/server.crt`), key: readFileSync(`${T}/srv/server.key`) }, (s) => s.end());
  server.on('secureConnection', () => connections++);
  server.on('connection', () => connections++);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as { port: number }).port;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => { done(); }));
  tmp.cleanup();
});

describe('looksLikeFile', () => {
  it.each([
    ['ca.crt', '"ca.crt" is a file name, not a host name'],
    ['kubeconfig.yaml', '"kubeconfig.yaml" is a file name, not a host name'],
    ['admin.conf', '"admin.conf" is a file name, not a host name'],
    ['pki', '"pki" is a file or folder here'],
    ['localhost', '"localhost" is a file or folder here'],
    ['127.0.0.1', undefined],
    ['api.example.com', undefined],
  ])('%s', async (host, why) => {
    expect(await looksLikeFile(host, T)).toBe(why);
  });
});

describe('pki check arguments', () => {
  it('a mistyped file name with a port is not probed: one line, exit 2', async () => {
    const before = connections;
    const r = await runCli(['pki', 'check', 'pki/ca.crt', `ca.crt:${port}`, '-f', 'json', '--fail-on', 'none'], { cwd: T, timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`kspect: ca.crt:${port}: no such file or folder; not probed as an endpoint because "ca.crt" is a file name, not a host name (--endpoint ca.crt:${port} probes it)`]);
    expect(r.stdout).toContain('ca.crt');
    expect(connections).toBe(before);
  });

  it('HOST:PORT whose HOST is an existing folder is not probed; --endpoint probes it', async () => {
    const before = connections;
    const r = await runCli(['pki', 'check', `localhost:${port}`], { cwd: T, timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`"localhost" is a file or folder here (--endpoint localhost:${port} probes it)`);
    expect(connections).toBe(before);
    const e = await runCli(['pki', 'check', '--endpoint', `localhost:${port}`, '--ca', 'pki/ca.crt', '-f', 'json', '--fail-on', 'none', '--no-ciphers'], { cwd: T, timeoutMs: 60_000 });
    expect(e.code, e.stderr).toBe(0);
    expect(connections).toBeGreaterThan(before);
    expect(e.stdout).toContain(`localhost:${port}`);
  });

  it('a plain HOST:PORT that is no file is probed', async () => {
    const before = connections;
    const r = await runCli(['pki', 'check', `127.0.0.1:${port}`, '--ca', 'pki/ca.crt', '-f', 'json', '--fail-on', 'none', '--no-ciphers'], { cwd: T, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(connections).toBeGreaterThan(before);
  });

  it('--endpoint that is not HOST:PORT is one line', async () => {
    const r = await runCli(['pki', 'check', '--endpoint', 'pki/ca.crt'], { cwd: T, timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['kspect: pki/ca.crt: --endpoint must be HOST:PORT (a DNS name, an IPv4 address or [IPv6], and a port 1-65535)']);
  });
});
