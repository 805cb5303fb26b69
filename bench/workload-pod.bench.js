// Cost of the pod security-context and host-access checks (pod-* checks of workload-a): the same loaded
// objects are run through those 15 checks and through no check at all, alternating; the difference is
// the checks' own time, compared with parsing the same YAML alone.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { allChecks, checkManifests as audit, loadManifests } from '../dist/index.js';
import { generateManifests } from './generate.js';

const COUNT = Number(process.env.KSPECT_BENCH_OBJECTS ?? 20000);
const REPS = Number(process.env.KSPECT_BENCH_REPS ?? 5);
const IDS = new Set([
  'pod-apparmor-unconfined', 'pod-capabilities-not-dropped', 'pod-dangerous-capabilities', 'pod-host-ipc', 'pod-host-network',
  'pod-host-path', 'pod-host-pid', 'pod-host-port', 'pod-privilege-escalation', 'pod-proc-mount-unmasked', 'pod-run-as-root',
  'pod-seccomp-unconfined', 'pod-selinux-custom', 'pod-unsafe-sysctls', 'pod-writable-root-fs',
]);
const checks = allChecks.filter((c) => IDS.has(c.id));

const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-'));
const file = join(dir, 'cluster.yaml');
writeFileSync(file, generateManifests(COUNT));
const { objects } = await loadManifests([file]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const parseMs = [];
const noneMs = [];
const mineMs = [];
let report;
for (let i = 0; i < REPS; i++) {
  global.gc?.();
  let t = performance.now();
  parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
  parseMs.push(performance.now() - t);
  global.gc?.();
  t = performance.now();
  await audit({ objects, checks: [], settings: { now: new Date(0) } });
  noneMs.push(performance.now() - t);
  global.gc?.();
  t = performance.now();
  report = await audit({ objects, checks, settings: { now: new Date(0) } });
  mineMs.push(performance.now() - t);
}
const checksMs = median(mineMs) - median(noneMs);
process.stdout.write(
  JSON.stringify({
    objects: objects.length,
    checks: checks.length,
    findings: report.findings.length,
    parseMs: Math.round(median(parseMs)),
    checksMs: Math.round(checksMs),
    checksOverParse: Math.round((checksMs / median(parseMs)) * 1000) / 1000,
  }),
);
