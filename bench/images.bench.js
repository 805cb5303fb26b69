// Image signature verification benchmark: N distinct images (default 1,000) in a loopback registry (testregistry:
// go-containerregistry's registry over TLS with the OCI referrers API), each signed the way cosign v3 signs — a
// Sigstore bundle (DSSE, in-toto statement over the image digest, predicate https://sigstore.dev/cosign/sign/v1)
// attached as an OCI 1.1 referrer; signatures are made here with node:crypto because cosign takes ~1 s per image.
// Measures `verifyImages` end to end (resolve tags, referrers, bundles, configs, verification, checks, report) with
// bounded concurrency, and counts the registry's GET requests per path to show each is fetched once. Comparator:
// `cosign verify --key` of a sample of the same images, one process per image as CI scripts run it.
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyImages } from '../dist/api/images.js';
import { EMPTY_CONFIG } from '../dist/core/config.js';
import { DEFAULT_IMAGE_POLICY } from '../dist/core/image-policy.js';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The testbed's image tools (cosign, testregistry), built once per machine by test/testbed/build.sh images. */
function imageTools() {
  let d;
  try {
    d = execFileSync('bash', [fileURLToPath(new URL('../test/testbed/build.sh', import.meta.url)), 'images'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch {
    return undefined;
  }
  return d !== '' && existsSync(join(d, 'cosign')) && existsSync(join(d, 'testregistry')) ? { cosign: join(d, 'cosign'), registry: join(d, 'testregistry') } : undefined;
}
function makeTls(d) {
  execFileSync('mkdir', ['-p', d]);
  const o = (args) => execFileSync('openssl', args, { cwd: d, stdio: 'ignore' });
  o(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=bench-ca']);
  o(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=registry']);
  writeFileSync(join(d, 'ext'), 'subjectAltName=IP:127.0.0.2\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  o(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.crt', '-days', '2', '-extfile', 'ext']);
  return { ca: join(d, 'ca.crt'), cert: join(d, 'srv.crt'), key: join(d, 'srv.key') };
}
async function startRegistry(t, tlsFiles) {
  const child = spawn(t.registry, ['--addr', '127.0.0.2:0', '--tls-cert', tlsFiles.cert, '--tls-key', tlsFiles.key], { stdio: ['ignore', 'pipe', 'inherit'] });
  const host = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const m = /serving on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error('testregistry exited')));
  });
  return {
    host,
    stats: (reset = false) => call(reset ? 'DELETE' : 'GET', '/_stats').then((r) => JSON.parse(r.body.toString())),
    stop: () => new Promise((resolve) => { child.once('exit', resolve); process.kill(child.pid, 'SIGTERM'); }),
  };
}

const COUNT = Number(process.env.KSPECT_BENCH_IMAGES ?? 1000);
const SAMPLE = Number(process.env.KSPECT_BENCH_COSIGN_SAMPLE ?? 10);
const CONCURRENCY = Number(process.env.KSPECT_BENCH_CONCURRENCY ?? 16);
const tools = imageTools();
if (!tools) {
  process.stdout.write(JSON.stringify({ skipped: 'no Go to build cosign and the test registry (test/testbed/build.sh images)' }));
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'kspect-images-bench-'));
const tls = makeTls(join(dir, 'tls'));
const ca = readFileSync(tls.ca);
const agent = new (await import('node:https')).Agent({ keepAlive: true, maxSockets: 16, ca });
let R = '';
const reg = await startRegistry(tools, tls);
R = reg.host;
const sha = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function call(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(`https://${R}${path}`, { method, agent, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
async function blob(repo, b) {
  const r = await call('POST', `/v2/${repo}/blobs/uploads/?digest=${sha(b)}`, b, { 'content-type': 'application/octet-stream' });
  if (r.status !== 201) throw new Error(`blob upload ${r.status}`);
}
async function manifest(repo, ref, m) {
  const b = Buffer.from(JSON.stringify(m));
  const r = await call('PUT', `/v2/${repo}/manifests/${ref}`, b, { 'content-type': m.mediaType });
  if (r.status !== 201) throw new Error(`manifest put ${r.status} ${r.body}`);
  return { digest: sha(b), size: b.length, mediaType: m.mediaType };
}

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
writeFileSync(join(dir, 'cosign.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
const empty = Buffer.from('{}');
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const pae = (type, body) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);

async function pushSigned(i) {
  const repo = `bench/app${i % 50}`;
  const layer = Buffer.from(`layer ${i}`);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: '2026-05-01T00:00:00Z', config: { User: '65532' }, rootfs: { type: 'layers', diff_ids: [sha(layer)] } }));
  await blob(repo, layer);
  await blob(repo, config);
  const img = await manifest(repo, `v${i}`, { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layer.length }] });
  const statement = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ digest: { sha256: img.digest.slice(7) } }], predicateType: 'https://sigstore.dev/cosign/sign/v1', predicate: {} }));
  const sig = sign('sha256', pae('application/vnd.in-toto+json', statement), privateKey);
  const bundle = Buffer.from(JSON.stringify({ mediaType: BUNDLE, verificationMaterial: { publicKey: { hint: 'bench' } }, dsseEnvelope: { payload: statement.toString('base64'), payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: sig.toString('base64') }] } }));
  await blob(repo, empty);
  await blob(repo, bundle);
  const ref = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: BUNDLE, config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha(empty), size: 2 }, layers: [{ mediaType: BUNDLE, digest: sha(bundle), size: bundle.length }], subject: img, annotations: { 'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1' } };
  await manifest(repo, sha(Buffer.from(JSON.stringify(ref))), ref);
  return `${R}/${repo}:v${i}`;
}

