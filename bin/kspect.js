#!/usr/bin/env node
// The only place that touches process: run the CLI and exit with its code. The CLI is bundled by the build
// (scripts/bundle-cli.js): a few files to load instead of hundreds.
import { main } from '../dist/bundle/main.js';
import { nodeIo } from '../dist/bundle/io.js';

process.exitCode = await main(process.argv.slice(2), nodeIo());
