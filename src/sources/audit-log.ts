/**
 * Reading what `kspect audit` judges: audit logs as kube-apiserver writes them with --audit-log-path (JSON lines),
 * also gzip-compressed rotations (detected by their magic bytes) and stdin, streamed line by line at constant
 * memory; and small text inputs (policy and rule files). A folder stands for its files, oldest first, as the
 * k8saudit plugin reads it. Whatever cannot be read becomes one Problem naming the file; the rest is still read.
 * Every file goes through safe-read.ts: FIFOs, devices and sockets are refused by type before they are read.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Problem } from '../core/finding.js';
import { fileTypeText as fileTypeOf, openRegularFile, readErrorText, readRegularFile, readStreamLimited, ReadRefusedError, sizeText } from './safe-read.js';

/** Longest line read (bigger ones are skipped with a problem): kube-apiserver's default max event size is far below. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Largest policy or rule file read. */
export const DEFAULT_MAX_TEXT_BYTES = 16 * 1024 * 1024;

export interface AuditInputOptions {
  /** Base for display names (default: process.cwd()). */
  readonly cwd?: string;
  /** stdin for `-` (default: process.stdin). */
  readonly stdin?: AsyncIterable<Buffer | string>;
  readonly maxLineBytes?: number;
}

function display(cwd: string, p: string): string {
  const r = relative(cwd, p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
}

/** Read a small text file (or stdin for `-`). */
export async function readTextInput(path: string, options: AuditInputOptions & { readonly maxBytes?: number } = {}): Promise<{ file: string; text?: string; problem?: Problem }> {
  const cwd = options.cwd ?? process.cwd();
  const max = options.maxBytes ?? DEFAULT_MAX_TEXT_BYTES;
  if (path === '-') {
    const data = await readStreamLimited(options.stdin ?? (process.stdin as AsyncIterable<Buffer>), max);
    if (data.length > max) return { file: '<stdin>', problem: { code: 'file-too-large', severity: 'error', file: '<stdin>', message: `is over the ${sizeText(max)} limit; not read` } };
    return { file: '<stdin>', text: decodeText(data) };
  }
  const file = display(cwd, resolve(cwd, path));
  try {
    return { file, text: decodeText(await readRegularFile(path, { max })) };
  } catch (e) {
    return { file, problem: refusal(file, e) };
  }
}

/** The one problem line for a file that could not be read: its type, its size or the system's reason. */
function refusal(file: string, e: unknown): Problem {
  if (e instanceof ReadRefusedError) return { code: e.code === 'EFBIG' ? 'file-too-large' : 'not-readable', severity: 'error', file, message: e.message };
  return { code: 'not-readable', severity: 'error', file, message: `cannot read: ${readErrorText(e)}` };
}

function decodeText(b: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(b);
}

export interface LineStats {
  readonly files: readonly string[];
  readonly bytes: number;
  readonly lines: number;
  readonly problems: readonly Problem[];
}

/** Called for every non-empty line; `file` is the display name, `line` counts from 1. */
export type LineSink = (text: string, file: string, line: number) => void;

const NL = 0x0a;

/**
 * Split a byte stream into lines and hand each to `sink`, holding at most one partial line in memory.
 * Lines longer than `maxLine` are skipped (counted in the returned number).
 */
async function splitLines(stream: AsyncIterable<Buffer | string>, file: string, sink: LineSink, maxLine: number): Promise<{ bytes: number; lines: number; tooLong: number; firstTooLong?: number }> {
  let carry: Buffer | undefined;
  let carryTooLong = false;
  let lineNo = 0;
  let bytes = 0;
  let tooLong = 0;
  let firstTooLong: number | undefined;
  const emit = (buf: Buffer, start: number, end: number): void => {
    lineNo++;
    let e = end;
    if (e > start && buf[e - 1] === 0x0d) e--;
    if (e > start) sink(buf.toString('utf8', start, e), file, lineNo);
  };
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buf.length;
    let start = 0;
    let nl = buf.indexOf(NL, 0);
    while (nl >= 0) {
      if (carry !== undefined || carryTooLong) {
        if (carryTooLong || (carry?.length ?? 0) + nl > maxLine) {
          lineNo++;
          tooLong++;
          firstTooLong ??= lineNo;
        } else {
          const whole = Buffer.concat([carry ?? Buffer.alloc(0), buf.subarray(0, nl)]);
          emit(whole, 0, whole.length);
        }
        carry = undefined;
        carryTooLong = false;
      } else if (nl - start > maxLine) {
        lineNo++;
        tooLong++;
        firstTooLong ??= lineNo;
      } else emit(buf, start, nl);
      start = nl + 1;
      nl = buf.indexOf(NL, start);
    }
    if (start < buf.length) {
      if (carryTooLong) continue;
      const rest = buf.subarray(start);
      if ((carry?.length ?? 0) + rest.length > maxLine) {
        carry = undefined;
        carryTooLong = true;
      } else carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
    }
  }
  if (carryTooLong) {
    lineNo++;
    tooLong++;
    firstTooLong ??= lineNo;
  } else if (carry && carry.length > 0) emit(carry, 0, carry.length);
  return { bytes, lines: lineNo, tooLong, ...(firstTooLong !== undefined ? { firstTooLong } : {}) };
}