const images = [];
const t0 = Date.now();
for (let i = 0; i < COUNT; i += 16) images.push(...(await Promise.all(Array.from({ length: Math.min(16, COUNT - i) }, (_, k) => pushSigned(i + k)))));
const pushMs = Date.now() - t0;

const policy = { ...DEFAULT_IMAGE_POLICY, registries: { ...DEFAULT_IMAGE_POLICY.registries, concurrency: CONCURRENCY } };
const rule = { name: 'bench', images: ['**'], keys: [join(dir, 'cosign.pub')], keyless: [], mode: 'enforce' };
await reg.stats(true);
const t1 = process.hrtime.bigint();
const report = await verifyImages({ images, config: { ...EMPTY_CONFIG, images: policy }, extraRules: [rule], ca, only: ['image-signature', 'image-signed'] });
const kspectMs = Number(process.hrtime.bigint() - t1) / 1e6;
const stats = await reg.stats();
const counts = Object.values(stats);
const byKind = (re) => Object.entries(stats).filter(([k]) => re.test(k)).reduce((a, [, n]) => a + n, 0);

// Comparator: cosign verify, one process per image, on a sample.
const sample = images.slice(0, SAMPLE);
const t2 = process.hrtime.bigint();
for (const img of sample) {
  execFileSync(tools.cosign, ['verify', '--key', join(dir, 'cosign.pub'), '--insecure-ignore-tlog=true', '--new-bundle-format', img], { env: { PATH: process.env.PATH, HOME: dir, SSL_CERT_FILE: tls.ca }, stdio: 'ignore' });
}
const cosignMs = Number(process.hrtime.bigint() - t2) / 1e6;
await reg.stop();
agent.destroy();

const kspectRate = COUNT / (kspectMs / 1000);
const cosignRate = SAMPLE / (cosignMs / 1000);
process.stdout.write(
  JSON.stringify({
    images: COUNT,
    concurrency: CONCURRENCY,
    pushMs,
    verifyMs: Math.round(kspectMs),
    imagesPerSecond: Number(kspectRate.toFixed(1)),
    verified: report.findings.filter((f) => f.checkId === 'image-signed').length,
    failures: report.findings.filter((f) => f.checkId === 'image-signature').length,
    notEvaluated: report.notEvaluated.length,
    registryGets: counts.reduce((a, b) => a + b, 0),
    tagResolutions: byKind(/manifests\/v\d+$/),
    referrerLookups: byKind(/referrers\//),
    bundleAndConfigBlobs: byKind(/blobs\//),
    legacySigTagLookups: byKind(/\.sig$/),
    maxFetchesOfOnePath: Math.max(...counts),
    cosignVerifySample: SAMPLE,
    cosignVerifyImagesPerSecond: Number(cosignRate.toFixed(2)),
    ratioKspectToCosign: Number((kspectRate / cosignRate).toFixed(1)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
