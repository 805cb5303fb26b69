#!/usr/bin/env node
// The only place that touches process: run the CLI and exit with its code. The CLI is bundled by the build
// (scripts/bundle-cli.js): a few files to load instead of hundreds.
import { clearInterval, setInterval } from 'node:timers';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { main } from '../dist/bundle/main.js';
import { nodeIo } from '../dist/bundle/io.js';

// V8 lets the heap grow to up to ~4x what was live at its last full collection before it collects again, and most
// of that growth is garbage: a scan of 20,000 objects kept ~46 MB live and grew to ~190 MB before its last
// collection (peak RSS 240-300 MB); once the heap is large (a scan of 200,000 objects holds ~0.7 GB until its report
// is made) that is gigabytes. So the heap is collected when it has grown by half (20,000 objects: 3 more full
// collections of a small heap, peak ~210 MB), and by a quarter once it is large. The limit V8 computed at its last
// full collection holds until the next one, so the second switch is made early (from 128 MB in use). It is checked
// while the event loop is free: between the input's files or a cluster's pages; one huge file keeps the first.
// Not for `kspect rbac`: it holds what it reads (objects, index, dangers, findings) to the end, so its heap is live
// data, not garbage, and each early collection marks all of it again (50,000 bindings: 5 full collections, 350 ms,
// instead of 2 and 40 ms — 10 % more CPU for 8 % less peak RSS).
if (process.argv[2] !== 'rbac') {
  setFlagsFromString('--heap-growing-percent=50');
  const LARGE_HEAP = 128 * 2 ** 20;
  const watch = setInterval(() => {
    if (getHeapStatistics().used_heap_size < LARGE_HEAP) return;
    setFlagsFromString('--heap-growing-percent=25');
    clearInterval(watch);
  }, 50);
  watch.unref();
}

process.exitCode = await main(process.argv.slice(2), nodeIo());
