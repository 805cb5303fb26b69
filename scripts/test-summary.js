#!/usr/bin/env node
// Prints vitest's totals as the plain closing line CI reads: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';

const file = new URL('../.cache/vitest-results.json', import.meta.url);
if (!existsSync(file)) {
  process.stderr.write('test-summary: no vitest results (did the tests run?)\n');
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
process.stdout.write(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped\n`);
