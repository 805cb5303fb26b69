// live-scan: `kspect scan --cluster` against a real kube-apiserver holding 20,000 objects, compared with listing the
// same resources with plain HTTP requests (discovery + paginated lists, JSON parsed), as a ratio in one run: against
// the same listing as a process of its own (ratioReadingVsProcess, the target of issue 16: a client program pays
// Node's start and its TLS handshakes as kspect does) and against the listing in the bench's own warm process
// (connections open, code compiled; ratioReading, a lower bound no separate process can reach).
// Starts its own etcd and kube-apiserver on loopback from the testbed cache (test/testbed/build.sh) and stops them
// by pid. Prints one JSON object. Skips (with the reason) when the testbed binaries are not available.
// KSPECT_BENCH_SERVE=1 fills the API server and keeps it up (see below) instead of measuring.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OBJECTS = Number(process.env.KSPECT_BENCH_OBJECTS ?? 20000);
const NAMESPACES = 50;
const REPS = Number(process.env.KSPECT_BENCH_REPS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function binaries() {
  try {
    const dir = execFileSync('bash', [join(ROOT, 'test/testbed/build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    return dir === '' ? undefined : { etcd: join(dir, 'etcd'), apiserver: join(dir, 'kube-apiserver') };
  } catch {
    return undefined;
  }
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const ssl = (args, cwd) => execFileSync('openssl', args, { cwd, stdio: 'ignore' });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function issue(dir, name, subj, ext) {
  ssl(['req', '-new', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], dir);
  writeFileSync(join(dir, `${name}.ext`), ext);
  ssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(Math.floor(Math.random() * 1e9)), '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
}

function get(agent, url, path, accept = 'application/json') {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent, headers: { accept } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function post(agent, url, path, obj) {
  const data = Buffer.from(JSON.stringify(obj));
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function pool(n, count, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < count) await fn(next++);
  }));
}

const SKIPPED = new Set(['Event', 'Lease', 'Endpoints', 'EndpointSlice', 'ControllerRevision', 'ComponentStatus', 'CSIStorageCapacity', 'LeaseCandidate']);

/**
 * What a plain client does for the same data: discovery, then every listable resource page by page. Discovery is
 * aggregated (/api and /apis, as kubectl reads it and as kspect does), so the comparison is with the best a plain
 * client does, not with one request per group version.
 */
async function plainList(agent, url) {
  const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
  const [core, apis] = await Promise.all([get(agent, url, '/api', accept), get(agent, url, '/apis', accept)]);
  const resources = [];
  const byKind = new Set();
  for (const g of [...JSON.parse(core.body).items, ...JSON.parse(apis.body).items]) {
    const group = g.metadata.name ?? '';
    const v = g.versions[0];
    const base = group === '' ? `/api/${v.version}` : `/apis/${group}/${v.version}`;
    for (const r of v.resources ?? []) {
      const kind = r.responseKind?.kind;
      if (!kind || !r.verbs.includes('list') || SKIPPED.has(kind) || byKind.has(kind)) continue;
      byKind.add(kind);
      resources.push(`${base}/${r.resource}`);
    }
  }
  let items = 0;
  await pool(6, resources.length, async (i) => {
    let cont = '';
    for (;;) {
      const res = await get(agent, url, `${resources[i]}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      const j = JSON.parse(res.body);
      items += (j.items ?? j.rows ?? []).length;
      cont = j.metadata?.continue ?? '';
      if (!cont) break;
    }
  });
  return items;
}

/** `--plain-list URL DIR`: the same plain listing as a process of its own (Node's start, TLS handshakes, no warm-up). */
async function plainListProcess(url, dir) {
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: readFileSync(join(dir, 'ca.crt')), cert: readFileSync(join(dir, 'admin.crt')), key: readFileSync(join(dir, 'admin.key')) });
  process.stdout.write(`${await plainList(agent, url)}\n`);
  agent.destroy();
}

async function main() {
  const bins = binaries();
  if (!bins) {
    process.stdout.write(`${JSON.stringify({ skipped: 'no kube-apiserver/etcd (install Go or set KUBEBUILDER_ASSETS)' })}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-'));
  const procs = [];
  const stop = () => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  };
  process.on('exit', stop);
  try {
    ssl(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=bench-ca'], dir);
    issue(dir, 'server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    issue(dir, 'admin', '/O=system:masters/CN=bench-admin', 'extendedKeyUsage=clientAuth\n');
    ssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'sa.key'], dir);
    ssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
    const [cport, pport, aport] = [await freePort(), await freePort(), await freePort()];
    const peer = `http://127.0.0.1:${pport}`;
    procs.push(spawn(bins.etcd, ['--name=b', `--data-dir=${dir}/etcd`, `--listen-client-urls=http://127.0.0.1:${cport}`, `--advertise-client-urls=http://127.0.0.1:${cport}`, `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=b=${peer}`, '--unsafe-no-fsync=true', '--log-level=error', '--quota-backend-bytes=8589934592'], { stdio: 'ignore' }));
    procs.push(spawn(bins.apiserver, ['--bind-address=127.0.0.1', `--secure-port=${aport}`, `--cert-dir=${dir}/certs`, `--tls-cert-file=${dir}/server.crt`, `--tls-private-key-file=${dir}/server.key`, `--client-ca-file=${dir}/ca.crt`, `--etcd-servers=http://127.0.0.1:${cport}`, '--authorization-mode=Node,RBAC', `--service-account-issuer=https://kubernetes.default.svc`, `--service-account-key-file=${dir}/sa.pub`, `--service-account-signing-key-file=${dir}/sa.key`, '--service-cluster-ip-range=10.0.0.0/24', '--disable-admission-plugins=ServiceAccount', '--allow-privileged=true'], { stdio: 'ignore' }));
    const url = `https://127.0.0.1:${aport}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: readFileSync(join(dir, 'ca.crt')), cert: readFileSync(join(dir, 'admin.crt')), key: readFileSync(join(dir, 'admin.key')) });
    for (let i = 0; ; i++) {
      if (i > 600) throw new Error('kube-apiserver not ready');
      const r = await get(agent, url, '/readyz').catch(() => ({ status: 0 }));
      if (r.status === 200) break;
      await new Promise((r2) => setTimeout(r2, 200));
    }
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: b, cluster: {server: "${url}", certificate-authority: "${dir}/ca.crt"}}]\nusers: [{name: a, user: {client-certificate: "${dir}/admin.crt", client-key: "${dir}/admin.key"}}]\ncontexts: [{name: b, context: {cluster: b, user: a}}]\ncurrent-context: b\n`);

    // 20,000 objects: Deployments (with pod templates the workload checks read) across 50 namespaces.
    for (let n = 0; n < NAMESPACES; n++) await post(agent, url, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bench-${n}` } });
    const t0 = performance.now();
    await pool(16, OBJECTS, async (i) => {
      const ns = `bench-${i % NAMESPACES}`;
      const code = await post(agent, url, `/apis/apps/v1/namespaces/${ns}/deployments`, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `app-${i}`, labels: { app: `app-${i}` } },
        spec: { selector: { matchLabels: { app: `app-${i}` } }, template: { metadata: { labels: { app: `app-${i}` } }, spec: { containers: [{ name: 'c', image: i % 3 === 0 ? 'nginx:latest' : 'nginx:1.27', securityContext: i % 5 === 0 ? { privileged: true } : { runAsNonRoot: true } }] } } },
      });
      if (code !== 201) throw new Error(`create deployment ${i}: HTTP ${code}`);
    });
    const createMs = performance.now() - t0;

    // KSPECT_BENCH_SERVE=1: keep the filled API server up for profiling by hand — prints the kubeconfig and the
    // plain listing command, and stops everything on SIGINT/SIGTERM.
    if (process.env.KSPECT_BENCH_SERVE === '1') {
      process.stdout.write(`${JSON.stringify({ kubeconfig, createMs: Math.round(createMs), plainList: [process.execPath, fileURLToPath(import.meta.url), '--plain-list', url, dir] })}\n`);
      await new Promise((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return;
    }

    // Warm both paths once, then measure each, alternating (KSPECT_BENCH_REPS runs each, medians): this machine is
    // shared, and a ratio of two runs taken apart says little.
    await plainList(agent, url);
    // KSPECT_BENCH_PROFILE=DIR: a V8 CPU profile of the first reading run into DIR (node --cpu-prof), to see where reading goes.
    const prof = process.env.KSPECT_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.KSPECT_BENCH_PROFILE] : [];
    const plainRuns = [];
    const processRuns = [];
    const readRuns = [];
    let plainItems = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const p0 = performance.now();
      plainItems = await plainList(agent, url);
      plainRuns.push(performance.now() - p0);
      const q0 = performance.now();
      const plainProc = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--plain-list', url, dir], { encoding: 'utf8' });
      processRuns.push(performance.now() - q0);
      if (plainProc.status !== 0) throw new Error(`plain listing process exited ${plainProc.status}: ${plainProc.stderr.slice(0, 300)}`);
      // Reading cost: the same scan with a single cheap check, so the time is kspect's cluster reading (and start-up).
      const r0 = performance.now();
      const read = spawnSync(process.execPath, [...(rep === 0 ? prof : []), join(ROOT, 'bin/kspect.js'), 'scan', '--cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--checks', 'pod-privileged'], { maxBuffer: 1 << 30 });
      readRuns.push(performance.now() - r0);
      if (read.status !== 0 && read.status !== 1) throw new Error(`kspect scan --cluster --checks exited ${read.status}: ${read.stderr.toString('utf8').slice(0, 300)}`);
    }
    const plainMs = median(plainRuns);
    const plainProcessMs = median(processRuns);
    const readMs = median(readRuns);
    const s0 = performance.now();
    const scan = spawnSync(process.execPath, [join(ROOT, 'bin/kspect.js'), 'scan', '--cluster', '--kubeconfig', kubeconfig, '--format', 'json'], { maxBuffer: 1 << 30 });
    const scanMs = performance.now() - s0;
    if (scan.status !== 0 && scan.status !== 1) throw new Error(`kspect scan --cluster exited ${scan.status}: ${scan.stderr.toString('utf8').slice(0, 300)}`);
    const report = JSON.parse(scan.stdout.toString('utf8'));
    process.stdout.write(
      `${JSON.stringify({
        objects: OBJECTS,
        createMs: Math.round(createMs),
        reps: REPS,
        plainListMs: Math.round(plainMs),
        plainListItems: plainItems,
        scanClusterOneCheckMs: Math.round(readMs),
        ratioReading: Number((readMs / plainMs).toFixed(2)),
        plainListProcessMs: Math.round(plainProcessMs),
        ratioReadingVsProcess: Number((readMs / plainProcessMs).toFixed(2)),
        scanClusterMs: Math.round(scanMs),
        scanObjects: report.summary.objectsScanned,
        scanFindings: report.summary.findings,
        ratioAllChecks: Number((scanMs / plainMs).toFixed(2)),
        target: 1.2,
        targetIs: 'ratioReadingVsProcess',
      })}\n`,
    );
  } finally {
    stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

(process.argv[2] === '--plain-list' ? plainListProcess(process.argv[3], process.argv[4]) : main()).catch((e) => {
  process.stderr.write(`live-scan: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
