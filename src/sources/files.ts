/**
 * Reading manifests from files, folders (recursive), globs, stdin and kustomize folders.
 * Every file that cannot be read or understood becomes a Problem naming it; the rest is still read.
 */
import { execFile } from 'node:child_process';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Problem, SourceRef } from '../core/finding.js';
import { compilePathGlob } from '../core/glob.js';
import type { K8sObject } from '../model/object.js';
import { DEFAULT_PARSE_LIMITS, parseManifests, type ParseLimits } from './yaml.js';

export interface LoadOptions {
  /** Largest file read, in bytes (default 64 MiB). */
  readonly maxFileSize?: number;
  readonly limits?: ParseLimits;
  /** Reads all of stdin, for `-`. */
  readonly readStdin?: () => Promise<Buffer>;
  /** Run `kubectl kustomize DIR`; injectable for tests. */
  readonly kustomize?: (dir: string) => Promise<{ ok: true; yaml: string } | { ok: false; error: string }>;
  /** Base for relative display names (default: process.cwd()). */
  readonly cwd?: string;
}

export interface Loaded {
  readonly objects: K8sObject[];
  readonly problems: Problem[];
  readonly skipped: number;
  /** Files actually read, in order. */
  readonly files: string[];
}

export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;
const MANIFEST_EXT = /\.(ya?ml|json)$/i;
const KUSTOMIZATION = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Load every input. Order of objects follows the order of inputs and of files within folders (sorted). */
export async function loadManifests(inputs: readonly string[], options: LoadOptions = {}): Promise<Loaded> {
  const cwd = options.cwd ?? process.cwd();
  const out: Loaded = { objects: [], problems: [], skipped: 0, files: [] };
  const display = (p: string): string => {
    const r = relative(cwd, p);
    return r === '' ? '.' : r.startsWith('..') ? p : r;
  };
  const max = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  const kustomize = options.kustomize ?? kubectlKustomize;

  const addText = (buf: Buffer, file: string, source: SourceRef): void => {
    const text = decode(buf, file, out.problems);
    if (text === undefined) return;
    const parsed = parseManifests(text, file, source, limits);
    out.objects.push(...parsed.objects);
    out.problems.push(...parsed.problems);
    (out as { skipped: number }).skipped += parsed.skipped;
  };

  const readOne = async (abs: string): Promise<void> => {
    const file = display(abs);
    try {
      const st = await stat(abs);
      if (st.size > max) {
        out.problems.push({ code: 'file-too-large', severity: 'error', file, message: `file is ${mib(st.size)}, over the ${mib(max)} limit (--max-file-size); not read` });
        return;
      }
      const buf = await readFile(abs);
      out.files.push(file);
      addText(buf, file, { type: 'file', uri: file });
    } catch (e) {
      out.problems.push({ code: 'not-readable', severity: 'error', file, message: `cannot read: ${errnoText(e)}` });
    }
  };

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
        st = await stat(child);
      } catch (e) {
        // A dangling symlink or a file that vanished.
        const l = await lstat(child).catch(() => undefined);
        if (l?.isSymbolicLink() && MANIFEST_EXT.test(name)) out.problems.push({ code: 'not-readable', severity: 'error', file: display(child), message: `cannot read: ${errnoText(e)}` });
        continue;
      }
      if (st.isDirectory()) await visitDir(child, seen);
      else if (st.isFile() && MANIFEST_EXT.test(name)) await readOne(child);
    }
  };

  for (const input of inputs) {
    if (input === '-') {
      if (!options.readStdin) {
        out.problems.push({ code: 'not-readable', severity: 'error', file: '<stdin>', message: 'standard input is not available' });
        continue;
      }
      const buf = await options.readStdin();
      if (buf.length > max) {
        out.problems.push({ code: 'file-too-large', severity: 'error', file: '<stdin>', message: `input is over the ${mib(max)} limit (--max-file-size); not read` });
        continue;
      }
      out.files.push('<stdin>');
      addText(buf, '<stdin>', { type: 'stdin', uri: '<stdin>' });
      continue;
    }
    if (/[*?[]/.test(input)) {
      const matches = await expandGlob(input, cwd);
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
    if (st.isDirectory()) await visitDir(abs, new Set());
    else await readOne(abs);
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

export function errnoText(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e) {
    const code = String((e).code);
    const text: Record<string, string> = {
      ENOENT: 'no such file or folder',
      EACCES: 'permission denied',
      EISDIR: 'is a folder',
      ELOOP: 'too many levels of symbolic links',
      ENOTDIR: 'not a folder',
    };
    return text[code] ?? code;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Expand a glob (`*`, `?`, `**`, `[..]`; see core/glob.ts) relative to cwd; results sorted, or why the pattern is invalid. */
export async function expandGlob(pattern: string, cwd: string): Promise<string[] | { readonly error: string }> {
  const abs = resolve(cwd, pattern);
  const parts = abs.split(sep);
  const firstMagic = parts.findIndex((p) => /[*?[]/.test(p));
  const base = parts.slice(0, firstMagic).join(sep) || sep;
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
      if (e.isSymbolicLink()) isDir = (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
      if (isDir) await walk(p, seen);
      else if (re.test(rel)) out.push(p);
    }
  };
  await walk(base, new Set());
  return out.sort();
}

async function isKustomizeComponent(file: string): Promise<boolean> {
  try {
    return /^kind:\s*Component\s*$/m.test(await readFile(file, 'utf8'));
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

/** Render a kustomize folder with `kubectl kustomize`. */
export function kubectlKustomize(dir: string): Promise<{ ok: true; yaml: string } | { ok: false; error: string }> {
  return new Promise((done) => {
    execFile('kubectl', ['kustomize', dir], { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) done({ ok: true, yaml: stdout });
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT') done({ ok: false, error: 'folder has a kustomization but kubectl is not installed, so it cannot be rendered (install kubectl, or render it yourself and pipe it in: kubectl kustomize DIR | kspect scan -)' });
      else done({ ok: false, error: `kubectl kustomize failed: ${kubectlError(stderr) || error.message.split('\n')[0] || 'unknown error'}` });
    });
  });
}
