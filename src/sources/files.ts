/**
 * Reading manifests from files, folders (recursive), globs, stdin, kustomize folders and Helm charts.
 * Every file that cannot be read or understood becomes a Problem naming it; the rest is still read.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Problem, SourceRef } from '../core/finding.js';
import { compilePathGlob } from '../core/glob.js';
import type { K8sObject } from '../model/object.js';
import { judgedFiles, knownNamespaces, knownObjects, type WorkerJudging } from '../framework/parallel.js';
import { fileTypeText, readErrorText, readRegularFile, type ReadScratch } from './safe-read.js';
import { decode, parsePart, readManifestFile, readManifestText, readProblem, splitParts, type ParsedFile } from './manifest-file.js';
import type { ParsePool } from './parse-pool.js';
import { usableCpus } from './cpus.js';
import { DEFAULT_PARSE_LIMITS, parseManifests, type ParseLimits } from './yaml.js';
import { helmTemplate, splitRendered, type HelmResult } from './helm.js';
import { appendAll } from '../core/arrays.js';
import { counted } from '../core/text.js';

export interface LoadOptions {
  /** Largest file read, in bytes (default 64 MiB). */
  readonly maxFileSize?: number;
  readonly limits?: ParseLimits;
  /** Reads stdin, for `-`: all of it, or the first `maxBytes + 1` bytes when it is longer (reading stops there). */
  readonly readStdin?: (maxBytes?: number) => Promise<Buffer>;
  /** Run `kubectl kustomize DIR`; injectable for tests. */
  readonly kustomize?: (dir: string) => Promise<{ ok: true; yaml: string } | { ok: false; error: string }>;
  /**
   * Follow symbolic links that lead out of a folder being walked (default false: a link whose target is outside the
   * folder named as input is reported and not followed; links inside it are followed). Loops are detected either way.
   */
  readonly followSymlinks?: boolean;
  /** Let kustomize fetch remote bases, resources and components (git, http); default false: refused in one line. */
  readonly allowRemote?: boolean;
  /** Time limit of one `kubectl kustomize` run (default 120 s). */
  readonly kustomizeTimeoutMs?: number;
  /** Run `helm template DIR` for a chart folder; injectable for tests. */
  readonly helm?: (dir: string) => Promise<HelmResult>;
  /** Values files for the Helm charts among the inputs (`--values`), in order. */
  readonly helmValues?: readonly string[];
  /** Base for relative display names (default: process.cwd()). */
  readonly cwd?: string;
  /**
   * Accept inputs that hold no Kubernetes object (default false: an empty file or folder, or text that is no
   * manifest at all — a failed `helm template` printing its error into the pipe — is the error `nothing-to-scan`).
   */
  readonly allowEmpty?: boolean;
  /**
   * A file's objects are ready: each file (document of stdin, rendered chart template, kustomization) is handed over
   * as soon as it is parsed, in load order. When given, the objects are not kept in `Loaded.objects` (the caller
   * owns them: a streaming runner judges them and keeps only what its checks read).
   */
  readonly onObjects?: (objects: readonly K8sObject[], file: string) => void;
  /**
   * Threads that read and parse files (`--jobs`): 1 (the default) parses in this thread; N uses this thread and up to
   * N - 1 parse workers (parse-pool.ts), never more than there are files; `auto` uses one thread per core, with at
   * least AUTO_JOBS_MIN_CPUS cores, when the inputs hold AUTO_JOBS_MIN_BYTES (counted before the first file is read,
   * and as files are read; below either, starting a worker costs more than it saves). On two threads the worker only
   * parses (`judgeAsAdded`). Objects (and
   * `onObjects` calls), problems and their order are the same whatever the number. Stdin, kustomize and Helm output
   * parse in this thread.
   */
  readonly jobs?: number | 'auto';
  /** The CPUs `jobs: 'auto'` counts (tests); default: the process's usable CPUs (cpus.ts). */
  readonly cpus?: number;
  /** The bytes of input from which `jobs: 'auto'` starts workers (tests); default AUTO_JOBS_MIN_BYTES. */
  readonly autoMinBytes?: number;
  /**
   * With `jobs` and `onObjects`: the checks the parse workers run over each file's objects once parsed, asked for when
   * the first worker starts (a streaming run's `workerJudging`, src/framework/parallel.ts). What they said goes with
   * the objects handed over; undefined: the workers only parse.
   */
  readonly workerJudging?: () => WorkerJudging | undefined;
  /**
   * With `onObjects`, on two threads (`jobs` 2): asked instead of `workerJudging` when the parse worker starts — the
   * worker only parses, and this thread hands it every file (or part) once it runs and judges the objects handed over
   * as they come (a streaming run's `judgeAsAdded`). Measured (README "Two cores"): a worker that judges too compiles
   * and runs the checks again in a second isolate, which two cores cannot pay for.
   */
  readonly judgeAsAdded?: () => void;
  /**
   * With `jobs`: give every file (or part) to a parse worker, waiting for one to have room (tests of what workers do).
   * By default this thread parses a file when no worker has room, and while the workers start (loading their modules
   * takes a worker 0.3–3 s on a busy 2-core machine): a small input may be parsed here whole.
   */
  readonly awaitWorkers?: boolean;
  /** The parse worker's module (default: parse-worker.js beside this module; the CLI names the one of its bundle). */
  readonly parseWorker?: URL;
}

