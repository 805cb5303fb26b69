/**
 * The TLS side of `kspect probe` through the library: a TLS endpoint's served chain goes through the `pki` checks of
 * the one runner (hostname, chain against `--ca`), and findings name the probed endpoint. The server is Node's own
 * HTTPS server on loopback with openssl-made certificates — it plays no Kubernetes component, so its port is listed
 * as not judged while its certificate is. This test imports the library (not the built CLI), so a change anywhere in
 * the x509 engine or the runner selects it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExposure, makeBaseline, type Report } from '../src/index.js';
import { openssl, tempDir } from './support/openssl.js';

function makeCa(dir: string, name: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '30', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { cwd: dir });
}

describe('probe: TLS endpoints through the pki checks', () => {
  const tmp = tempDir('kspect-probe-tls-');
  const seen: string[] = [];
  let server: Server;
  let target: string;
  let ca: Uint8Array;
  let otherCa: Uint8Array;
  const now = new Date();

  beforeAll(async () => {
    const { dir } = tmp;
    makeCa(dir, 'probe-ca');
    makeCa(dir, 'other-ca');
    writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=DNS:node-a\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=node-a'], { cwd: dir });
    openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'probe-ca.crt', '-CAkey', 'probe-ca.key', '-CAcreateserial', '-out', 'leaf.crt', '-days', '20', '-extfile', 'leaf.ext'], { cwd: dir });
    ca = new Uint8Array(readFileSync(join(dir, 'probe-ca.crt')));
    otherCa = new Uint8Array(readFileSync(join(dir, 'other-ca.crt')));
    server = createServer({ key: readFileSync(join(dir, 'leaf.key')), cert: readFileSync(join(dir, 'leaf.crt')) }, (req, res) => {
      seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    target = `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => { server.close(() => { r(); }); });
    tmp.cleanup();
  });

  const probe = (extra: { ca?: Uint8Array; only?: string[] } = {}): Promise<Report> =>
    checkExposure({ targets: [target], ciphers: false, timeoutMs: 5000, settings: { now }, ...extra });

  it('the certificate names another host: tls-hostname-mismatch on the probed endpoint', async () => {
    const report = await probe();
    const [f] = report.findings.filter((x) => x.checkId === 'tls-hostname-mismatch');
    expect(f?.message).toMatch(/serves "CN=node-a" whose SANs \(DNS:node-a\) do not match 127\.0\.0\.1/);
    expect(f?.resource).toMatchObject({ kind: 'ProbedEndpoint', name: target });
    expect(f?.source?.uri).toBe(target);
    // Without --ca the chain is not verified, and the report says so instead of passing it.
    expect(report.findings.map((x) => x.checkId)).not.toContain('cert-chain-unverified');
    expect(report.notEvaluated.map((n) => n.message)).toContain('no --ca bundle: the chains served by 1 TLS endpoint were not verified');
    // The port answered but is no component: listed as not judged.
    expect(report.notEvaluated.some((n) => n.message.startsWith(`${target} (unidentified service) was not judged`))).toBe(true);
  });

  it('verifies the served chain against --ca', async () => {
    const good = await probe({ ca, only: ['cert-chain-unverified'] });
    expect(good.findings).toEqual([]);
    expect(good.summary.checksRun).toBe(1);
    const bad = await probe({ ca: otherCa, only: ['cert-chain-unverified'] });
    expect(bad.findings.map((x) => [x.checkId, x.resource?.name])).toEqual([['cert-chain-unverified', target]]);
  });

  it('a baseline of the finding suppresses it on the next probe', async () => {
    const first = await probe({ only: ['tls-hostname-mismatch'] });
    expect(first.findings).toHaveLength(1);
    const again = await checkExposure({ targets: [target], ciphers: false, timeoutMs: 5000, settings: { now }, only: ['tls-hostname-mismatch'], baseline: makeBaseline(first.findings) });
    expect(again.findings).toEqual([]);
    expect(again.suppressed.map((s) => s.finding.fingerprint)).toEqual([first.findings[0]?.fingerprint]);
  });

  it('sent only GETs', () => {
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s).toMatch(/^GET \//);
  });
});
