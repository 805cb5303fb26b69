// Cost of the service-account / secret / image / resource / namespace / exposure checks ("workload-b"):
// the manifests are loaded once, then the runner is timed with no check, with these checks, and with every
// check, alternating runs; the JSON gives the medians and these checks' share of the load + scan time.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allChecks, buildInventory, loadManifests, parseConfig, resolveChecks, runChecks } from '../dist/index.js';
import { generateManifests } from './generate.js';

const COUNT = Number(process.env.KSPECT_BENCH_OBJECTS ?? 20000);
const REPS = Number(process.env.KSPECT_BENCH_REPS ?? 3);
const IDS = [
  'api-removed', 'configmap-credential-keys', 'image-latest-tag', 'image-no-digest', 'image-pull-policy', 'image-registry-not-allowed',
  'ingress-no-tls', 'namespace-no-limit-range', 'namespace-no-resource-quota', 'namespace-pss-unlabeled', 'pod-default-service-account',
  'pod-env-literal-secret', 'pod-env-secret-ref', 'pod-resources-missing', 'pod-sa-token-automount', 'secret-sa-token-long-lived',
  'service-exposed', 'workload-default-namespace',
];

const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-wb-'));
const file = join(dir, 'cluster.yaml');
writeFileSync(file, generateManifests(COUNT));
const config = { ...parseConfig(null, new Set()).config, parameters: { 'image-registry-not-allowed': { allowedRegistries: ['registry.example.com', 'docker.io/library'] } } };
let t = performance.now();
const loaded = await loadManifests([file]);
const loadMs = performance.now() - t;
const inventory = buildInventory(loaded.objects, loaded.skipped);
const settings = { pss: { level: 'restricted', version: 'latest' }, now: new Date(0) };
const sets = {
  none: [],
  workloadB: resolveChecks(allChecks, config, IDS).active,
  all: resolveChecks(allChecks, config, allChecks.map((c) => c.id)).active,
};
const times = { none: [], workloadB: [], all: [] };
let findings = 0;
for (let i = 0; i < REPS; i++) {
  for (const [name, checks] of Object.entries(sets)) {
    global.gc?.();
    t = performance.now();
    const report = runChecks({ inventory, checks, settings, config, inputs: [file], toolVersion: 'bench' });
    times[name].push(performance.now() - t);
    if (name === 'workloadB') findings = report.findings.length;
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v))]));
process.stdout.write(
  JSON.stringify({
    objects: inventory.objects.length,
    checks: sets.workloadB.length,
    findings,
    loadMs: Math.round(loadMs),
    runnerNoChecksMs: m.none,
    workloadBChecksMs: m.workloadB,
    allChecksMs: m.all,
    workloadBShareOfLoadPlusScan: Number(((m.workloadB - m.none) / (loadMs + m.all)).toFixed(3)),
    reps: REPS,
  }),
);