export interface Loaded {
  readonly objects: K8sObject[];
  readonly problems: Problem[];
  readonly skipped: number;
  /** Files actually read, in order. */
  readonly files: string[];
  /** Objects loaded (also those handed to `onObjects`). */
  readonly count?: number;
}

export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
/**
 * Bytes of input from which `jobs: 'auto'` starts parse workers, counted over the inputs before the first file is read
 * (`inputBytes`), so that every file goes to them. Below it one thread was faster on any machine measured: a worker's
 * start-up, its cold JIT and moving the values cost more than the part of the parse it takes over (bench/jobs.bench.js,
 * README "Two cores": 1–16 MiB in one file 1.08–1.16× at load 3–5; 20,000 objects, 19 MB, 0.87–1.07×). From it,
 * on two cores, a worker that parses while this thread judges paid on 2026-12-07 at load 3.4–4.9: 100,000 objects (96
 * MB) 0.93× and 0.94×, 200,000 (191 MB) 0.86×. `--jobs N` asks for threads at any size.
 */
export const AUTO_JOBS_MIN_BYTES = 64 * 1024 * 1024;
/**
 * Cores `jobs: 'auto'` needs before it starts parse workers: two. On two, the worker only parses and this thread
 * judges as the objects come (`judgeAsAdded`); a worker that judged too (as on more cores) cost 1.3–1.4× the CPU and
 * 1.07–1.17× the wall time of one thread at 20,000 objects (2026-12-07, README): its isolate compiles and runs the
 * checks again. Not measured above two cores (none here).
 */
export const AUTO_JOBS_MIN_CPUS = 2;

/** The threads `jobs: 'auto'` uses on `cpus` usable CPUs (from AUTO_JOBS_MIN_BYTES of input): one per core, or one below AUTO_JOBS_MIN_CPUS. */
export function autoThreads(cpus: number): number {
  return cpus >= AUTO_JOBS_MIN_CPUS ? Math.floor(cpus) : 1;
}

/**
 * How many bytes of manifest files the inputs hold, counted before any is read and up to `enough` (the count stops
 * there): `jobs: 'auto'` decides at the first file whether to spread them all. An estimate that reads no content:
 * folders are walked without following links (none can loop), patterns and standard input count nothing, a folder
 * kustomize or Helm renders counts its manifest files. Files found otherwise still count as they are read.
 */
