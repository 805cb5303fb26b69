// PKI benchmark: a bundle of N distinct certificates (default 20,000, signed by one CA; KSPECT_BENCH_CERTS) read by
// `checkPki` with every PKI check (parse, chain building, checks, summary) against a bare node:crypto
// X509Certificate parse of the same PEM blocks, in one process: CPU per certificate (target: at most 1 ms at
// 20,000) and the ratio to the bare parse, at N and at N/10 (the first tenth of the same bundle: linear when the two
// per-certificate figures agree). Also the 10,000-certificate bundle of the bad-input test (one certificate repeated).
// Issuing 20,000 certificates takes minutes: the bundle is kept in .cache/pki-bench/ and reused.
import { webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPki } from '../dist/index.js';
import { generateKeyPair, issueCertificate } from '../dist/engines/x509/issue.js';

const COUNT = Number(process.env.KSPECT_BENCH_CERTS ?? 20_000);
const env = { crypto: webcrypto, now: new Date('2026-06-01T00:00:00Z') };
const dir = fileURLToPath(new URL('../.cache/pki-bench/', import.meta.url));
mkdirSync(dir, { recursive: true });

const bundle = join(dir, `bundle-${COUNT}.pem`);
if (!existsSync(bundle)) {
  const caKeys = await generateKeyPair('ecdsa-p256', env);
  const ca = await issueCertificate({ subject: { cn: 'bench-ca' }, role: 'ca' }, caKeys.publicKey, { selfKey: caKeys.privateKey }, env);
  const leafKeys = await generateKeyPair('ecdsa-p256', env);
  const pems = [ca.certPem];
  for (let i = 1; i < COUNT; i++) {
    const c = await issueCertificate({ subject: { cn: `svc-${i}` }, role: 'server', sans: [{ type: 'dns', value: `svc-${i}.example.com` }] }, leafKeys.publicKey, { cert: ca.cert, key: caKeys.privateKey }, env);
    pems.push(c.certPem);
  }
  writeFileSync(`${bundle}.tmp`, pems.join(''));
  renameSync(`${bundle}.tmp`, bundle);
}
const pems = readFileSync(bundle, 'latin1').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? [];
const TENTH = Math.max(1, Math.floor(COUNT / 10));
const small = join(dir, `bundle-${COUNT}-first-${TENTH}.pem`);
writeFileSync(small, pems.slice(0, TENTH).join(''));
const repeated = join(dir, 'repeated.pem');
writeFileSync(repeated, (pems[0] ?? '') + (pems[1] ?? '').repeat(9_999));

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

/** Best of two runs of each, alternating: wall and CPU of the bare parse and of checkPki. */
async function measure(file) {
  let bareMs = Infinity;
  let pkiMs = Infinity;
  let bareCpuMs = Infinity;
  let pkiCpuMs = Infinity;
  let report;
  for (let r = 0; r < 2; r++) {
    bareMs = Math.min(bareMs, await time(() => bare(file)));
    bareCpuMs = Math.min(bareCpuMs, lastCpuMs);
    pkiMs = Math.min(pkiMs, await time(async () => (report = await checkPki({ inputs: [file], now: env.now }))));
    pkiCpuMs = Math.min(pkiCpuMs, lastCpuMs);
  }
  return { bareMs, pkiMs, bareCpuMs, pkiCpuMs, report };
}
const tenth = await measure(small);
const { bareMs, pkiMs, bareCpuMs, pkiCpuMs, report } = await measure(bundle);
const bigMs = await time(() => checkPki({ inputs: [repeated], now: env.now, only: ['cert-expired', 'cert-chain-unverified'] }));
process.stdout.write(
  JSON.stringify({
    certificates: pems.length,
    bareNodeParseMs: Math.round(bareMs),
    checkPkiMs: Math.round(pkiMs),
    ratio: Number((pkiMs / bareMs).toFixed(1)),
    msPerCertificate: Number((pkiMs / COUNT).toFixed(2)),
    bareNodeParseCpuMs: Math.round(bareCpuMs),
    checkPkiCpuMs: Math.round(pkiCpuMs),
    cpuRatio: Number((pkiCpuMs / bareCpuMs).toFixed(1)),
    cpuMsPerCertificate: Number((pkiCpuMs / COUNT).toFixed(2)),
    targetMsPerCertificate: 1,
    tenth: { certificates: TENTH, cpuMsPerCertificate: Number((tenth.pkiCpuMs / TENTH).toFixed(2)), cpuRatio: Number((tenth.pkiCpuMs / tenth.bareCpuMs).toFixed(1)) },
    linearity: Number((pkiCpuMs / pems.length / (tenth.pkiCpuMs / TENTH)).toFixed(2)),
    findings: report.findings.length,
    tenThousandRepeatedMs: Math.round(bigMs),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
