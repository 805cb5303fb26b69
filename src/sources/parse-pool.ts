/**
 * Parsing manifest files in worker threads (`--jobs N`). Each worker reads and parses whole files (manifest-file.ts)
 * and sends back what it found in a form that is cheap to move: the objects' plain values by structured clone, their
 * positions as the offset arrays and line starts the parser made (transferred, not copied), and the problems as
 * plain data. The main thread rebuilds the same objects, origins and problems it would have made itself.
 *
 * With the run's object-local checks (`judge`), a worker also judges the file's objects and sends what the checks said
 * (src/framework/parallel.ts); the main thread finds it by the array of objects handed over (`judgedFiles`).
 *
 * The queue is bounded: a caller gives a file only when `hasRoom()` (and parses it itself otherwise), so a worker
 * has at most DEPTH files posted (it works on one, the others wait in its own queue). A worker that dies on a file (out of memory, a bug) costs that file one
 * line; a new worker takes the rest. Workers that cannot start at all leave the files to the main thread.
 */
import { Worker } from 'node:worker_threads';
import type { Problem } from '../core/finding.js';
import { judgedFiles, type JudgedFile, type KnownObject, type WorkerJudging } from '../framework/parallel.js';
import { toK8sObject, type K8sObject } from '../model/object.js';
import { parsePart, readManifestFile, type ParsedFile } from './manifest-file.js';
import { IndexedOrigin, LineTable, type DocOrigin, type DocPositions } from './yaml-positions.js';
import type { ParseLimits } from './yaml.js';

/** A file for a worker. */
export interface ParseJob {
  readonly id: number;
  readonly abs: string;
  readonly file: string;
  readonly max: number;
  readonly limits: ParseLimits;
  /** The checks to run over the file's objects once parsed (src/framework/parallel.ts). */
  readonly judge?: WorkerJudging;
  /** A part of the file's text to parse (manifest-file.ts `splitParts`), read and decoded by the main thread. */
  readonly part?: { readonly text: string; readonly docBase: number; readonly lineBase: number };
  /** Namespaces of the files before it the worker was not sent yet (kept for the files after: parallel.ts). */
  readonly known?: readonly KnownObject[];
}

/**
 * Files (or parts) posted to a worker at most: the one it works on and two more, so that it does not wait for the main
 * thread (busy parsing a part of its own, or replaying what a worker said) to be given the next one.
 */
const DEPTH = 3;

/** Numbers kept per object in `PackedFile.origins`: document, List index (-1: none), offsets array, base, root record. */
const ORIGIN_FIELDS = 5;

/** A parsed file as a worker sends it. */
export interface PackedFile {
  readonly id: number;
  readonly read: boolean;
  readonly problems: Problem[];
  readonly skipped: number;
  /**
   * The objects' values, in order: as JSON text when JSON says them exactly (the main thread's JSON.parse takes a
   * third of the time structured clone's deserialising takes), else as they are (structured clone: -0, NaN, ±Infinity).
   */
  readonly values: string | unknown[];
  /** ORIGIN_FIELDS numbers per object. */
  readonly origins: Int32Array;
  /** The offset arrays the objects' positions point into. */
  readonly offsets: (Int32Array | Uint16Array)[];
  /** Line starts of the file's text (absent when nothing was parsed), and the lines before it (a part's). */
  readonly lineStarts?: Int32Array;
  readonly lineBase?: number;
  /** What the checks said of the objects (as JSON text when JSON says it exactly), when the worker judged them. */
  readonly judged?: string | JudgedFile;
  /** An error of the worker itself while handling the file (a bug): said as one problem. */
  readonly error?: string;
}

