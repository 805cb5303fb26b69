/**
 * Reading manifests from files, folders (recursive), globs, stdin, kustomize folders and Helm charts.
 * Every file that cannot be read or understood becomes a Problem naming it; the rest is still read.
 */
import { execFile } from 'node:child_process';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Problem, SourceRef } from '../core/finding.js';
import { compilePathGlob } from '../core/glob.js';
import type { K8sObject } from '../model/object.js';
import { fileTypeText, readErrorText, ReadRefusedError, readRegularFile } from './safe-read.js';
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

  /** Parse a file's bytes; its objects are handed over (`hand`) by the caller once it no longer holds the bytes. */
  const parseText = (buf: Buffer, file: string, source: SourceRef): readonly K8sObject[] => {
    const text = decode(buf, file, out.problems);
    if (text === undefined) return [];
    const parsed = parseManifests(text, file, source, limits);
    (out as { count: number }).count += parsed.objects.length;
    appendAll(out.problems, parsed.problems);
    (out as { skipped: number }).skipped += parsed.skipped;
    return parsed.objects;
  };
  // Handed over when neither the bytes nor the text of the file are held any more: a streaming runner judges a large
  // file's objects without its text alive beside them.
  const hand = (objects: readonly K8sObject[], file: string): void => {
    if (!options.onObjects) appendAll(out.objects, objects);
    else if (objects.length > 0) options.onObjects(objects, file);
  };
  const addText = (buf: Buffer, file: string, source: SourceRef): void => {
    hand(parseText(buf, file, source), file);
  };

  /** Read and parse one file: its bytes are no longer held when this returns. */
  const readParsed = async (abs: string, file: string): Promise<readonly K8sObject[]> => {
    let buf: Buffer;
    try {
      buf = await readRegularFile(abs, { max });
    } catch (e) {
      if (e instanceof ReadRefusedError && e.code === 'EFBIG') out.problems.push({ code: 'file-too-large', severity: 'error', file, message: `file ${e.message} (--max-file-size); not read` });
      else out.problems.push({ code: 'not-readable', severity: 'error', file, message: `cannot read: ${errnoText(e)}` });
      return [];
    }
    out.files.push(file);
    return parseText(buf, file, { type: 'file', uri: file });
  };

  const readOne = async (abs: string): Promise<void> => {
    const file = display(abs);
    hand(await readParsed(abs, file), file);
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
      hand(await readStdinParsed(options.readStdin), '<stdin>');
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
  // Nothing read is not a clean result: a gate must not pass on an empty folder or a pipe that carried an error.
  // Said once, and only when no other error already explains it (an unreadable file, a pattern matching nothing).
  if (inputs.length > 0 && out.count === 0 && options.allowEmpty !== true && !out.problems.some((p) => p.severity === 'error')) {
    const what = out.files.length === 0 ? 'no manifest file' : out.skipped > 0 ? `${counted(out.skipped, 'document')}, none of them a Kubernetes object` : 'no Kubernetes object';
    out.problems.push({ code: 'nothing-to-scan', severity: 'error', message: `nothing to scan: ${inputs.map((i) => (i === '-' ? 'standard input' : i)).join(', ')} held ${what} (--allow-empty accepts that)` });
  }
  return out;
}

/** Decode UTF-8 strictly; binary files (NUL bytes) and invalid UTF-8 are problems. */
function decode(buf: Buffer, file: string, problems: Problem[]): string | undefined {
  const nul = buf.indexOf(0);
  if (nul >= 0 && !isUtf16(buf)) {
    problems.push({ code: 'binary', severity: 'error', file, line: lineAt(buf, nul), message: `binary content (NUL byte at offset ${nul}); not a YAML or JSON file` });
    return undefined;
  }
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text;
  } catch {
    const bad = firstInvalidUtf8(buf);
    problems.push({ code: 'invalid-utf8', severity: 'error', file, line: lineAt(buf, bad), message: `invalid UTF-8 at byte offset ${bad}` });
    return undefined;
  }
}

function isUtf16(buf: Buffer): boolean {
  return buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff));
}

function lineAt(buf: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < buf.length; i++) if (buf[i] === 10) line++;
  return line;
}

function firstInvalidUtf8(buf: Buffer): number {
  const dec = new TextDecoder('utf-8', { fatal: true });
  // Binary search the longest valid prefix.
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      dec.decode(buf.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
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
export function kubectlKustomize(dir: string, options: { allowRemote?: boolean; timeoutMs?: number } = {}): Promise<{ ok: true; yaml: string } | { ok: false; error: string }> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  // Without --allow-remote, a remote reference the static check missed still cannot be fetched: git may use only
  // local repositories, and HTTP goes to a proxy that is not there.
  const env = options.allowRemote ? process.env : { ...process.env, GIT_ALLOW_PROTOCOL: 'file', HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', NO_PROXY: '', no_proxy: '' };
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
