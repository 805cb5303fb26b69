// The JSON report (schema v3, docs/report.md#the-json-report) against its version 2 in the same run: the report of
// `checkManifests` over 20,000 generated objects (KSPECT_BENCH_OBJECTS) written by the JSON reporter, and written as
// version 2 wrote it — JSON.stringify of the whole Report element by element (writeJsonText), hardened chunk by chunk.
// Prints bytes and the median CPU time of each writer (KSPECT_BENCH_REPS runs, alternating) and their ratios.
import { generateManifests } from './generate.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkManifests } from '../dist/index.js';
import { writeJson } from '../dist/reporters/json.js';
import { ChunkWriter } from '../dist/reporters/chunks.js';
import { hardenJson, LazyArray, writeJsonText } from '../dist/reporters/safe-json.js';

const COUNT = Number(process.env.KSPECT_BENCH_OBJECTS ?? 20000);
const REPS = Number(process.env.KSPECT_BENCH_REPS ?? 5);

const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-json-'));
const input = join(dir, 'cluster.yaml');
writeFileSync(input, generateManifests(COUNT));
const report = await checkManifests({ paths: [input], settings: { now: new Date(0) } });
rmSync(dir, { recursive: true });

/** Version 2's writer: the whole Report as JSON.stringify writes it, the long lists element by element. */
function writeV2(sink) {
  const out = new ChunkWriter(sink, hardenJson);
  writeJsonText({ ...report, findings: new LazyArray(report.findings), suppressed: new LazyArray(report.suppressed), notEvaluated: new LazyArray(report.notEvaluated), problems: new LazyArray(report.problems) }, out);
  out.end();
}

const writers = { v3: (sink) => writeJson(report, {}, sink), v2: writeV2 };
const runs = { v3: [], v2: [] };
const bytes = {};
for (let i = 0; i < REPS; i++)
  for (const [name, write] of Object.entries(writers)) {
    global.gc?.();
    let n = 0;
    const before = process.cpuUsage();
    write((c) => (n += Buffer.byteLength(c)));
    const used = process.cpuUsage(before);
    runs[name].push((used.user + used.system) / 1000);
    bytes[name] = n;
  }
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpu = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.round(median(v))]));
process.stdout.write(
  `${JSON.stringify({
    objects: report.summary.objectsScanned,
    findings: report.findings.length,
    bytes,
    cpuMs: cpu,
    bytesRatio: Number((bytes.v3 / bytes.v2).toFixed(3)),
    cpuRatio: Number((cpu.v3 / cpu.v2).toFixed(3)),
    reps: REPS,
    comparator: 'the same Report written as report schema v2 (JSON.stringify of every finding, hardened chunk by chunk)',
  })}\n`,
);
