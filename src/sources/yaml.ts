/**
 * Parse YAML/JSON text into Kubernetes objects that remember where each field came from.
 * Documents are parsed one by one, so one broken document does not lose the others.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { FileLocation, Problem, SourceRef } from '../core/finding.js';
import { isArray, isConfigFile, isObject, toK8sObject, type K8sObject, type Origin } from '../model/object.js';
import { parsePath, type PathSegment } from '../model/path.js';
import { redactMessage } from '../core/redact.js';

/** Limits that keep hostile input bounded. */
export interface ParseLimits {
  /** Aliases a document may expand (billion-laughs guard). */
  readonly maxAliasCount: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxAliasCount: 100 };

export interface ParsedText {
  readonly objects: K8sObject[];
  readonly problems: Problem[];
  /** Documents that were not Kubernetes objects. */
  readonly skipped: number;
}

interface Located {
  readonly range?: [number, number, number] | null;
}

function nodeAt(doc: Document, segments: readonly PathSegment[]): Located | undefined {
  let cur: unknown = doc.contents;
  let best: Located | undefined = cur as Located | undefined;
  for (const seg of segments) {
    if (isMap(cur)) {
      const pair = cur.items.find((p) => {
        const k = p.key as { value?: unknown } | null;
        return (k && typeof k === 'object' && 'value' in k ? k.value : k) === seg;
      });
      if (!pair) break;
      // Point at the key: the line a reader looks for.
      const key = pair.key as Located | null;
      cur = pair.value;
      best = (cur as Located | null)?.range ? (key?.range ? key : (cur as Located)) : key ?? best;
    } else if (isSeq(cur) && typeof seg === 'number') {
      const item: unknown = cur.items[seg];
      if (item === undefined || item === null) break;
      cur = item;
      best = item;
    } else break;
  }
  return best;
}

/**
 * Parse every document of `text`. `file` names the input in problems and locations.
 */
export function parseManifests(text: string, file: string, source: SourceRef, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParsedText {
  const objects: K8sObject[] = [];
  const problems: Problem[] = [];
  let skipped = 0;
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    // logLevel error: the library's own warnings (printed with process.emitWarning) could quote input.
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: 'error' }) as Document.Parsed[];
  } catch (e) {
    problems.push({ code: 'yaml-syntax', severity: 'error', file, message: redactMessage(describeThrown(e), text) });
    return { objects, problems, skipped };
  }
  if (!Array.isArray(docs)) docs = [docs];
  const pos = (offset: number): FileLocation => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };

  const docText = (doc: Document.Parsed): string => text.slice(Math.max(0, doc.range[0]), Math.max(0, doc.range[2]));
  docs.forEach((doc, docIndex) => {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const where = e?.pos ? pos(e.pos[0]) : undefined;
      problems.push({
        code: e?.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax',
        severity: 'error',
        file,
        ...(where ? { line: where.line, column: where.column } : {}),
        // Messages may quote input (alias and tag names): never the value of a key such as token or password.
        message: `${/call stack/i.test(e?.message ?? '') ? 'nesting too deep to parse' : redactMessage(firstLine(e?.message ?? 'invalid YAML'), docText(doc))} (document ${docIndex + 1} skipped)`,
      });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (e) {
      const where = doc.range[0] >= 0 ? pos(doc.range[0]) : undefined;
      problems.push({ code: 'yaml-unsafe', severity: 'error', file, ...(where ? { line: where.line, column: where.column } : {}), message: `${redactMessage(describeThrown(e), docText(doc))} (document ${docIndex + 1} skipped)` });
      return;
    }
    if (value === null || value === undefined) return; // an empty document
    const docLoc = pos(doc.contents?.range[0] ?? doc.range[0]);
    const makeOrigin = (prefix: readonly PathSegment[], listIndex?: number): Origin => {
      const start = nodeAt(doc, prefix);
      const location = start?.range ? pos(start.range[0]) : docLoc;
      return {
        source,
        docIndex,
        ...(listIndex !== undefined ? { listIndex } : {}),
        location,
        locate(path: string): FileLocation | undefined {
          const n = nodeAt(doc, [...prefix, ...parsePath(path)]);
          return n?.range ? pos(n.range[0]) : location;
        },
      };
    };
    const add = (raw: unknown, prefix: readonly PathSegment[], listIndex?: number): void => {
      if (isObject(raw) && typeof raw.kind === 'string' && raw.kind.endsWith('List') && isArray(raw.items)) {
        raw.items.forEach((item, i) => { add(item, [...prefix, 'items', i], i); });
        return;
      }
      const origin = makeOrigin(prefix, listIndex);
      const obj = toK8sObject(raw, origin);
      if (!obj) {
        skipped++;
        return;
      }
      if (obj.metadata.name === '<unnamed>' && !isConfigFile(obj)) {
        problems.push({ code: 'object-unnamed', severity: 'error', file, line: origin.location?.line ?? docLoc.line, column: 1, message: `${obj.kind} has no metadata.name` });
      }
      objects.push(obj);
    };
    add(value, []);
  });
  return { objects, problems, skipped };
}

function firstLine(s: string): string {
  return s.split('\n')[0]?.trim() ?? s;
}

/** One line for an error thrown while parsing (alias bombs, stack overflows on deep nesting). */
export function describeThrown(e: unknown): string {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'nesting too deep to parse';
  if (e instanceof Error) {
    if (/alias/i.test(e.message)) return `too many aliases (a YAML alias bomb?): ${firstLine(e.message)}`;
    return firstLine(e.message);
  }
  return String(e);
}
