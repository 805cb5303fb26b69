#!/usr/bin/env node
// Writes dist/check-examples.json: the failing and passing example `kspect explain` shows for each check, taken from
// the first fixture of src/checks/<id>/fixtures/{fail,pass}/ and prepared as explain shows it (no expectation
// comments, long base64 and key material not shown). Run by `npm run build`, so the published package carries the
// examples and nothing reads src/ at run time.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { allChecks } from '../dist/checks/index.js';
import { exampleShown } from '../dist/cli/commands/explain.js';
import { EXAMPLES_FILE } from '../dist/cli/paths.js';

const examples = {};
for (const check of allChecks) {
  const entry = {};
  for (const kind of ['fail', 'pass']) {
    const dir = new URL(`../src/checks/${check.id}/fixtures/${kind}/`, import.meta.url);
    if (!existsSync(dir)) continue;
    const file = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()[0];
    if (file === undefined) continue;
    entry[kind] = { file, text: exampleShown(readFileSync(new URL(file, dir), 'utf8')) };
  }
  if (Object.keys(entry).length > 0) examples[check.id] = entry;
}
writeFileSync(EXAMPLES_FILE, `${JSON.stringify(examples)}\n`);
process.stderr.write(`dist/check-examples.json: examples of ${Object.keys(examples).length} of ${allChecks.length} checks\n`);
