// Pod Security benchmark: evaluating every pod-bearing object of the generated corpus against baseline and
// restricted (latest) with the PSS engine, against parsing the same YAML. Objects are parsed once (with
// positions, as kspect loads them); the evaluation time excludes parsing.
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseManifests, evaluatePodSecurity } from '../dist/index.js';
import { generateManifests } from './generate.js';

const COUNT = Number(process.env.KSPECT_BENCH_OBJECTS ?? 20000);
const REPS = Number(process.env.KSPECT_BENCH_REPS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-pss-'));
const file = join(dir, 'cluster.yaml');
writeFileSync(file, generateManifests(COUNT));
const text = readFileSync(file, 'utf8');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const objects = parseManifests(text, file, { type: 'file', uri: file }).objects;
const parseMs = [];
const evalMs = [];
let evaluated = 0;
let denied = 0;
for (let i = 0; i < REPS; i++) {
  global.gc?.();
  let t = performance.now();
  parseAllDocuments(text).map((d) => d.toJS());
  parseMs.push(performance.now() - t);
  global.gc?.();
  t = performance.now();
  evaluated = 0;
  denied = 0;
  for (const obj of objects) {
    for (const level of ['baseline', 'restricted']) {
      const r = evaluatePodSecurity(obj, { level, version: { latest: true } });
      if (!r) continue;
      evaluated++;
      if (!r.allowed) denied++;
    }
  }
  evalMs.push(performance.now() - t);
}
process.stdout.write(
  JSON.stringify({
    objects: objects.length,
    evaluations: evaluated,
    denied,
    parseMs: Math.round(median(parseMs)),
    evaluateMs: Math.round(median(evalMs)),
    evaluationsPerSecond: Math.round(evaluated / (median(evalMs) / 1000)),
    ratioToParse: Math.round((median(evalMs) / median(parseMs)) * 100) / 100,
  }),
);
