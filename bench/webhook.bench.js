// webhook: `kspect webhook serve` (the built CLI, in its own process) answering admission.k8s.io/v1 AdmissionReviews
// over loopback HTTPS, once with one process (--workers 1) and once with --workers N (default: the CPUs). First, in
// the bench's own process without HTTP, one decision against the full runChecks report of the same object (ratio).
// Then for each server:
//  - burst: 4,000 reviews with 200 in flight on warm keep-alive connections (as the API server keeps them) — p50/p99
//    latency seen by the client, reviews per second, and the p50/p99 of the server's own time per review (its `ms`
//    log field: from the request to the answer, queueing in the kernel and the event loop excluded). By Little's law
//    a client's latency at 200 in flight cannot be under 200 / (reviews per second): `queueFloorMs` says what it is;
//  - rate: an open-loop 1,000 reviews/s for KSPECT_BENCH_WEBHOOK_SECONDS (default 60) — wrong decisions, dropped
//    requests (errors, 429), p99, and the server's RSS at the start and the end (memory flat);
//  - CPU: the server's processes' CPU time (user + system, /proc) per review — the cost that bounds throughput on a
//    machine whatever else runs on it (reviews per CPU-second = 1000 / cpuMsPerReview);
//  - apiserver: server-side dry-run Pod creates through a real kube-apiserver (testbed cache) without the webhook,
//    then with kspect's enforcing webhook registered — the latency the webhook adds, as a ratio in the same run.
// Every request's expected decision is known (compliant pod allowed, privileged pod denied in an enforce namespace,
// warnings in a warn namespace); any other answer counts as wrong. Prints one JSON object.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.env.KSPECT_BENCH_WEBHOOK_SECONDS ?? 60);
const RATE = Number(process.env.KSPECT_BENCH_WEBHOOK_RATE ?? 1000);
const WORKERS = Number(process.env.KSPECT_BENCH_WEBHOOK_WORKERS ?? availableParallelism());

const ssl = (args, cwd) => execFileSync('openssl', args, { cwd, stdio: 'ignore' });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
function issue(dir, name, subj, ext) {
  ssl(['req', '-new', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], dir);
  writeFileSync(join(dir, `${name}.ext`), ext);
  ssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(Math.floor(Math.random() * 1e9)), '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
}
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
const round = (x) => Math.round(x * 100) / 100;

function send(agent, url, method, path, body) {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent, method, headers: { accept: 'application/json', ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const POD = (name, privileged) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    automountServiceAccountToken: false,
    containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { limits: { cpu: '100m', memory: '64Mi' }, requests: { cpu: '100m', memory: '64Mi' } }, securityContext: { privileged, allowPrivilegeEscalation: privileged, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } }],
  },
});

/** The i-th review and the decision it must get. */
function review(i) {
  const kind = i % 3; // 0: compliant in enf (allow), 1: privileged in enf (deny), 2: privileged in wrn (allow + warnings)
  const ns = kind === 2 ? 'wrn' : 'enf';
  const mode = kind === 2 ? 'warn' : 'enforce';
  const body = {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: `u-${i}`, kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, name: `p-${i}`, namespace: ns, operation: 'CREATE', userInfo: { username: 'bench' }, object: POD(`p-${i}`, kind !== 0), dryRun: false },
  };
  const ok = (r) => {
    if (r.status !== 200) return false;
    const res = JSON.parse(r.body).response;
    if (res.uid !== `u-${i}`) return false;
    if (kind === 0) return res.allowed === true && res.warnings === undefined;
    if (kind === 1) return res.allowed === false && res.status?.code === 403 && res.warnings === undefined;
    return res.allowed === true && Array.isArray(res.warnings) && res.warnings.some((w) => w.includes('pod-privileged'));
  };
  return { path: `/validate/${mode}?timeout=10s`, body, ok };
}

/** The process and its children (the workers of --workers N). */
function processTree(pid) {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return [pid, ...kids.flatMap(processTree)];
  } catch {
    return [pid];
  }
}

function rssOf(pid) {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {
      // gone
    }
  }
  return total === 0 ? undefined : Math.round(total / 1024);
}

/** CPU milliseconds (user + system) used so far by the process and its children. */
function cpuMsOf(pid) {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / CLK_TCK;
}
const CLK_TCK = Number((() => {
  try {
    return execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim();
  } catch {
    return '100';
  }
})());

