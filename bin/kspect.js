#!/usr/bin/env node
// The only place that touches process: run the CLI and exit with its code. The CLI is bundled by the build
// (scripts/bundle-cli.js): a few files to load instead of hundreds.
import { clearInterval, setInterval } from 'node:timers';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { main } from '../dist/bundle/main.js';
import { nodeIo } from '../dist/bundle/io.js';

// A large run (a scan of 200,000 objects holds ~0.7 GB until its report is made) lets V8 grow the heap to ~4x what
// is live before it collects, and most of the peak is garbage. Once the heap is large, it is collected when it has
// grown by 25% instead. The limit V8 computed at its last full collection holds until the next one, so the switch is
// made early (from 128 MB in use). Checked while the event loop is free: between the input's files or a cluster's
// pages; one huge file keeps V8's default. Small runs never reach it (no extra collections).
const LARGE_HEAP = 128 * 2 ** 20;
const watch = setInterval(() => {
  if (getHeapStatistics().used_heap_size < LARGE_HEAP) return;
  setFlagsFromString('--heap-growing-percent=25');
  clearInterval(watch);
}, 50);
watch.unref();

process.exitCode = await main(process.argv.slice(2), nodeIo());
