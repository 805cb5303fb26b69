#!/usr/bin/env node
// The only place that touches process: run the CLI and exit with its code. The CLI is bundled by the build
// (scripts/bundle-cli.js): a few files to load instead of hundreds.
import { main } from '../dist/bundle/main.js';
import { nodeIo, watchHeap } from '../dist/bundle/io.js';

// The heap is collected sooner once it is large (src/cli/io.ts watchHeap; commands say what theirs holds).
watchHeap();

process.exitCode = await main(process.argv.slice(2), nodeIo());