async function startWebhook(dir, port, extra = []) {
  const child = spawn(process.execPath, [join(ROOT, 'bin/kspect.js'), 'webhook', 'serve', '--tls-cert', join(dir, 'webhook.crt'), '--tls-key', join(dir, 'webhook.key'), '--listen', `127.0.0.1:${port}`, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  let partial = '';
  const serverMs = [];
  child.stderr.on('data', (d) => {
    // Keep only the start of the log: one line per request would grow without bound.
    if (log.length < 4096) log += d.toString('utf8');
    // The server's own time per review, from each admission line (collected while `child.collect` is set).
    const lines = (partial + d.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    if (child.collect) for (const line of lines) {
      const m = /"msg":"admission".*"ms":([0-9.]+)/.exec(line);
      if (m) serverMs.push(Number(m[1]));
    }
  });
  child.serverMs = serverMs;
  const ready = extra.includes('--workers') && extra[extra.indexOf('--workers') + 1] !== '1' ? '"workers serving"' : '"listening"';
  for (let i = 0; i < 800 && !log.includes(ready); i++) await sleep(25);
  if (!log.includes(ready)) throw new Error(`webhook did not start: ${log}`);
  return child;
}

/** p50/p99 of the server's own time per review logged since the last call. */
function serverTimes(child) {
  const ms = child.serverMs.splice(0).sort((a, b) => a - b);
  return { serverP50Ms: round(pct(ms, 50)), serverP99Ms: round(pct(ms, 99)) };
}

async function burst(agent, url, count, inflight, child) {
  const cpu0 = child ? cpuMsOf(child.pid) : 0;
  if (child) {
    child.serverMs.splice(0);
    child.collect = true;
  }
  const lat = [];
  let wrong = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < count) {
        const r = review(next++);
        const t = performance.now();
        const res = await send(agent, url, 'POST', r.path, r.body).catch(() => ({ status: 0, body: '' }));
        lat.push(performance.now() - t);
        if (!r.ok(res)) wrong++;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const server = child ? { ...serverTimes(child), cpuMsPerReview: round((cpuMsOf(child.pid) - cpu0) / count) } : {};
  if (child) child.collect = false;
  return { requests: count, inFlight: inflight, p50Ms: round(pct(lat, 50)), p99Ms: round(pct(lat, 99)), maxMs: round(lat.at(-1) ?? 0), perSecond: Math.round(count / secs), queueFloorMs: round((inflight / (count / secs)) * 1000), wrong, ...server };
}

async function openLoop(agent, url, rate, seconds, child) {
  const pid = child.pid;
  const cpu0 = cpuMsOf(pid);
  child.serverMs.splice(0);
  child.collect = true;
  const lat = [];
  let wrong = 0;
  let dropped = 0;
  let sent = 0;
  const pending = new Set();
  const rssStart = rssOf(pid);
  const rss = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let i = 0;
  while (performance.now() < end) {
    // Send what the schedule says is due, then yield: an open loop does not wait for answers.
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    while (sent < due) {
      const r = review(i++);
      const t = performance.now();
      sent++;
      const p = send(agent, url, 'POST', r.path, r.body)
        .then((res) => {
          lat.push(performance.now() - t);
          if (res.status === 429 || res.status >= 500) dropped++;
          else if (!r.ok(res)) wrong++;
        })
        .catch(() => {
          dropped++;
        })
        .finally(() => pending.delete(p));
      pending.add(p);
    }
    if (sent % rate < 5) rss.push(rssOf(pid));
    await sleep(2);
  }
  await Promise.all(pending);
  lat.sort((a, b) => a - b);
  const secs = (performance.now() - t0) / 1000;
  const cpuMsPerReview = round((cpuMsOf(pid) - cpu0) / Math.max(1, lat.length));
  child.collect = false;
  return { targetPerSecond: rate, seconds, sent, answeredPerSecond: Math.round(lat.length / secs), p50Ms: round(pct(lat, 50)), p99Ms: round(pct(lat, 99)), wrong, dropped, ...serverTimes(child), cpuMsPerReview, rssStartMb: rssStart, rssEndMb: rssOf(pid), rssMaxMb: Math.max(...rss.filter((x) => x !== undefined)) };
}

function binaries() {
  try {
    const dir = execFileSync('bash', [join(ROOT, 'test/testbed/build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    return dir === '' ? undefined : { etcd: join(dir, 'etcd'), apiserver: join(dir, 'kube-apiserver') };
  } catch {
    return undefined;
  }
}

/** Dry-run pod creates through kube-apiserver, `inflight` at a time: latencies of the create. */
async function dryRuns(agent, url, ns, count, inflight, privileged) {
  const lat = [];
  let unexpected = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        const r = await send(agent, url, 'POST', `/api/v1/namespaces/${ns}/pods?dryRun=All`, POD(`d-${i}`, privileged));
        lat.push(performance.now() - t);
        if (r.status !== (privileged ? 403 : 201)) unexpected++;
      }
    }),
  );
  lat.sort((a, b) => a - b);
  return { requests: count, inFlight: inflight, p50Ms: round(pct(lat, 50)), p99Ms: round(pct(lat, 99)), unexpected };
}

async function throughApiserver(dir, webhookPort) {
  const bins = binaries();
  if (!bins) return { skipped: 'no kube-apiserver/etcd (test/testbed/build.sh)' };
  const procs = [];
  try {
    issue(dir, 'server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    issue(dir, 'admin', '/O=system:masters/CN=bench-admin', 'extendedKeyUsage=clientAuth\n');
    ssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'sa.key'], dir);
    ssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
    const [cport, pport, aport] = [await freePort(), await freePort(), await freePort()];
    const peer = `http://127.0.0.1:${pport}`;
    procs.push(spawn(bins.etcd, ['--name=b', `--data-dir=${dir}/etcd`, `--listen-client-urls=http://127.0.0.1:${cport}`, `--advertise-client-urls=http://127.0.0.1:${cport}`, `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=b=${peer}`, '--unsafe-no-fsync=true', '--log-level=error'], { stdio: 'ignore' }));
    procs.push(spawn(bins.apiserver, ['--bind-address=127.0.0.1', `--secure-port=${aport}`, `--cert-dir=${dir}/certs`, `--tls-cert-file=${dir}/server.crt`, `--tls-private-key-file=${dir}/server.key`, `--client-ca-file=${dir}/ca.crt`, `--etcd-servers=http://127.0.0.1:${cport}`, '--authorization-mode=Node,RBAC', `--service-account-issuer=https://kubernetes.default.svc`, `--service-account-key-file=${dir}/sa.pub`, `--service-account-signing-key-file=${dir}/sa.key`, '--service-cluster-ip-range=10.0.0.0/24', '--disable-admission-plugins=ServiceAccount', '--allow-privileged=true'], { stdio: 'ignore' }));
    const url = `https://127.0.0.1:${aport}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: readFileSync(join(dir, 'ca.crt')), cert: readFileSync(join(dir, 'admin.crt')), key: readFileSync(join(dir, 'admin.key')) });
    for (let i = 0; ; i++) {
      if (i > 600) throw new Error('kube-apiserver not ready');
      const r = await send(agent, url, 'GET', '/readyz').catch(() => ({ status: 0 }));
      if (r.status === 200) break;
      await sleep(200);
    }
    for (const [name, labels] of [['enf', { 'kspect.dev/enforce': 'high' }], ['wrn', { 'kspect.dev/warn': 'high' }]]) await send(agent, url, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: b, cluster: {server: "${url}", certificate-authority: "${dir}/ca.crt"}}]\nusers: [{name: a, user: {client-certificate: "${dir}/admin.crt", client-key: "${dir}/admin.key"}}]\ncontexts: [{name: b, context: {cluster: b, user: a}}]\ncurrent-context: b\n`);
    const COUNT = 2000;
    const INFLIGHT = 50;
    // Warm up, then the baseline: no webhook registered.
    await dryRuns(agent, url, 'enf', 200, INFLIGHT, false);
    const baseline = await dryRuns(agent, url, 'enf', COUNT, INFLIGHT, false);
    const webhook = await startWebhook(dir, webhookPort, ['--kubeconfig', kubeconfig, '--workers', '1']);
    procs.push(webhook);
    const { webhookConfigurations } = await import('../dist/sources/webhook/manifests.js');
    const [enforcing] = webhookConfigurations({ caBundle: readFileSync(join(dir, 'ca.crt'), 'utf8'), url: `https://127.0.0.1:${webhookPort}`, namespace: 'kspect', image: 'x', tlsSecret: 'x', timeoutSeconds: 5, serveArgs: [] });
    await send(agent, url, 'POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', enforcing);
    for (let i = 0; i < 200; i++) {
      const r = await send(agent, url, 'POST', '/api/v1/namespaces/enf/pods?dryRun=All', POD('probe', true));
      if (r.status === 403) break;
      await sleep(100);
    }
    await dryRuns(agent, url, 'enf', 200, INFLIGHT, false);
    const withWebhook = await dryRuns(agent, url, 'enf', COUNT, INFLIGHT, false);
    const denied = await dryRuns(agent, url, 'enf', 500, INFLIGHT, true);
    agent.destroy();
    return { baseline, withWebhook, deniedPrivileged: denied, p50Ratio: round(withWebhook.p50Ms / baseline.p50Ms), p99Ratio: round(withWebhook.p99Ms / baseline.p99Ms), addedP50Ms: round(withWebhook.p50Ms - baseline.p50Ms) };
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    await sleep(500);
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  }
}

