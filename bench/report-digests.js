#!/usr/bin/env node
// Before/after proof of a change that must not change output: the report of `checkManifests` over every corpus
// folder, every check fixture, the examples and a generated set of 2,000 objects in every format kspect writes, one
// SHA-256 per input and format.
// `node bench/report-digests.js [DIST] > a.json` with the dist of each side (e.g. main's and
// the branch's), then compare the two files: equal digests, byte-identical output.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = resolve(process.argv[2] ?? join(root, 'dist'));
const { checkManifests } = await import(pathToFileURL(join(dist, 'index.js')).href);
const { WRITERS } = await import(pathToFileURL(join(dist, 'reporters', 'index.js')).href);

const inputs = [];
const corpus = join(root, '..', 'shared', 'corpus');
const corpusDir = existsSync(corpus) ? corpus : '/work/shared/corpus';
if (existsSync(corpusDir)) for (const d of readdirSync(corpusDir).sort()) if (statSync(join(corpusDir, d)).isDirectory()) inputs.push(join(corpusDir, d));
for (const d of readdirSync(join(root, 'examples')).sort()) inputs.push(join(root, 'examples', d));
const checks = join(root, 'src', 'checks');
for (const c of readdirSync(checks).sort()) for (const kind of ['pass', 'fail']) {
  const f = join(checks, c, 'fixtures', kind);
  if (existsSync(f)) inputs.push(f);
}

// And a generated set (bench/generate.js, 2,000 objects), at a fixed path: the path is part of the output.
const { generateManifests } = await import('./generate.js');
const tmp = join(root, '.cache', 'report-digests');
mkdirSync(tmp, { recursive: true });
const generated = join(tmp, 'generated-2000.yaml');
writeFileSync(generated, generateManifests(2000));
inputs.push(generated);

const out = {};
for (const input of inputs) {
  const report = await checkManifests({ paths: [input], settings: { now: new Date(0) } });
  const digests = {};
  for (const format of Object.keys(WRITERS).sort()) {
    const w = WRITERS[format];
    if (!w) continue;
    const h = createHash('sha256');
    w(report, { color: false, showSuppressed: true }, (c) => h.update(c));
    digests[format] = h.digest('hex').slice(0, 16);
  }
  out[input === generated ? 'generated-2000' : input.slice(root.length - 1).replace(/^.*?(\/(shared|examples|src)\/)/, '$1')] = digests;
}
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
