// PKI benchmark: a bundle of N distinct certificates (signed by one CA) read by `checkPki` with every PKI
// check (parse, chain building, checks, summary) against a bare node:crypto X509Certificate parse of the same
// PEM blocks, in one process. Also the 10,000-certificate bundle of the bad-input test (one certificate repeated).
import { webcrypto, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPki } from '../dist/index.js';
import { generateKeyPair, issueCertificate } from '../dist/engines/x509/issue.js';

const COUNT = Number(process.env.KSPECT_BENCH_CERTS ?? 2000);
const env = { crypto: webcrypto, now: new Date('2026-06-01T00:00:00Z') };
const dir = mkdtempSync(join(tmpdir(), 'kspect-pki-bench-'));

const caKeys = await generateKeyPair('ecdsa-p256', env);
const ca = await issueCertificate({ subject: { cn: 'bench-ca' }, role: 'ca' }, caKeys.publicKey, { selfKey: caKeys.privateKey }, env);
const leafKeys = await generateKeyPair('ecdsa-p256', env);
const pems = [ca.certPem];
for (let i = 1; i < COUNT; i++) {
  const c = await issueCertificate({ subject: { cn: `svc-${i}` }, role: 'server', sans: [{ type: 'dns', value: `svc-${i}.example.com` }] }, leafKeys.publicKey, { cert: ca.cert, key: caKeys.privateKey }, env);
  pems.push(c.certPem);
}
const bundle = join(dir, 'bundle.pem');
writeFileSync(bundle, pems.join(''));
const repeated = join(dir, 'repeated.pem');
writeFileSync(repeated, ca.certPem + (pems[1] ?? '').repeat(9_999));

function bare(file) {
  const text = readFileSync(file, 'latin1');
  let n = 0;
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)) {
    new X509Certificate(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
    n++;
  }
  return n;
}
// Wall and CPU milliseconds (CPU: user + system of this process, what a loaded machine inflates least).
let lastCpuMs = 0;
const time = async (f) => {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  await f();
  const u = process.cpuUsage(c);
  lastCpuMs = (u.user + u.system) / 1000;
  return Number(process.hrtime.bigint() - t) / 1e6;
};

let bareMs = Infinity;
let pkiMs = Infinity;
let bareCpuMs = Infinity;
let pkiCpuMs = Infinity;
let report;
for (let r = 0; r < 2; r++) {
  bareMs = Math.min(bareMs, await time(() => bare(bundle)));
  bareCpuMs = Math.min(bareCpuMs, lastCpuMs);
  pkiMs = Math.min(pkiMs, await time(async () => (report = await checkPki({ inputs: [bundle], now: env.now }))));
  pkiCpuMs = Math.min(pkiCpuMs, lastCpuMs);
}
const bigMs = await time(() => checkPki({ inputs: [repeated], now: env.now, only: ['cert-expired', 'cert-chain-unverified'] }));
process.stdout.write(
  JSON.stringify({
    certificates: COUNT,
    bareNodeParseMs: Math.round(bareMs),
    checkPkiMs: Math.round(pkiMs),
    ratio: Number((pkiMs / bareMs).toFixed(1)),
    msPerCertificate: Number((pkiMs / COUNT).toFixed(2)),
    bareNodeParseCpuMs: Math.round(bareCpuMs),
    checkPkiCpuMs: Math.round(pkiCpuMs),
    cpuRatio: Number((pkiCpuMs / bareCpuMs).toFixed(1)),
    cpuMsPerCertificate: Number((pkiCpuMs / COUNT).toFixed(2)),
    targetMsPerCertificate: 1,
    findings: report.findings.length,
    tenThousandRepeatedMs: Math.round(bigMs),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