async function inputBytes(inputs: readonly string[], cwd: string, enough: number): Promise<number> {
  let total = 0;
  const walk = async (abs: string, top: boolean): Promise<void> => {
    if (total >= enough) return;
    const st = await (top ? stat(abs) : lstat(abs)).catch(() => undefined);
    if (st?.isFile() === true) {
      if (top || MANIFEST_EXT.test(abs)) total += st.size;
    } else if (st?.isDirectory() === true) {
      const names = await readdir(abs).catch(() => [] as string[]);
      for (const name of names) if (!SKIP_DIRS.has(name)) await walk(join(abs, name), false);
    }
  };
  for (const input of inputs) if (input !== '-' && !/[*?[]/.test(input)) await walk(resolve(cwd, input), true);
  return total;
}
/**
 * With parse workers, a file of at least twice this many bytes is read in this thread and its text cut into parts of
 * about this many characters at document boundaries (manifest-file.ts `splitParts`), given out as files are: a single
 * large file spreads over the threads, and small parts keep them evenly busy.
 */
export const PART_CHARS = 1024 * 1024;
/**
 * Files (or parts) per thread whose objects may wait to be handed over behind a slower one before the loader waits:
 * the main thread goes on parsing while a worker finishes the part before (files and parts are at most 2 × PART_CHARS
 * but for a large text with an anchor).
 */
const HANDOVER_WAITING = 6;
const MANIFEST_EXT = /\.(ya?ml|json)$/i;
const KUSTOMIZATION = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const HELM_CHART = 'Chart.yaml';
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Load every input. Order of objects follows the order of inputs and of files within folders (sorted). */
export async function loadManifests(inputs: readonly string[], options: LoadOptions = {}): Promise<Loaded> {
  const cwd = options.cwd ?? process.cwd();
  const out: Loaded = { objects: [], problems: [], skipped: 0, files: [], count: 0 };
  const display = (p: string): string => {
    const r = relative(cwd, p);
    return r === '' ? '.' : r.startsWith('..') ? p : r;
  };
  const max = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  const allowRemote = options.allowRemote ?? false;
  const kustomize = options.kustomize ?? ((dir: string) => kubectlKustomize(dir, { allowRemote, timeoutMs: options.kustomizeTimeoutMs ?? 120_000 }));
  const follow = options.followSymlinks ?? false;
  const helm = options.helm ?? ((dir: string) => helmTemplate(dir, { values: options.helmValues ?? [], timeoutMs: options.kustomizeTimeoutMs ?? 120_000 }));

  /** Parse a file's bytes; the caller hands its objects over once it no longer holds the bytes. */
  const parseText = (buf: Buffer, file: string, source: SourceRef): readonly K8sObject[] => {
    const text = decode(buf, file, out.problems);
    if (text === undefined) return [];
    const parsed = parseManifests(text, file, source, limits);
    appendAll(out.problems, parsed.problems);
    (out as { skipped: number }).skipped += parsed.skipped;
    return parsed.objects;
  };
  const addText = (buf: Buffer, file: string, source: SourceRef): void => {
    parallel.hand(parseText(buf, file, source), file);
  };
  // Objects are handed over when neither the bytes nor the text of their file are held any more: a streaming runner
  // judges a large file's objects without its text alive beside them.
  // Files read here are read into one buffer, each over the last (parsing copies what it keeps).
  const scratch: ReadScratch = {};
  /** Read and parse one file here: its bytes are no longer held when this returns. */
  const readParsed = async (abs: string, file: string): Promise<readonly K8sObject[]> => {
    let buf: Buffer;
    try {
      buf = await readRegularFile(abs, { max, scratch });
    } catch (e) {
      out.problems.push(readProblem(e, file));
      return [];
    }
    out.files.push(file);
    return parseText(buf, file, { type: 'file', uri: file });
  };
  /** Read and parse standard input (see readParsed). */
  const readStdinParsed = async (readStdin: (maxBytes?: number) => Promise<Buffer>): Promise<readonly K8sObject[]> => {
    const buf = await readStdin(max);
    if (buf.length > max) {
      out.problems.push({ code: 'file-too-large', severity: 'error', file: '<stdin>', message: `input is over the ${mib(max)} limit (--max-file-size); not read` });
      return [];
    }
    out.files.push('<stdin>');
    return parseText(buf, '<stdin>', { type: 'stdin', uri: '<stdin>' });
  };

  const parallel = parallelReader(options, max, limits, out, inputs, cwd);
  const readOne = async (abs: string): Promise<void> => {
    const file = display(abs);
    if (await parallel.wants(abs)) {
      await parallel.add(abs, file);
      return;
    }
    parallel.hand(await readParsed(abs, file), file);
  };

  /** The real path of the folder named as input, whose tree links may stay in. */
  let treeReal = '';
  const inTree = (real: string): boolean => real === treeReal || real.startsWith(treeReal.endsWith(sep) ? treeReal : treeReal + sep);

  const visitDir = async (abs: string, seen: Set<string>): Promise<void> => {
    let real: string;
    try {
      real = await realpath(abs);
    } catch (e) {
      out.problems.push({ code: 'not-readable', severity: 'error', file: display(abs), message: `cannot read folder: ${errnoText(e)}` });
      return;
    }
    if (seen.has(real)) return; // a symlink loop or a folder reached twice
    seen.add(real);
    let entries: string[];
    try {
      entries = (await readdir(abs)).sort();
    } catch (e) {
      out.problems.push({ code: 'not-readable', severity: 'error', file: display(abs), message: `cannot read folder: ${errnoText(e)}` });
      return;
    }
    if (entries.includes(HELM_CHART)) {
      // A chart's templates are not YAML until helm renders them; each rendered document names its template.
      const r = await helm(abs);
      if (!r.ok) {
        out.problems.push({ code: 'helm-failed', severity: 'error', file: display(abs), message: r.error });
        return;
      }
      const seenFiles = new Set<string>();
      for (const piece of splitRendered(r.yaml)) {
        const name = display(join(abs, piece.template ?? HELM_CHART));
        if (!seenFiles.has(name)) out.files.push(name);
        seenFiles.add(name);
        addText(Buffer.from(piece.text, 'utf8'), name, { type: 'file', uri: name });
      }
      return;
    }
    const k = KUSTOMIZATION.find((n) => entries.includes(n));
    if (k && (await isKustomizeComponent(join(abs, k)))) {
      out.problems.push({
        code: 'kustomize-component',
        severity: 'warning',
        file: display(join(abs, k)),
        message: 'a kustomize Component cannot be rendered on its own; it is scanned as part of the kustomizations that use it',
      });
      return;
    }
    if (k) {
      if (!allowRemote) {
        const remote = await findRemoteReference(abs, k);
        if (remote) {
          out.problems.push({ code: 'kustomize-remote', severity: 'error', file: display(remote.file), message: `${remote.message}; not rendered (--allow-remote allows it)` });
          return;
        }
      }
      const r = await kustomize(abs);
      if (r.ok) {
        const name = `${display(abs)}${sep}${k}`;
        out.files.push(name);
        addText(Buffer.from(r.yaml, 'utf8'), name, { type: 'file', uri: name });
      } else out.problems.push({ code: 'kustomize-failed', severity: 'error', file: display(abs), message: r.error });
      return;
    }
    for (const name of entries) {
      if (SKIP_DIRS.has(name)) continue;
      const child = join(abs, name);
      let st;
      try {
        const l = await lstat(child);
        if (l.isSymbolicLink() && !follow) {
          const target = await realpath(child).catch(() => undefined);
          if (target !== undefined && !inTree(target)) {
            const t = await stat(child).catch(() => undefined);
            if (t?.isDirectory() || MANIFEST_EXT.test(name))
              out.problems.push({ code: 'symlink-outside', severity: 'warning', file: display(child), message: `is a symbolic link to ${target}, outside the folder scanned; not followed (--follow-symlinks follows it)` });
            continue;
          }
        }
        st = await stat(child);
      } catch (e) {
        // A dangling symlink or a file that vanished.
        const l = await lstat(child).catch(() => undefined);
        if (l?.isSymbolicLink() && MANIFEST_EXT.test(name)) out.problems.push({ code: 'not-readable', severity: 'error', file: display(child), message: `cannot read: ${errnoText(e)}` });
        continue;
      }
      if (st.isDirectory()) await visitDir(child, seen);
      else if (MANIFEST_EXT.test(name)) {
        // A FIFO, device or socket named like a manifest is refused by type (readOne), never silently skipped.
        if (st.isFile()) await readOne(child);
        else out.problems.push({ code: 'not-readable', severity: 'error', file: display(child), message: `cannot read: ${fileTypeText(st)}` });
      }
    }
  };

  for (const input of inputs) {
    if (input === '-') {
      if (!options.readStdin) {
        out.problems.push({ code: 'not-readable', severity: 'error', file: '<stdin>', message: 'standard input is not available' });
        continue;
      }
      parallel.hand(await readStdinParsed(options.readStdin), '<stdin>');
      continue;
    }
    if (/[*?[]/.test(input)) {
      const matches = await expandGlob(input, cwd, { followSymlinks: follow });
      if (!Array.isArray(matches)) {
        out.problems.push({ code: 'bad-pattern', severity: 'error', file: input, message: matches.error });
        continue;
      }
      if (matches.length === 0) out.problems.push({ code: 'no-match', severity: 'error', file: input, message: 'the pattern matches no file' });
      for (const m of matches) await readOne(m);
      continue;
    }
    const abs = resolve(cwd, input);
    let st;
    try {
      st = await stat(abs);
    } catch (e) {
      out.problems.push({ code: 'not-readable', severity: 'error', file: input, message: `cannot read: ${errnoText(e)}` });
      continue;
    }
    if (st.isDirectory()) {
      treeReal = await realpath(abs).catch(() => abs);
      await visitDir(abs, new Set());
    } else await readOne(abs);
  }
  // Files parsed in other threads take their places among the rest.
  await parallel.finish();
  // Nothing read is not a clean result: a gate must not pass on an empty folder or a pipe that carried an error.
  // Said once, and only when no other error already explains it (an unreadable file, a pattern matching nothing).
  if (inputs.length > 0 && out.count === 0 && options.allowEmpty !== true && !out.problems.some((p) => p.severity === 'error')) {
    const what = out.files.length === 0 ? 'no manifest file' : out.skipped > 0 ? `${counted(out.skipped, 'document')}, none of them a Kubernetes object` : 'no Kubernetes object';
    out.problems.push({ code: 'nothing-to-scan', severity: 'error', message: `nothing to scan: ${inputs.map((i) => (i === '-' ? 'standard input' : i)).join(', ')} held ${what} (--allow-empty accepts that)` });
  }
  return out;
}

/**
 * How the loader hands over objects, and its parallel path (`jobs`): files given to parse workers, or parsed here
 * while the workers are busy. Objects are handed over (to `onObjects`, or kept in `Loaded.objects`) strictly in load
 * order: a file's objects wait for the files before it, at most a few files' worth. Problems and files take, at the
 * end, the places they would have taken read one after another (by the counts of problems and files when each file
 * was given). Nothing depends on which thread finished first.
 */
function parallelReader(options: LoadOptions, max: number, limits: ParseLimits, out: Loaded, inputs: readonly string[], cwd: string) {
  const jobs = options.jobs ?? 1;
  const threads = jobs === 'auto' ? autoThreads(options.cpus ?? usableCpus()) : Math.max(1, Math.floor(jobs));
  let pool: ParsePool | undefined;
  /** Judge what this thread parsed once workers judge what they parse (see `wants`). */
  let judgeHere: ((objects: readonly K8sObject[]) => void) | undefined;
  const parsedHere = (r: ParsedFile): ParsedFile => {
    if (r.objects.length > 0) judgeHere?.(r.objects);
    return r;
  };
  let seenBytes = 0;
  /** Whether the inputs hold AUTO_JOBS_MIN_BYTES (`jobs: 'auto'`): counted once, at the first file. */
  let large: Promise<boolean> | undefined;
  /** The worker parses every file once it runs; this thread judges (see `judgeAsAdded`). */
  let workerParses = false;
  /** Wait for room in the pool rather than parse here: when asked (tests), or when the worker parses and runs. */
  const awaitRoom = (): boolean => options.awaitWorkers === true || (workerParses && pool?.online === true);
  const handNow = (objects: readonly K8sObject[], file: string): void => {
    (out as { count: number }).count += objects.length;
    if (options.onObjects) {
      if (objects.length > 0) options.onObjects(objects, file);
    } else appendAll(out.objects, objects);
  };
  /** Files given, in load order, not yet merged: where their problems and file name go, and their result. */
  const given: { readonly file: string; readonly problems: number; readonly files: number; result: ParsedFile | undefined; readonly done: Promise<void> }[] = [];
  /** Objects waiting for the files before them to be handed over (a file given, or objects parsed here after one). */
  const waiting: { readonly file: string; objects: readonly K8sObject[] | undefined; readonly from?: (typeof given)[number] }[] = [];
  const flush = (): void => {
    while (waiting.length > 0) {
      const head = waiting[0] as (typeof waiting)[number];
      const objects = head.from ? head.from.result?.objects : head.objects;
      if (objects === undefined) return;
      waiting.shift();
      handNow(objects, head.file);
    }
  };
  const give = (file: string, result: Promise<ParsedFile>): void => {
    const entry: (typeof given)[number] = {
      file,
      problems: out.problems.length,
      files: out.files.length,
      result: undefined,
      done: result.then((r) => {
        entry.result = r;
        flush();
      }),
    };
    given.push(entry);
    waiting.push({ file, objects: undefined, from: entry });
  };
  return {
    /** Hand over a file's objects parsed here: now, or after the files given before it. */
    hand(objects: readonly K8sObject[], file: string): void {
      if (waiting.length === 0) handNow(objects, file);
      else waiting.push({ file, objects });
    },
    /** Whether this file goes the parallel way (the workers, once started, take every file after it). */
    async wants(abs: string): Promise<boolean> {
      if (pool) return true;
      if (threads < 2) return false;
      if (jobs === 'auto') {
        const minBytes = options.autoMinBytes ?? AUTO_JOBS_MIN_BYTES;
        large ??= inputBytes(inputs, cwd, minBytes).then((n) => n >= minBytes);
        seenBytes += (await stat(abs).catch(() => undefined))?.size ?? 0;
        if (seenBytes < minBytes && !(await large)) return false;
      }
      // Two threads: the worker parses, this thread judges what it hands over (judgeAsAdded).
      workerParses = threads === 2 && options.onObjects !== undefined && options.judgeAsAdded !== undefined;
      if (workerParses) options.judgeAsAdded?.();
      const judge = !workerParses && options.onObjects ? options.workerJudging?.() : undefined;
      // The Namespaces handed over so far, for the checks that read them by name (parallel.ts).
      const known = judge ? knownObjects.get(judge) : undefined;
      // The pool's module (and worker_threads) is loaded only for a run that starts one: one file never does.
      const { ParsePool: Pool } = await import('./parse-pool.js');
      pool = new Pool(threads - 1, options.parseWorker ?? new URL('./parse-worker.js', import.meta.url), { max, limits, ...(judge ? { judge } : {}), ...(known ? { known } : {}) });
      if (judge) {
        // What this thread parses, the checks that read Namespaces by name judge right away as in a worker (their
        // lookups checked at finish); the other checks visit it when it is handed over, as in one thread. (Recorded
        // and replayed here too, as before 2026-12-07, the run took ~0.3 s more CPU at 20,000 objects.)
        const { judgeFile } = await import('./parse-judge.js');
        const namespaces = knownNamespaces();
        judgeHere = (objects) => {
          try {
            if (known) namespaces.update(known());
            judgedFiles.set(objects, judgeFile(judge, objects, namespaces, undefined, true));
          } catch {
            // Judged when handed over.
          }
        };
      }
      return true;
    },
    /**
     * Give the file to a worker, or parse it here when every worker has one waiting (one file at a time here); wait
     * while more than a few files' objects wait for a slow one before them.
     */
    async add(abs: string, file: string): Promise<void> {
      // A large file is read here and its text cut into parts at document boundaries, given out as files are.
      if (((await stat(abs).catch(() => undefined))?.size ?? 0) >= 2 * PART_CHARS) {
        const read = await readManifestText(abs, file, max);
        if (read.problems.length > 0) give(file, Promise.resolve({ read: read.read, objects: [], problems: read.problems, skipped: 0 }));
        const text = read.text;
        // Not cut (an anchor in it): one part, the whole text.
        const parts = text !== undefined ? (splitParts(text, PART_CHARS) ?? [{ start: 0, end: text.length, docBase: 0, lineBase: 0 }]) : [];
        for (const part of parts) {
          if (awaitRoom()) await pool?.room();
          const slice = (text as string).slice(part.start, part.end);
          if (pool?.hasRoom() === true) give(file, pool.parse(abs, file, { text: slice, docBase: part.docBase, lineBase: part.lineBase }));
          else give(file, Promise.resolve(parsedHere(parsePart(slice, file, part, limits))));
          await this.drain();
        }
        await this.drain();
        return;
      }
      if (awaitRoom()) await pool?.room();
      if (pool?.hasRoom() === true) give(file, pool.parse(abs, file));
      else give(file, Promise.resolve(parsedHere(await readManifestFile(abs, file, { max, limits }))));
      await this.drain();
    },
    /** Hand over what is ready; wait while more than HANDOVER_WAITING files' objects per thread wait for one before. */
    async drain(): Promise<void> {
      // A turn of the event loop: the workers' messages (ready, a part parsed) are taken between the parts of a file.
      await new Promise((turn) => setImmediate(turn));
      flush();
      while (waiting.length > HANDOVER_WAITING * threads + 1) {
        await waiting[0]?.from?.done;
        flush();
      }
    },
    /** Wait for every file given, put problems and files in place, and stop the workers. */
    async finish(): Promise<void> {
      if (given.length === 0) return;
      await Promise.all(given.map((g) => g.done));
      await pool?.close();
      flush();
      const problems = out.problems.splice(0);
      const files = out.files.splice(0);
      const at = { problems: 0, files: 0 };
      for (const g of given) {
        const r = g.result as ParsedFile;
        for (; at.problems < g.problems; at.problems++) out.problems.push(problems[at.problems] as Problem);
        for (; at.files < g.files; at.files++) out.files.push(files[at.files] as string);
        if (r.read) out.files.push(g.file);
        appendAll(out.problems, r.problems);
        (out as { skipped: number }).skipped += r.skipped;
      }
      appendAll(out.problems, problems.slice(at.problems));
      appendAll(out.files, files.slice(at.files));
      given.length = 0;
      const unavailable = pool?.unavailable;
      if (unavailable !== undefined) out.problems.push({ code: 'jobs-unavailable', severity: 'warning', message: `parse workers could not be used (${unavailable}); files were parsed in one thread` });
    },
  };
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The one-line reason a read failed (see safe-read.ts). */
export function errnoText(e: unknown): string {
  return readErrorText(e);
}

/** Expand a glob (`*`, `?`, `**`, `[..]`; see core/glob.ts) relative to cwd; results sorted, or why the pattern is invalid. */
export async function expandGlob(pattern: string, cwd: string, options: { followSymlinks?: boolean } = {}): Promise<string[] | { readonly error: string }> {
  const abs = resolve(cwd, pattern);
  const parts = abs.split(sep);
  const firstMagic = parts.findIndex((p) => /[*?[]/.test(p));
  const base = parts.slice(0, firstMagic).join(sep) || sep;
  const baseReal = await realpath(base).catch(() => base);
  const inBase = (real: string): boolean => real === baseReal || real.startsWith(baseReal.endsWith(sep) ? baseReal : baseReal + sep);
  const re = compilePathGlob(parts.slice(firstMagic).join('/'));
  if ('error' in re) return re;
  const out: string[] = [];
  const walk = async (dir: string, seen: Set<string>): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (SKIP_DIRS.has(e.name)) continue;
      const p = join(dir, e.name);
      const rel = relative(base, p).split(sep).join('/');
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) {
        // A link out of the pattern's base folder is not followed, unless asked to.
        const target = await realpath(p).catch(() => undefined);
        if (target === undefined || (!options.followSymlinks && !inBase(target))) continue;
        isDir = (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
      }
      if (isDir) await walk(p, seen);
      else if (re.test(rel)) out.push(p);
    }
  };
  await walk(base, new Set());
  return out.sort();
}

async function isKustomizeComponent(file: string): Promise<boolean> {
  try {
    return /^kind:\s*Component\s*$/m.test((await readRegularFile(file, { max: 1024 * 1024 })).toString('utf8'));
  } catch {
    return false;
  }
}

/** The line of kubectl's stderr that says what failed (not its deprecation warnings). */
export function kubectlError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !/^Warning:/i.test(l));
  const line = lines[0] ?? '';
  const m = /err="((?:[^"\\]|\\.)*)"/.exec(line);
  return m?.[1] !== undefined ? m[1].replace(/\\"/g, '"') : line.replace(/^error:\s*/i, '');
}

