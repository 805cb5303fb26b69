// NetworkPolicy reachability at cluster scale: 10,000 pods, 1,000 policies, 200 namespaces.
// Times the full reachability summary (engine build + summary over every ordered pod pair), its peak RSS,
// and the plain pairwise reference evaluator on a random sample of pairs, extrapolated to all pairs.
// Also `kspect netpol matrix` on the same objects from the CLI (the summary view, under 10 s and 1 GiB).
// Prints one JSON object. Run through `npm run bench -- netpol` (builds first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInventory } from '../dist/model/inventory.js';
import { toK8sObject } from '../dist/model/object.js';
import { buildNetpolEngine } from '../dist/engines/netpol/engine.js';
import { referenceModel, referenceVerdict } from '../dist/engines/netpol/reference.js';
import { hasPort } from '../dist/engines/netpol/ports.js';

const NAMESPACES = 200;
const PODS = 10_000;
const POLICIES = 1_000;
const SAMPLE_PAIRS = 3_000;

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const r = rng(20261122);
const pick = (xs) => xs[Math.floor(r() * xs.length)];

const TEAMS = Array.from({ length: 20 }, (_, i) => `team-${i}`);
const ENVS = ['prod', 'staging', 'dev'];
const TIERS = ['web', 'api', 'db', 'worker', 'cache'];
const TIER_PORTS = { web: [['http', 8080]], api: [['grpc', 9000], ['metrics', 9090]], db: [['postgres', 5432]], worker: [['metrics', 9090]], cache: [['redis', 6379]] };