/** Pack a parsed file for postMessage; the second element lists the buffers to transfer. */
export function packFile(id: number, parsed: ParsedFile): { packed: PackedFile; transfer: ArrayBuffer[] } {
  const values: unknown[] = [];
  const origins = new Int32Array(parsed.objects.length * ORIGIN_FIELDS);
  const offsets: (Int32Array | Uint16Array)[] = [];
  const arrayIndex = new Map<Int32Array | Uint16Array, number>();
  let lines: LineTable | undefined;
  parsed.objects.forEach((obj, i) => {
    const origin = obj.origin;
    if (!(origin instanceof IndexedOrigin)) throw new Error('an object parsed from a file has no indexed origin');
    const { positions, base, root } = origin.indexed;
    lines ??= positions.lines;
    let a = arrayIndex.get(positions.offsets);
    if (a === undefined) {
      a = offsets.length;
      offsets.push(positions.offsets);
      arrayIndex.set(positions.offsets, a);
    }
    values.push(obj.raw);
    const at = i * ORIGIN_FIELDS;
    origins[at] = origin.docIndex;
    origins[at + 1] = origin.listIndex ?? -1;
    origins[at + 2] = a;
    origins[at + 3] = base;
    origins[at + 4] = root;
  });
  const lineStarts = lines?.lineStarts;
  const lineBase = lines?.lineBase ?? 0;
  const transfer = [origins.buffer, ...offsets.map((o) => o.buffer), ...(lineStarts ? [lineStarts.buffer] : [])].filter((b, i, all): b is ArrayBuffer => b instanceof ArrayBuffer && all.indexOf(b) === i);
  return { packed: { id, read: parsed.read, problems: parsed.problems, skipped: parsed.skipped, values: jsonExact(values) ? JSON.stringify(values) : values, origins, offsets, ...(lineStarts ? { lineStarts } : {}), ...(lineBase > 0 ? { lineBase } : {}) }, transfer };
}

/** What the checks said of a file, for postMessage: JSON text when it says it exactly (cheaper to read than a clone). */
export function packJudged(judged: JudgedFile): string | JudgedFile {
  return recordsExact(judged) ? JSON.stringify(judged) : judged;
}

/**
 * jsonExact for what checks said: only what a check gave is looked at (a finding's location and fields, a
 * not-evaluated item); the rest is made by recordParts (places and counts: whole numbers; messages, names: strings).
 */
function recordsExact(judged: JudgedFile): boolean {
  for (const r of judged.records) {
    if (r.t === 'f') {
      if (r.l !== undefined && !jsonExact([r.l])) return false;
      if (!jsonExact([r.d])) return false;
    } else if (r.t === 'n' && !jsonExact([r.d])) return false;
  }
  return true;
}

/** Whether JSON text says these values exactly: no number JSON cannot write (-0, NaN, ±Infinity), nothing but plain data. */
function jsonExact(values: unknown[]): boolean {
  const stack: unknown[] = [values];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) return false;
    } else if (Array.isArray(v)) {
      for (const x of v as unknown[]) stack.push(x);
    } else if (typeof v === 'object' && v !== null) {
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      for (const k in v) stack.push((v as Record<string, unknown>)[k]);
    } else if (typeof v !== 'string' && typeof v !== 'boolean' && v !== null) return false;
  }
  return true;
}

/** The objects of a packed file, as the main thread would have parsed them from `file`. */
export function unpackFile(packed: PackedFile, file: string): ParsedFile {
  const problems = [...packed.problems];
  if (packed.error !== undefined) problems.push({ code: 'internal', severity: 'error', file, message: `internal error while parsing: ${packed.error}` });
  const source = { type: 'file' as const, uri: file };
  const lines = packed.lineStarts ? LineTable.fromStarts(packed.lineStarts, packed.lineBase ?? 0) : new LineTable('');
  const objects: K8sObject[] = [];
  // One positions record per offsets array, as the parser shares it among the documents of the array.
  let last: DocPositions | undefined;
  let lastDoc: DocOrigin | undefined;
  const values = typeof packed.values === 'string' ? (JSON.parse(packed.values) as unknown[]) : packed.values;
  values.forEach((value, i) => {
    const at = i * ORIGIN_FIELDS;
    const docIndex = packed.origins[at] ?? 0;
    const listIndex = packed.origins[at + 1] ?? -1;
    const offsets = packed.offsets[packed.origins[at + 2] ?? 0] ?? new Int32Array(0);
    const base = packed.origins[at + 3] ?? 0;
    const positions = last?.offsets === offsets ? last : (last = { file, lines, offsets });
    // One per document, as the parser makes them (a List's items are consecutive).
    const doc = lastDoc?.docIndex === docIndex && lastDoc.positions === positions && lastDoc.base === base ? lastDoc : (lastDoc = { source, docIndex, positions, base });
    const origin = new IndexedOrigin(doc, listIndex < 0 ? undefined : listIndex, packed.origins[at + 4] ?? 0, value);
    const obj = toK8sObject(value, origin);
    if (obj) objects.push(obj);
  });
  if (packed.judged !== undefined && objects.length === values.length) judgedFiles.set(objects, typeof packed.judged === 'string' ? (JSON.parse(packed.judged) as JudgedFile) : packed.judged);
  return { read: packed.read, objects, problems, skipped: packed.skipped };
}

