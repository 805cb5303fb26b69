/** The CLI's doors to the outside world, injectable so commands can be tested in-process. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { DEFAULT_READ_LIMIT, readStreamLimited } from '../sources/safe-read.js';
import { PACKAGE_JSON } from './paths.js';

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Width of the terminal stdout writes to, when it is one. */
  readonly stdoutColumns?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly now: () => Date;
  /** All of standard input, or its first `maxBytes + 1` bytes when it is longer (reading stops there). */
  readonly readStdin: (maxBytes?: number) => Promise<Buffer>;
  readonly writeFile: (path: string, data: string) => Promise<void>;
  /** Open `path` for writing (created or truncated); the output is then written in chunks, synchronously. */
  readonly openOutput: (path: string) => OutputFile;
  /**
   * What the run's heap will mostly be, said by a command as it starts (heap policy: watchHeap). `garbage`: a scan of
   * files lets go of what it judged before its report is made, so the heap is collected when it has grown by half
   * rather than by up to ~4x (20,000 objects kept ~46 MB live at the last collection but grew to ~190 MB before the
   * next: peak RSS 232-294 MiB, then 198-221 MiB). `held`: `rbac` keeps what it reads to the end, so V8's own growth
   * stays, also once the heap is large (early collections marked the same live data again: 50,000 bindings, 5 full
   * collections and 350 ms instead of 2 and 40 ms). Unsaid (`scan --cluster`, which holds what it lists, and the
   * others): V8's growth, a quarter once the heap is large.
   */
  readonly heapUse?: (use: 'garbage' | 'held') => void;
}

/** A file being written chunk by chunk (a report too large for one string). */
export interface OutputFile {
  readonly write: (chunk: string) => void;
  readonly close: () => void;
}

/** Where a write waits (Atomics.wait) for a full non-blocking pipe to be read. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));
/** The first wait for a full pipe, and the longest (ms): doubled while the pipe stays full, from the first again after a write. */
const FIRST_PAUSE_MS = 0.05;
const LONGEST_PAUSE_MS = 2;

/**
 * All of `data` written to `fd` before returning. Node makes a pipe or terminal on stdout or stderr non-blocking once
 * it is used: full, it answers EAGAIN, and the write waits and goes on — the writer keeps the reader's pace. The wait
 * starts at 50 µs (a reader such as `gzip -1` empties a 64 KiB pipe in well under a millisecond: a fixed 1 ms wait
 * held 500 MiB to `| gzip -1` at 9 s, against 1.7 s for gzip alone) and doubles up to 2 ms while a reader is stalled.
 */
function writeAllSync(fd: number, data: Buffer): void {
  let off = 0;
  let pause = FIRST_PAUSE_MS;
  while (off < data.length) {
    try {
      off += writeSync(fd, data, off);
      pause = FIRST_PAUSE_MS;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(PAUSE, 0, 0, pause);
      pause = Math.min(LONGEST_PAUSE_MS, pause * 2);
    }
  }
}

/** An output file on disk, written with synchronous writes (rendering is synchronous; no chunk piles up in memory). */
function openFileOutput(path: string): OutputFile {
  const fd = openSync(path, 'w');
  return {
    write: (chunk) => { writeAllSync(fd, Buffer.from(chunk, 'utf8')); },
    close: () => { closeSync(fd); },
  };
}

/**
 * Standard output or error, written synchronously whatever it is. process.stdout.write to a pipe keeps in memory
 * what the reader has not taken, and a report is rendered without a turn of the event loop, so `kspect scan … -f
 * json | jq` held the whole report (20,000 objects: 126 MB of JSON, a 430 MB peak against 295 MB to a file). Written
 * here, a run holds one chunk and goes at the reader's pace. A reader gone (EPIPE: `kspect … | head`) ends the run
 * quietly with its exit code.
 */
function standardStream(fd: 1 | 2): (text: string) => void {
  return (text) => {
    try {
      writeAllSync(fd, Buffer.from(text, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') endQuietly();
      throw e;
    }
  };
}

/** Heap in use from which a run's heap is collected when it has grown by a quarter (watchHeap). */
const LARGE_HEAP = 128 * 2 ** 20;
let largeHeapWatch: ReturnType<typeof setInterval> | undefined;

/**
 * The CLI process's heap policy (bin/kspect.js). A large run (a scan of 200,000 objects holds ~0.7 GB until its report
 * is made) lets V8 grow the heap to up to ~4x what is live before it collects, and most of the peak is garbage: once
 * the heap is large, it is collected when it has grown by 25 % instead. The limit V8 computed at its last full
 * collection holds until the next one, so the switch is made early (from 128 MB in use). Checked while the event loop
 * is free: between the input's files or a cluster's pages (one huge file keeps the rule it started with). A command
 * says what its heap is with Io.heapUse.
 */
export function watchHeap(): void {
  largeHeapWatch = setInterval(() => {
    if (getHeapStatistics().used_heap_size < LARGE_HEAP) return;
    setFlagsFromString('--heap-growing-percent=25');
    clearInterval(largeHeapWatch);
  }, 50);
  largeHeapWatch.unref();
}

/** The reader of stdout or stderr is gone: the run ends with the exit code it has so far, nothing more said. */
function endQuietly(): never {
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
}

export function nodeIo(): Io {
  // `kspect … | head`: a closed pipe ends the output, not in a stack trace (what Node itself writes: warnings).
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') endQuietly();
      throw e;
    });
  return {
    stdout: standardStream(1),
    stderr: standardStream(2),
    stdoutIsTTY: process.stdout.isTTY,
    stderrIsTTY: process.stderr.isTTY,
    ...(process.stdout.isTTY && process.stdout.columns > 0 ? { stdoutColumns: process.stdout.columns } : {}),
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    readStdin: (maxBytes) => readStreamLimited(process.stdin, maxBytes ?? DEFAULT_READ_LIMIT),
    writeFile: (p, d) => writeFile(p, d, 'utf8'),
    openOutput: openFileOutput,
    heapUse: (use) => {
      if (use === 'garbage') setFlagsFromString('--heap-growing-percent=50');
      else clearInterval(largeHeapWatch);
    },
  };
}

/** The package version, read once from package.json next to dist/. */
export async function packageVersion(): Promise<string> {
  const text = await readFile(PACKAGE_JSON, 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** Colour only on a TTY, and never with NO_COLOR set (any value). FORCE_COLOR forces it on. */
export function useColor(io: Io, toStdout: boolean): boolean {
  if (io.env.NO_COLOR !== undefined) return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return toStdout ? io.stdoutIsTTY : io.stderrIsTTY;
}