/** Render a kustomize folder with `kubectl kustomize`, within a time limit, without the network unless allowed. */
export async function kubectlKustomize(dir: string, options: { allowRemote?: boolean; timeoutMs?: number } = {}): Promise<{ ok: true; yaml: string } | { ok: false; error: string }> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  // Without --allow-remote, a remote reference the static check missed still cannot be fetched: git may use only
  // local repositories, and HTTP goes to a proxy that is not there.
  const env = options.allowRemote ? process.env : { ...process.env, GIT_ALLOW_PROTOCOL: 'file', HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', NO_PROXY: '', no_proxy: '' };
  // child_process (with net, dgram and streams: ~8 ms of a start) is loaded only to render a kustomization.
  const { execFile } = await import('node:child_process');
  return new Promise((done) => {
    execFile('kubectl', ['kustomize', dir], { maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGKILL', env }, (error, stdout, stderr) => {
      if (!error) done({ ok: true, yaml: stdout });
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT') done({ ok: false, error: 'folder has a kustomization but kubectl is not installed, so it cannot be rendered (install kubectl, or render it yourself and pipe it in: kubectl kustomize DIR | kspect scan -)' });
      else if (error.killed) done({ ok: false, error: `kubectl kustomize did not finish within ${timeoutMs / 1000} s; not rendered` });
      else done({ ok: false, error: `kubectl kustomize failed: ${kubectlError(stderr) || error.message.split('\n')[0] || 'unknown error'}` });
    });
  });
}