function generate() {
  const raws = [];
  const nsNames = Array.from({ length: NAMESPACES }, (_, i) => `ns-${String(i).padStart(3, '0')}`);
  nsNames.forEach((name, i) => raws.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team: TEAMS[i % TEAMS.length], env: ENVS[i % 3], ...(i % 10 === 0 ? { monitoring: 'true' } : {}) } } }));
  raws.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  const perNs = PODS / NAMESPACES;
  let ip = 0;
  for (const ns of nsNames) {
    for (let k = 0; k < perNs; k++) {
      const tier = TIERS[k % TIERS.length];
      const app = `${tier}-${Math.floor(k / TIERS.length)}`;
      ip++;
      raws.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${app}-${k}`, namespace: ns, labels: { app, tier, version: pick(['v1', 'v2', 'v3']), ...(r() < 0.1 ? { prometheus: 'scrape' } : {}) } },
        spec: { containers: [{ name: 'main', image: `registry.example/${tier}:1`, ports: TIER_PORTS[tier].map(([n, p]) => ({ name: n, containerPort: p + (r() < 0.05 ? 1 : 0) })) }] },
        status: { podIP: `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}` },
      });
    }
  }
  let policies = 0;
  const np = (ns, name, spec) => {
    policies++;
    raws.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
  };
  nsNames.forEach((ns, i) => {
    const team = TEAMS[i % TEAMS.length];
    if (r() < 0.85) np(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    else np(ns, 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
    np(ns, 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
    });
    np(ns, 'web-ingress', {
      podSelector: { matchLabels: { tier: 'web' } },
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { team: TEAMS[0] } }, podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 'http' }] },
        { from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.0.0/16'] } }], ports: [{ port: 8080 }, { port: 8443, endPort: 8450 }] },
      ],
    });
    np(ns, 'api-ingress', {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'worker'] }] },
      ingress: [
        { from: [{ podSelector: { matchLabels: { tier: 'web' } } }], ports: [{ port: 'grpc' }, { port: 9000 }] },
        { from: [{ namespaceSelector: { matchLabels: { monitoring: 'true' } }, podSelector: { matchLabels: { prometheus: 'scrape' } } }], ports: [{ port: 'metrics' }] },
        ...(r() < 0.3 ? [{ from: [{ namespaceSelector: { matchLabels: { team } } }], ports: [{ port: 9000, endPort: 9100 }] }] : []),
      ],
    });
    np(ns, 'data-egress', {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'worker'] }] },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ namespaceSelector: { matchLabels: { team } }, podSelector: { matchLabels: { tier: 'db' } } }], ports: [{ port: 5432 }] },
        { to: [{ podSelector: { matchLabels: { tier: 'cache' } } }], ports: [{ port: 'redis' }] },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '10.0.0.0/8'] } }], ports: [{ port: 443 }] },
        ...(r() < 0.2 ? [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }] }] : []),
      ],
    });
  });
  if (policies !== POLICIES) throw new Error(`generated ${policies} policies, wanted ${POLICIES}`);
  return raws;
}

const mib = (bytes) => Math.round((bytes / 1048576) * 10) / 10;
const ms = (t) => Math.round(t * 10) / 10;

const t0 = performance.now();
const raws = generate();
const objects = raws.map((raw) => toK8sObject(raw, undefined));
const inventory = buildInventory(objects);
const tGen = performance.now() - t0;
globalThis.gc?.();

const t1 = performance.now();
const engine = buildNetpolEngine(inventory);
const tBuild = performance.now() - t1;
const summary = engine.summary();
const tSummary = performance.now() - t1;
const rssSummary = process.resourceUsage().maxRSS * 1024;

// The same summary from the CLI, end to end: `kspect netpol matrix FILE -f json` on the objects as one JSON List
// (above 1,000 rows the matrix is summarised by namespace and equivalence class), wall time and peak RSS.
const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-netpol-'));
const listFile = join(dir, 'cluster.json');
writeFileSync(listFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: raws }));
const BIN = fileURLToPath(new URL('../bin/kspect.js', import.meta.url));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const tc = performance.now();
const cliRun = TIME
  ? spawnSync(TIME, ['-f', '@rss %M', process.execPath, BIN, 'netpol', 'matrix', listFile, '-f', 'json', '-o', join(dir, 'summary.json')], { encoding: 'utf8' })
  : spawnSync(process.execPath, [BIN, 'netpol', 'matrix', listFile, '-f', 'json', '-o', join(dir, 'summary.json')], { encoding: 'utf8' });
const tCli = performance.now() - tc;
const cliRss = /@rss (\d+)/.exec(cliRun.stderr ?? '');
const cliSummary = cliRun.status === 0 ? JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) : undefined;
rmSync(dir, { recursive: true, force: true });
const cli = {
  command: 'kspect netpol matrix cluster.json -f json',
  exit: cliRun.status,
  ms: Math.round(tCli),
  under10s: tCli < 10_000,
  ...(cliRss ? { peakRssMiB: Math.round(Number(cliRss[1]) / 1024), under1GiB: Number(cliRss[1]) * 1024 < 1024 ** 3 } : {}),
  summarised: cliSummary?.kind === 'summary',
  classesListed: cliSummary?.classes?.length,
};

// The pairwise reference: the same questions, one pod pair (and one port) at a time.
const ref = referenceModel(inventory);
const eps = engine.endpoints;
const refById = new Map(ref.endpoints.map((e) => [e.id, e]));
// Every port boundary the policies name: a pairwise evaluator needs one verdict per probe for the same answer.
const probes = [['TCP', 8080], ['TCP', 9000], ['TCP', 9090], ['TCP', 5432], ['TCP', 6379], ['TCP', 443], ['TCP', 8443], ['TCP', 9100], ['UDP', 53], ['TCP', 53], ['TCP', 1], ['SCTP', 80]];
const pairs = [];
for (let i = 0; i < SAMPLE_PAIRS; i++) pairs.push([eps[Math.floor(r() * eps.length)], eps[Math.floor(r() * eps.length)]]);
let disagreements = 0;
const t2 = performance.now();
for (const [a, b] of pairs) referenceVerdict(ref, refById.get(a.id), refById.get(b.id), 'TCP', 8080);
const tRefOne = performance.now() - t2;
const t3 = performance.now();
for (const [a, b] of pairs) {
  const ra = refById.get(a.id);
  const rb = refById.get(b.id);
  const reach = engine.reach(a, b);
  for (const [proto, port] of probes) {
    const want = referenceVerdict(ref, ra, rb, proto, port);
    const got = hasPort(reach.allowed, proto, port) ? 'allowed' : hasPort(reach.possible, proto, port) ? 'unknown' : 'denied';
    if (got !== want) disagreements++;
  }
}
const tRefAll = performance.now() - t3;
const totalPairs = eps.length * (eps.length - 1);
const refOnePortTotal = (tRefOne / SAMPLE_PAIRS) * totalPairs;
const refAllPortsTotal = (tRefAll / SAMPLE_PAIRS) * totalPairs;

process.stdout.write(
  `${JSON.stringify({
    pods: eps.length,
    namespaces: engine.namespaces.size,
    policies: engine.policies.length,
    classes: summary.classes,
    externalBlocks: summary.externalBlocks,
    generateMs: ms(tGen),
    engineBuildMs: ms(tBuild),
    summaryMs: ms(tSummary),
    summaryUnder10s: tSummary < 10_000,
    peakRssMiB: mib(rssSummary),
    peakRssUnder1GiB: rssSummary < 1024 ** 3,
    pairs: summary.pairs,
    isolated: summary.isolated,
    reference: {
      method: `pairwise evaluator timed on ${SAMPLE_PAIRS} random pairs and extrapolated to all ${totalPairs} ordered pairs (a full run would take hours)`,
      sampledPairs: SAMPLE_PAIRS,
      perPairOnePortUs: ms((tRefOne / SAMPLE_PAIRS) * 1000),
      perPairAllProbesUs: ms((tRefAll / SAMPLE_PAIRS) * 1000),
      probesPerPair: probes.length,
      extrapolatedOnePortMs: Math.round(refOnePortTotal),
      extrapolatedAllProbesMs: Math.round(refAllPortsTotal),
      disagreementsOnSample: disagreements,
    },
    speedupVsPairwiseOnePort: Math.round(refOnePortTotal / tSummary),
    speedupVsPairwiseAllProbes: Math.round(refAllPortsTotal / tSummary),
    speedupTarget: 50,
    cli,
    finalPeakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
  })}\n`,
);