/**
 * In this process, no HTTP: one review's decision (the runner's judging of one object, no report assembled) against
 * the full runChecks report of the same object and checks — the fast path's gain, as a ratio in one run.
 */
async function decisionCost(count) {
  const { reviewContext } = await import('../dist/sources/webhook/context.js');
  const { decide, parseAdmissionReview, checksForKind } = await import('../dist/sources/webhook/review.js');
  const { runChecks } = await import('../dist/framework/runner.js');
  const { buildInventory } = await import('../dist/model/inventory.js');
  const { toK8sObject } = await import('../dist/model/object.js');
  const ctx = reviewContext({});
  const ns = toK8sObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'enf', labels: { 'kspect.dev/enforce': 'high' } } }, undefined);
  const requests = Array.from({ length: count }, (_, i) => parseAdmissionReview(review(i % 3 === 2 ? i - 1 : i).body).request);
  const time = (fn) => {
    for (let i = 0; i < Math.min(500, count); i++) fn(requests[i]);
    const t = performance.now();
    for (const r of requests) fn(r);
    return (performance.now() - t) / count;
  };
  let denied = 0;
  const fast = time((r) => {
    if (!decide(r, 'enforce', ns, ctx).allowed) denied++;
  });
  const full = time((r) => {
    const obj = toK8sObject(r.object, { source: { type: 'cluster', uri: 'admission' }, locate: () => undefined }, 'enf');
    runChecks({ inventory: buildInventory([obj, ns]), checks: checksForKind(ctx.checks, 'Pod'), settings: { ...ctx.settings, now: new Date() }, config: ctx.config, inputs: ['admission'], toolVersion: 'bench', knownCheckIds: ctx.knownChecks });
  });
  return { reviews: count, decideMs: Math.round(fast * 1000) / 1000, runChecksReportMs: Math.round(full * 1000) / 1000, fullOverFast: round(full / fast), deniedWhileTimed: denied };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-webhook-'));
  const children = [];
  process.on('exit', () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });
  try {
    ssl(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=bench-ca'], dir);
    issue(dir, 'webhook', '/CN=kspect-webhook', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    writeFileSync(join(dir, 'namespaces.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: enf, labels: {kspect.dev/enforce: high}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: wrn, labels: {kspect.dev/warn: high}}\n');
    const inProcess = {};
    for (const workers of [...new Set([1, WORKERS])]) {
      const port = await freePort();
      const child = await startWebhook(dir, port, ['--namespaces', join(dir, 'namespaces.yaml'), '--workers', String(workers)]);
      children.push(child);
      const url = `https://127.0.0.1:${port}`;
      const agent = new Agent({ keepAlive: true, maxSockets: 256, ca: readFileSync(join(dir, 'ca.crt')) });
      await burst(agent, url, 1000, 200); // warm-up: 200 keep-alive connections, as the API server holds them
      const burst200 = await burst(agent, url, 4000, 200, child);
      const rate = await openLoop(agent, url, RATE, SECONDS, child);
      agent.destroy();
      child.kill('SIGTERM');
      const code = await new Promise((r) => child.on('exit', r));
      inProcess[`workers${workers}`] = { burst: burst200, rate, exitCode: code };
    }
    const decision = await decisionCost(5000);
    const apiserver = await throughApiserver(dir, await freePort());
    const one = inProcess.workers1;
    const many = inProcess[`workers${WORKERS}`];
    const ratios = { perSecondWorkersNOver1: round(many.burst.perSecond / one.burst.perSecond), cpuPerReviewWorkersNOver1: round(many.burst.cpuMsPerReview / one.burst.cpuMsPerReview) };
    process.stdout.write(`${JSON.stringify({ cpus: availableParallelism(), loadAverage: loadavg().map(round), decision, inProcess, ratios, apiserver, targets: { p99MsAt200: 10, perSecond: 1000 } })}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exitCode = 1;
});
