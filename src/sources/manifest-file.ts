/**
 * One manifest file from disk to objects: read it (only a regular file, within the size limit), decode it as strict
 * UTF-8 and parse every document. The loader does this in the main thread or, for a large input, in parse workers
 * (parse-pool.ts); both give the same objects and the same one-line problems.
 */
import type { Problem } from '../core/finding.js';
import type { K8sObject } from '../model/object.js';
import { readErrorText, ReadRefusedError, readRegularFile } from './safe-read.js';
import { parseManifests, type ParseLimits } from './yaml.js';
import { splitDocuments } from './yaml-split.js';

/** What reading and parsing one file gave. */
export interface ParsedFile {
  /** False when the file could not be read (it is then not among the files read). */
  readonly read: boolean;
  readonly objects: K8sObject[];
  readonly problems: Problem[];
  readonly skipped: number;
}

/** The one-line problem of a file that could not be read. */
export function readProblem(e: unknown, file: string): Problem {
  if (e instanceof ReadRefusedError && e.code === 'EFBIG') return { code: 'file-too-large', severity: 'error', file, message: `file ${e.message} (--max-file-size); not read` };
  return { code: 'not-readable', severity: 'error', file, message: `cannot read: ${readErrorText(e)}` };
}

/** Read and parse the file at `abs`, named `file` in problems and locations (its source is `{ type: 'file', uri: file }`). */
export async function readManifestFile(abs: string, file: string, options: { readonly max: number; readonly limits: ParseLimits }): Promise<ParsedFile> {
  const { read, text, problems } = await readManifestText(abs, file, options.max);
  if (text === undefined) return { read, objects: [], problems, skipped: 0 };
  const parsed = parseManifests(text, file, { type: 'file', uri: file }, options.limits);
  for (const p of parsed.problems) problems.push(p);
  return { read: true, objects: parsed.objects, problems, skipped: parsed.skipped };
}

/** A file's text (its bytes are not held once decoded), or the one-line problem of reading or decoding it. */
export async function readManifestText(abs: string, file: string, max: number): Promise<{ readonly read: boolean; readonly text?: string; readonly problems: Problem[] }> {
  let buf: Buffer;
  try {
    buf = await readRegularFile(abs, { max });
  } catch (e) {
    return { read: false, problems: [readProblem(e, file)] };
  }
  const problems: Problem[] = [];
  const text = decode(buf, file, problems);
  return text === undefined ? { read: true, problems } : { read: true, text, problems };
}

/**
 * A part of a large file's text, cut at a document boundary so that its documents parse on their own (in a parse
 * worker) exactly as they would in the whole text: its offsets in the text, and the documents and lines before it.
 */
export interface TextPart {
  readonly start: number;
  readonly end: number;
  readonly docBase: number;
  readonly lineBase: number;
}

/**
 * Cut `text` into parts of about `size` characters at document boundaries (the start of the line that separates two
 * pieces of the stream, yaml-split.ts), or undefined when it must be parsed whole: shorter than two parts, or with
 * an anchor (the alias budget, ParseLimits.maxAliasNodes, is counted over the whole text; without anchors, no alias
 * spends it, whatever the parts).
 */
export function splitParts(text: string, size: number): TextPart[] | undefined {
  if (text.length < 2 * size || hasAnchor(text)) return undefined;
  const parts: TextPart[] = [];
  let start = 0;
  let docBase = 0;
  let lineBase = 0;
  let docs = 0;
  let lastEnd = 0;
  for (const chunk of splitDocuments(text)) {
    // Cut before this piece (where the previous one ended: its separator line starts there) once the part is large.
    if (docs > 0 && lastEnd - start >= size && text.length - lastEnd >= size / 2) {
      parts.push({ start, end: lastEnd, docBase, lineBase });
      lineBase += countLines(text, start, lastEnd);
      docBase += docs;
      docs = 0;
      start = lastEnd;
    }
    docs++;
    lastEnd = chunk.end;
  }
  if (parts.length === 0) return undefined;
  parts.push({ start, end: text.length, docBase, lineBase });
  return parts;
}

/** Newlines in `text` from `start` to `end`. */
function countLines(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Whether the text may define a YAML anchor: an `&` at the start of a line or after a space, `[`, `{`, `,`, `-` or `:`,
 * followed by a character that can name one. Conservative (an `&` in such a place inside a quoted string counts too).
 */
export function hasAnchor(text: string): boolean {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    const before = i === 0 ? 10 : text.charCodeAt(i - 1);
    const after = text.charCodeAt(i + 1);
    const opens = before === 10 || before === 13 || before === 32 || before === 9 || before === 91 || before === 123 || before === 44 || before === 45 || before === 58;
    if (opens && i + 1 < text.length && after !== 32 && after !== 9 && after !== 10 && after !== 13 && after !== 44 && after !== 93 && after !== 125) return true;
  }
  return false;
}

/** Parse one part of a file's text (`splitParts`); the first part says the file was read. */
export function parsePart(text: string, file: string, part: Omit<TextPart, 'start' | 'end'>, limits: ParseLimits): ParsedFile {
  const parsed = parseManifests(text, file, { type: 'file', uri: file }, { ...limits, docBase: part.docBase, lineBase: part.lineBase });
  return { read: part.docBase === 0 && part.lineBase === 0, objects: parsed.objects, problems: parsed.problems, skipped: parsed.skipped };
}

/** Decode UTF-8 strictly; binary files (NUL bytes) and invalid UTF-8 are problems. */
export function decode(buf: Buffer, file: string, problems: Problem[]): string | undefined {
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