/**
 * A file's stream, gunzipped when it starts with the gzip magic bytes. The file is opened once, as a regular file
 * (safe-read.ts): a FIFO or device is refused before anything is read, and one swapped in later is never opened.
 */
async function openMaybeGzip(path: string): Promise<AsyncIterable<Buffer>> {
  const head = Buffer.alloc(2);
  const { handle } = await openRegularFile(path);
  try {
    await handle.read(head, 0, 2, 0);
  } catch (e) {
    await handle.close();
    throw e;
  }
  const raw = handle.createReadStream({ start: 0, highWaterMark: 1024 * 1024 });
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    raw.on('error', (e) => gunzip.destroy(e));
    gunzip.on('error', () => raw.destroy());
    return raw.pipe(gunzip);
  }
  return raw;
}

async function* maybeGunzipStdin(stdin: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const it = stdin[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done === true) return;
  const firstBuf = typeof first.value === 'string' ? Buffer.from(first.value) : first.value;
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield firstBuf;
    for (;;) {
      const n = await it.next();
      if (n.done === true) return;
      yield typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
    }
  };
  if (firstBuf[0] === 0x1f && firstBuf[1] === 0x8b) {
    const gunzip = createGunzip();
    yield* Readable.from(rest()).pipe(gunzip) as AsyncIterable<Buffer>;
    return;
  }
  yield* rest();
}

/**
 * The files an input stands for: the file, or a folder's regular files oldest first. Inside a folder, links are not
 * followed (a rotation folder holds files; a link may lead out of it) and other types are refused, each in one line.
 */
async function expand(path: string, cwd: string, problems: Problem[]): Promise<string[]> {
  try {
    const st = await stat(path);
    if (!st.isDirectory()) return [path];
    const entries: { p: string; m: number }[] = [];
    for (const name of (await readdir(path)).sort()) {
      const p = join(path, name);
      const s = await lstat(p).catch(() => undefined);
      if (s?.isFile()) entries.push({ p, m: s.mtimeMs });
      else if (s !== undefined && !s.isDirectory())
        problems.push({ code: 'not-readable', severity: 'error', file: display(cwd, p), message: s.isSymbolicLink() ? 'is a symbolic link inside a log folder: not followed (name its target instead)' : fileTypeOf(s) });
    }
    return entries.sort((a, b) => a.m - b.m || (a.p < b.p ? -1 : 1)).map((e) => e.p);
  } catch (e) {
    problems.push({ code: 'not-readable', severity: 'error', file: display(cwd, path), message: `cannot read: ${readErrorText(e)}` });
    return [];
  }
}

/**
 * Stream every line of every input (`-` is stdin) to `sink`, in order. Memory stays constant whatever the size:
 * only the current chunk and one partial line are held.
 */
export async function streamAuditLogLines(inputs: readonly string[], sink: LineSink, options: AuditInputOptions = {}): Promise<LineStats> {
  const cwd = options.cwd ?? process.cwd();
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const problems: Problem[] = [];
  const files: string[] = [];
  let bytes = 0;
  let lines = 0;
  const read = async (stream: AsyncIterable<Buffer | string>, file: string): Promise<void> => {
    files.push(file);
    try {
      const r = await splitLines(stream, file, sink, maxLine);
      bytes += r.bytes;
      lines += r.lines;
      if (r.tooLong > 0)
        problems.push({ code: 'line-too-long', severity: 'error', file, ...(r.firstTooLong !== undefined ? { line: r.firstTooLong } : {}), message: `${r.tooLong} line${r.tooLong === 1 ? '' : 's'} longer than ${maxLine} bytes skipped` });
    } catch (e) {
      const code = e && typeof e === 'object' && 'code' in e ? String(e.code) : '';
      // zlib's errors (Z_BUF_ERROR for a cut-off file, Z_DATA_ERROR for a damaged one) carry the words in the message.
      const why = code.startsWith('Z_') ? `corrupt gzip: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : code}` : `cannot read: ${readErrorText(e)}`;
      problems.push({ code: 'not-readable', severity: 'error', file, message: `${why}; the lines before it were read` });
    }
  };
  for (const input of inputs) {
    if (input === '-') {
      await read(maybeGunzipStdin(options.stdin ?? (process.stdin as AsyncIterable<Buffer>)), '<stdin>');
      continue;
    }
    for (const path of await expand(input, cwd, problems)) {
      const file = display(cwd, path);
      let stream: AsyncIterable<Buffer>;
      try {
        stream = await openMaybeGzip(path);
      } catch (e) {
        problems.push(refusal(file, e));
        continue;
      }
      await read(stream, file);
    }
  }
  return { files, bytes, lines, problems };
}