/** A job done (in a worker, or here when the workers cannot be used): the file read and parsed, or the part parsed. */
export function parseJob(job: ParseJob): Promise<ParsedFile> {
  return job.part ? Promise.resolve(parsePart(job.part.text, job.file, job.part, job.limits)) : readManifestFile(job.abs, job.file, job);
}

interface Slot {
  worker: Worker;
  /** The jobs posted to it, in order: it works on the first. */
  jobs: ParseJob[];
  /** The worker said it is ready (its modules loaded). */
  online: boolean;
  /** How many of the run's known Namespaces it was sent. */
  sent: number;
  /** Resolved once it is ready or has stopped. */
  readonly settled: Promise<void>;
}

interface Waiting {
  readonly job: ParseJob;
  readonly done: (r: ParsedFile) => void;
}

/** Worker threads parsing manifest files; see the file header. */
export class ParsePool {
  private readonly slots: Slot[] = [];
  /** Jobs not posted yet (a worker's jobs to post again after it stopped). */
  private readonly queue: Waiting[] = [];
  private readonly pending = new Map<number, Waiting>();
  private nextId = 0;
  /** Workers that could not start: the main thread parses what is left. */
  private broken = false;
  /** Why the workers could not be used, when they could not. */
  private failure: string | undefined;
  private closed = false;
  private restarts = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(
    readonly size: number,
    private readonly workerUrl: URL,
    private readonly options: { readonly max: number; readonly limits: ParseLimits; readonly judge?: WorkerJudging; readonly known?: () => readonly KnownObject[] },
  ) {
    // One worker starts now (the pool is made for a file), others as files come: never more than there are files.
    if (size > 0) this.slots.push(this.start());
  }

  /** Resolved once a worker has room for a file (`hasRoom`), or the workers cannot be used. */
  async room(): Promise<void> {
    while (!this.broken && !this.hasRoom()) await new Promise<void>((wake) => this.waiters.push(wake));
  }

  /** Something changed (a worker started, answered or stopped): those waiting for room look again. */
  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /**
   * Whether a worker takes another file now without holding more than DEPTH (the main thread parses the file itself
   * otherwise: it is one of the `--jobs` threads).
   */
  hasRoom(): boolean {
    if (this.broken) return false;
    const room = this.slots.reduce((n, s) => n + (s.online ? DEPTH - s.jobs.length : 0), 0) - this.queue.length;
    if (room > 0) return true;
    // Every worker that runs is busy: start another for the files to come (this thread parses this one).
    if (this.slots.length < this.size) this.slots.push(this.start());
    return false;
  }

  /**
   * Read and parse one file in a worker, or parse one part of its text (`part`). Never rejects: what goes wrong is a
   * problem of the file.
   */
  parse(abs: string, file: string, part?: ParseJob['part']): Promise<ParsedFile> {
    const job: ParseJob = { id: this.nextId++, abs, file, max: this.options.max, limits: this.options.limits, ...(this.options.judge ? { judge: this.options.judge } : {}), ...(part ? { part } : {}) };
    if (this.broken) return parseJob(job);
    return new Promise((done) => {
      this.queue.push({ job, done });
      this.dispatch();
    });
  }

  /** Whether a worker has started (and not stopped): one still loading its modules takes no file yet. */
  get online(): boolean {
    return this.slots.some((s) => s.online);
  }

  /** Why the workers could not be used (the files were parsed in the main thread), or undefined. */
  get unavailable(): string | undefined {
    return this.failure;
  }

