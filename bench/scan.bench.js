// Scan benchmark: parsing the YAML alone (the yaml library, as kspect's loader uses it) against the full
// `kspect scan` pipeline (load with positions + every check + report), in one process, alternating runs.
// Peak RSS of the scan is measured in a separate process that only scans.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkManifests as audit } from '../dist/index.js';
import { writeJson } from '../dist/reporters/json.js';

/** The JSON report as the CLI writes it (in chunks), into a sink that only counts. */
const renderJson = (report) => {
  let n = 0;
  writeJson(report, {}, (c) => (n += c.length));
  return n;
};
import { generateManifests } from './generate.js';

const COUNT = Number(process.env.KSPECT_BENCH_OBJECTS ?? 20000);
const REPS = Number(process.env.KSPECT_BENCH_REPS ?? 2);

if (process.argv[2] === '--scan-only') {
  const report = await audit({ paths: [process.argv[3]], settings: { now: new Date(0) } });
  renderJson(report);
  process.stdout.write(JSON.stringify({ peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), findings: report.findings.length }));
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-'));
const file = join(dir, 'cluster.yaml');
writeFileSync(file, generateManifests(COUNT));

function parseOnly() {
  const text = readFileSync(file, 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS()).length;
}
async function scan() {
  const report = await audit({ paths: [file], settings: { now: new Date(0) } });
  renderJson(report);
  return report;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const parseMs = [];
const scanMs = [];
let report;
for (let i = 0; i < REPS; i++) {
  global.gc?.();
  let t = performance.now();
  parseOnly();
  parseMs.push(performance.now() - t);
  global.gc?.();
  t = performance.now();
  report = await scan();
  scanMs.push(performance.now() - t);
}
const child = spawnSync(process.execPath, ['--max-old-space-size=4096', new URL(import.meta.url).pathname, '--scan-only', file], { encoding: 'utf8' });
const rss = JSON.parse(child.stdout || '{}');
const ratio = median(scanMs) / median(parseMs);
process.stdout.write(
  JSON.stringify({
    objects: report.summary.objectsScanned,
    bytes: readFileSync(file).length,
    checks: report.summary.checksRun,
    findings: report.findings.length,
    parseMs: Math.round(median(parseMs)),
    scanMs: Math.round(median(scanMs)),
    ratio: Number(ratio.toFixed(3)),
    targetRatio: 1.0,
    peakRssMiB: rss.peakRssMiB,
    targetPeakRssMiB: 300,
    reps: REPS,
  }),
);