/** Fields of a kustomization whose entries are paths or URLs of other kustomizations or resources. */
const KUSTOMIZE_REFERENCES = ['resources', 'bases', 'components', 'crds'] as const;
const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|[a-z][a-z0-9+.-]*::)/i;

/**
 * The first reference of a kustomization (or of the local kustomizations it includes) that kustomize would fetch
 * from the network: a URL, a git address, a path that does not exist here (kustomize tries those as remote
 * repositories), or a Helm chart with a repository. Undefined when all is local.
 */
export async function findRemoteReference(dir: string, kustomizationName: string, seen = new Set<string>()): Promise<{ file: string; message: string } | undefined> {
  const real = await realpath(dir).catch(() => dir);
  if (seen.has(real) || seen.size > 1000) return undefined;
  seen.add(real);
  const file = join(dir, kustomizationName);
  let doc: unknown;
  try {
    // Loaded here, not by every scan: the `yaml` package is about 60 CommonJS modules.
    const { parse: parseYaml } = await import('yaml');
    doc = parseYaml((await readRegularFile(file, { max: 1024 * 1024 })).toString('utf8'), { maxAliasCount: 100 });
  } catch {
    return undefined; // kustomize reports its own syntax errors
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const k = doc as Record<string, unknown>;
  for (const field of KUSTOMIZE_REFERENCES) {
    const list = k[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry !== 'string') continue;
      const what = field.replace(/s$/, '');
      if (URL_LIKE.test(entry)) return { file, message: `${what} "${entry}" is remote: kustomize would fetch it from the network` };
      const target = resolve(dir, entry);
      const st = await stat(target).catch(() => undefined);
      if (!st) return { file, message: `${what} "${entry}" is not here: kustomize would try to fetch it as a remote repository` };
      if (st.isDirectory()) {
        const names = await readdir(target).catch(() => [] as string[]);
        const inner = KUSTOMIZATION.find((n) => names.includes(n));
        if (inner) {
          const r = await findRemoteReference(target, inner, seen);
          if (r) return r;
        }
      }
    }
  }
  const charts = k.helmCharts;
  if (Array.isArray(charts)) {
    for (const c of charts) {
      const repo = c && typeof c === 'object' ? (c as Record<string, unknown>).repo : undefined;
      if (typeof repo === 'string' && repo !== '') return { file, message: `helm chart repository "${repo}" is remote: kustomize would fetch the chart from the network` };
    }
  }
  return undefined;
}
