#!/usr/bin/env node
// The only place that touches process: run the CLI and exit with its code. The CLI is bundled by the build
// (scripts/bundle-cli.js): a few files to load instead of hundreds.
import { clearInterval, setInterval } from 'node:timers';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { main } from '../dist/bundle/main.js';
import { nodeIo } from '../dist/bundle/io.js';

// A large run (a scan of 200,000 objects holds ~0.7 GB until its report is made) lets V8 grow the heap to up to ~4x
// what is live before it collects, and most of the peak is garbage. Once the heap is large, it is collected when it
// has grown by 25 % instead (a scan of files asks for 50 % from the start: Io.collectEarly). The limit V8 computed at
// its last full collection holds until the next one, so the switch is made early (from 128 MB in use). Checked while
// the event loop is free: between the input's files or a cluster's pages (one huge file keeps the rule it started with).
// Not for `kspect rbac`: it holds what it reads (objects, index, dangers, findings) to the end, so its heap is live
// data, not garbage, and each early collection marks all of it again (50,000 bindings: 5 full collections, 350 ms,
// instead of 2 and 40 ms — 10 % more CPU for 8 % less peak RSS).
if (process.argv[2] !== 'rbac') {
  const LARGE_HEAP = 128 * 2 ** 20;
  const watch = setInterval(() => {
    if (getHeapStatistics().used_heap_size < LARGE_HEAP) return;
    setFlagsFromString('--heap-growing-percent=25');
    clearInterval(watch);
  }, 50);
  watch.unref();
}

process.exitCode = await main(process.argv.slice(2), nodeIo());