  /** Stop every worker (once each has started or failed to: a worker that cannot start is said). */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.settled));
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private start(): Slot {
    // It loads the judging module (every check) before it says it is ready, when it is to judge.
    const worker = new Worker(this.workerUrl, { workerData: { judge: this.options.judge !== undefined } });
    // Only a worker with a file keeps the process alive: a loader that stops on a bug does not hang on an idle pool.
    worker.unref();
    let settle = (): void => undefined;
    const slot: Slot = { worker, jobs: [], online: false, sent: 0, settled: new Promise<void>((r) => { settle = r; }) };
    worker.on('message', (packed: PackedFile | { readonly ready: true }) => {
      if ('ready' in packed) {
        // Its modules loaded: from now on, a worker that dies is taken to have died on its file.
        slot.online = true;
        settle();
        this.dispatch();
        this.wake();
        return;
      }
      const waiting = this.pending.get(packed.id);
      if (!waiting) return;
      this.pending.delete(packed.id);
      slot.jobs = slot.jobs.filter((j) => j.id !== packed.id);
      if (slot.jobs.length === 0) worker.unref();
      waiting.done(unpackFile(packed, waiting.job.file));
      this.dispatch();
      this.wake();
    });
    let stopped = false;
    const stop = (why: string): void => {
      settle();
      if (stopped || this.closed) return;
      stopped = true;
      this.replace(slot, why);
    };
    worker.on('error', (e) => {
      stop(e.message);
    });
    worker.on('exit', (code) => {
      stop(`it exited with code ${code}`);
    });
    return slot;
  }

  /**
   * A worker stopped: the file it was working on is a problem (or, if it never started, the main thread's); the files
   * posted after it go to another worker, which takes its place.
   */
  private replace(slot: Slot, why: string): void {
    queueMicrotask(() => { this.wake(); });
    const [job, ...rest] = slot.jobs;
    slot.jobs = [];
    const waiting = job ? this.pending.get(job.id) : undefined;
    if (job) this.pending.delete(job.id);
    const again = rest.flatMap((j) => {
      const w = this.pending.get(j.id);
      this.pending.delete(j.id);
      return w ? [w] : [];
    });
    this.queue.unshift(...again);
    this.restarts++;
    if (!slot.online || !job || this.restarts > 4 * this.size) {
      // The worker could not start (its module is missing, the thread limit is reached), died with no file, or workers
      // keep dying: no file is at fault, and the main thread parses what is left.
      this.broken = true;
      this.failure ??= why;
      if (waiting) void parseJob(waiting.job).then(waiting.done);
      this.drainHere();
      return;
    }
    if (waiting) waiting.done({ read: false, objects: [], problems: [{ code: 'internal', severity: 'error', file: waiting.job.file, message: `not parsed: the parse worker stopped (${why})` }], skipped: 0 });
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots[index] = this.start();
    this.dispatch();
  }

  /** Parse what is queued in the main thread (the workers cannot start). */
  private drainHere(): void {
    for (const w of this.queue.splice(0)) void parseJob(w.job).then(w.done);
  }

  /** Post queued jobs to the workers with the fewest, up to DEPTH each (a worker starts when all have some). */
  private dispatch(): void {
    if (this.broken) {
      this.drainHere();
      return;
    }
    while (this.queue.length > 0) {
      // Only to a worker that runs: one still starting (loading its modules, seconds on a busy machine) would hold
      // up the files after its own, which this thread parses meanwhile.
      const slot = this.slots.reduce<Slot | undefined>((best, s) => (s.online && s.jobs.length < DEPTH && (!best || s.jobs.length < best.jobs.length) ? s : best), undefined);
      if (!slot) break;
      const next = this.queue.shift() as Waiting;
      slot.jobs.push(next.job);
      this.pending.set(next.job.id, next);
      slot.worker.ref();
      // With it, the Namespaces added since the worker's last job: checks reading them by name are answered there.
      const known = this.options.known?.() ?? [];
      if (known.length > slot.sent) {
        slot.worker.postMessage({ ...next.job, known: known.slice(slot.sent) });
        slot.sent = known.length;
      } else slot.worker.postMessage(next.job);
    }
  }
}
