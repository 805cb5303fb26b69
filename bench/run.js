#!/usr/bin/env node
// Runs every bench/*.bench.js case in its own Node process (so peak RSS is per case) and prints one JSON document.
// A case prints a single JSON object on stdout. `npm run bench -- scan` runs the case named "scan" when there is one
// (not live-scan too), else every case whose name contains the word given.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2];
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.js')).sort();
const exact = all.filter((f) => f === `${filter}.bench.js`);
const cases = !filter ? all : exact.length > 0 ? exact : all.filter((f) => f.includes(filter));
const results = {};
let failed = false;
for (const file of cases) {
  const name = file.replace(/\.bench\.js$/, '');
  process.stderr.write(`bench: ${name}...\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', join(dir, file)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) {
    failed = true;
    results[name] = { error: `exit ${r.status}` };
    continue;
  }
  try {
    results[name] = JSON.parse(r.stdout);
  } catch {
    failed = true;
    results[name] = { error: 'case did not print JSON', stdout: r.stdout.slice(0, 500) };
  }
}
process.stdout.write(`${JSON.stringify({ node: process.version, cases: results }, null, 2)}\n`);
process.exitCode = failed ? 1 : 0;
