#!/usr/bin/env node
// Writes docs/checks.md from the check registry (run `npm run build` first; `npm run docs` does both).
import { writeFileSync, mkdirSync } from 'node:fs';
import { allChecks } from '../dist/checks/index.js';
import { renderChecksDoc } from '../dist/reporters/check-docs.js';

mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
writeFileSync(new URL('../docs/checks.md', import.meta.url), renderChecksDoc(allChecks));
process.stderr.write(`docs/checks.md: ${allChecks.length} checks\n`);
