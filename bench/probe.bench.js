// Probe benchmark, in one process, each against a comparator doing the bare minimum of the same network work:
//  - sweep: 512 closed and 256 filtered loopback ports (full accept queues, python3) with `checkExposure` against a
//    bare pool of net.connect() with the same concurrency and timeout — the cost of kspect over the sockets;
//  - open: 64 loopback HTTP servers answering like the kubelet's read-only port (/healthz, /pods), probed in
//    full (TLS detection, fingerprint and follow-up GETs) against one bare GET per endpoint;
//  - endless: 32 servers streaming endless bodies, probed at once — peak RSS stays bounded by the body cap.
import { spawn } from 'node:child_process';
import { createServer as createHttpServer, get as httpGet } from 'node:http';
import { connect, createServer } from 'node:net';
import { checkExposure } from '../dist/index.js';

const TIMEOUT_MS = Number(process.env.KSPECT_BENCH_PROBE_TIMEOUT ?? 1000);
const CONCURRENCY = 64;

const time = async (f) => {
  const t = process.hrtime.bigint();
  const r = await f();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
};

async function freePorts(n) {
  const out = new Set();
  while (out.size < n) {
    const s = createServer();
    await new Promise((r) => s.listen(0, '127.0.0.1', r));
    out.add(s.address().port);
    await new Promise((r) => s.close(r));
  }
  return [...out];
}

function filteredPorts(n) {
  const py = spawn('python3', ['-c', `
import json, resource, socket, sys
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
keep = []; ports = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0); ports.append(s.getsockname()[1]); keep.append(s)
    for _ in range(2):
        c = socket.socket(); c.setblocking(False)
        try: c.connect(('127.0.0.1', ports[-1]))
        except BlockingIOError: pass
        keep.append(c)
print(json.dumps(ports), flush=True)
sys.stdin.read()
`, String(n)], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    py.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ ports: JSON.parse(out), stop: () => py.kill('SIGTERM') });
    });
    py.on('error', reject);
  });
}

async function barePool(items, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

function bareConnect(port) {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const t = setTimeout(() => { s.destroy(); resolve('filtered'); }, TIMEOUT_MS);
    s.on('connect', () => { clearTimeout(t); s.destroy(); resolve('open'); });
    s.on('error', () => { clearTimeout(t); resolve('closed'); });
  });
}

function bareGet(port) {
  return new Promise((resolve) => {
    const req = httpGet({ host: '127.0.0.1', port, path: '/pods', agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', resolve);
  });
}

const results = {};

// sweep
const filtered = await filteredPorts(256);
const closed = (await freePorts(600)).filter((p) => !filtered.ports.includes(p)).slice(0, 512);
const sweepPorts = [...closed, ...filtered.ports];
const [bareSweepMs] = await time(() => barePool(sweepPorts, bareConnect));
const [probeSweepMs, sweepReport] = await time(() => checkExposure({ targets: ['127.0.0.1'], ports: sweepPorts, timeoutMs: TIMEOUT_MS, concurrency: CONCURRENCY }));
filtered.stop();
results.sweep = {
  closedPorts: 512,
  filteredPorts: 256,
  timeoutMs: TIMEOUT_MS,
  concurrency: CONCURRENCY,
  bareConnectMs: Math.round(bareSweepMs),
  probeMs: Math.round(probeSweepMs),
  ratio: Number((probeSweepMs / bareSweepMs).toFixed(2)),
  counts: sweepReport.probe.counts,
};

// open HTTP endpoints
const servers = [];
for (let i = 0; i < 64; i++) {
  const s = createHttpServer((req, res) => {
    if (req.url === '/healthz') return res.end('ok');
    if (req.url === '/pods') return res.end('{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[]}');
    res.writeHead(404);
    res.end('404 page not found');
  });
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  servers.push(s);
}
const openPorts = servers.map((s) => s.address().port);
const [bareOpenMs] = await time(() => barePool(openPorts, bareGet));
const [probeOpenMs, openReport] = await time(() => checkExposure({ targets: ['127.0.0.1'], ports: openPorts, timeoutMs: 5000, concurrency: CONCURRENCY }));
const requests = openReport.probe.endpoints.reduce((n, e) => n + e.answers.length, 0);
results.open = {
  endpoints: 64,
  bareOneGetMs: Math.round(bareOpenMs),
  probeMs: Math.round(probeOpenMs),
  ratio: Number((probeOpenMs / bareOpenMs).toFixed(1)),
  requestsPerEndpoint: Number((requests / 64).toFixed(1)),
  msPerEndpoint: Number((probeOpenMs / 64).toFixed(1)),
  identifiedAsReadOnlyKubelet: openReport.probe.endpoints.filter((e) => e.service === 'kubelet read-only port').length,
};
await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));

// endless bodies
const endless = [];
for (let i = 0; i < 32; i++) {
  const s = createHttpServer((req, res) => {
    res.writeHead(200);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => { while (res.write(chunk)) { /* fill */ } res.once('drain', pump); };
    res.on('error', () => undefined);
    pump();
  });
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  endless.push(s);
}
const rssBefore = process.memoryUsage().rss;
const [endlessMs] = await time(() => checkExposure({ targets: ['127.0.0.1'], ports: endless.map((s) => s.address().port), timeoutMs: 2000, concurrency: CONCURRENCY }));
results.endless = { servers: 32, probeMs: Math.round(endlessMs), rssGrowthMiB: Math.round((process.memoryUsage().rss - rssBefore) / 1048576) };
await Promise.all(endless.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));

results.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(JSON.stringify(results));
process.exit(0);
