#!/usr/bin/env node
// The only place that touches process: run the CLI and exit with its code.
import { main } from '../dist/cli/main.js';
import { nodeIo } from '../dist/cli/io.js';

process.exitCode = await main(process.argv.slice(2), nodeIo());
