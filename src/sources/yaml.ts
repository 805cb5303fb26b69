/**
 * Parse YAML/JSON text into Kubernetes objects exactly as kubectl and kube-apiserver decode it, each object
 * remembering where its fields came from.
 *
 * The text is split into documents as kubectl splits it (yaml-split.ts); each document is decoded with go-yaml
 * v2's YAML 1.1 scalar rules (yaml-go.ts) by the JSON scanner (yaml-json.ts) when it is plain JSON, the fast event
 * decoder (yaml-fast.ts) otherwise, or, for anything unusual, by the reference decoder on the `yaml` package
 * (yaml-reference.ts). No syntax tree is kept: an object holds its plain value and a compact array of offsets
 * (yaml-positions.ts). One broken document does not lose the others.
 */
import type { Problem, SourceRef } from '../core/finding.js';
import { isArray, isConfigFile, isObject, toK8sObject, type K8sObject, type Origin } from '../model/object.js';
import { decodeFast } from './yaml-fast.js';
import { decodeJson, forgetRecentStrings, looksLikeJson } from './yaml-json.js';
import { childRecord, IndexedOrigin, LineTable, OffsetArena, OffsetBuffer, recordCount, type DocOrigin, type ListRecords } from './yaml-positions.js';
import { decodeReference, type AliasBudget, type Decoded } from './yaml-reference.js';
import { splitDocuments } from './yaml-split.js';
import { forgetFastStrings } from './yaml-shapes.js';
import { redactorFor } from '../core/redact.js';

/** Limits that keep hostile input bounded. */
export interface ParseLimits {
  /**
   * Nodes one input may decode through aliases, over all its documents (the alias-bomb guard; go-yaml's own
   * limit on the ratio of aliased nodes applies to each document as well).
   */
  readonly maxAliasNodes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxAliasNodes: 200_000 };

export interface ParseOptions extends Partial<ParseLimits> {
  /** `reference` decodes every document with the `yaml` package (for differential tests and benchmarks). */
  readonly decoder?: 'fast' | 'reference';
  /** Makes the origin of each document; by default its positions in `file`. */
  readonly originFor?: (doc: DocumentInfo) => OriginFactory | undefined;
  /**
   * The text is a part of a larger one cut at a document boundary (manifest-file.ts `splitParts`): the documents and
   * lines before it, counted in indexes and positions.
   */
  readonly docBase?: number;
  readonly lineBase?: number;
}

/** What is known of one document when its objects' origins are made. */
export interface DocumentInfo {
  readonly docIndex: number;
  /** The document's text (its piece of the stream, comments included). */
  readonly text: string;
  readonly value: unknown;
}

/**
 * Makes the origin of an object of a document, from its value, its index in a List (if it came from one) and its
 * record in the document's offsets.
 */
export type OriginFactory = (raw: unknown, listIndex: number | undefined, record: number) => Origin;

/** A record, or (a List's items) how to find it when first asked (unless the JSON decoder numbered them, a walk of the whole List). */
type LazyRecord = number | ListRecords;

export interface ParsedText {
  readonly objects: K8sObject[];
  readonly problems: Problem[];
  /** Documents that were not Kubernetes objects. */
  readonly skipped: number;
}

const offsetBuffer = new OffsetBuffer();

/** Decode one document piece: the fast decoder when it can, else the reference. */
export function decodeDocument(text: string, base: number, budget: AliasBudget, decoder: 'fast' | 'reference' = 'fast'): Decoded {
  return decodeWithItems(text, base, budget, decoder).decoded;
}

/** `decodeDocument`, and the records of a List's items when the JSON decoder numbered them (decodeJson). */
function decodeWithItems(text: string, base: number, budget: AliasBudget, decoder: 'fast' | 'reference'): { decoded: Decoded; itemRecords?: readonly number[] } {
  if (decoder === 'fast') {
    if (looksLikeJson(text)) {
      const json = decodeJson(text, base, offsetBuffer);
      if (json) {
        const decoded: Decoded = { ok: true, value: json.value, offsets: offsetBuffer.take(), notes: [] };
        return json.itemRecords !== undefined ? { decoded, itemRecords: json.itemRecords } : { decoded };
      }
    }
    const fast = decodeFast(text, base, offsetBuffer);
    if (fast) return { decoded: { ok: true, value: fast.value, offsets: offsetBuffer.take(), notes: [] } };
  }
  return { decoded: decodeReference(text, base, budget) };
}

/**
 * Decode one text on its own (a kubeconfig, a settings file): as `decodeDocument`, then the decoders' tables of
 * strings are emptied, as after a file of manifests — none of its values (a kubeconfig's token) stays referenced there.
 */
export function decodeStandalone(text: string, budget: AliasBudget): Decoded {
  try {
    return decodeDocument(text, 0, budget);
  } finally {
    forgetStrings();
  }
}

/** Empty the decoders' tables of strings (after a file or a text decoded on its own): no value outlives its parse there. */
function forgetStrings(): void {
  forgetFastStrings();
  forgetRecentStrings();
}

/**
 * Parse every document of `text`. `file` names the input in problems and locations.
 */
export function parseManifests(text: string, file: string, source: SourceRef, options: ParseOptions = {}): ParsedText {
  const objects: K8sObject[] = [];
  const problems: Problem[] = [];
  let skipped = 0;
  const lines = new LineTable(text, options.lineBase ?? 0);
  const arena = new OffsetArena(file, lines);
  const budget: AliasBudget = { remaining: options.maxAliasNodes ?? DEFAULT_PARSE_LIMITS.maxAliasNodes };
  const at = (offset: number): { line: number; column: number } => lines.position(offset);
  let docIndex = (options.docBase ?? 0) - 1;

  for (const chunk of splitDocuments(text)) {
    docIndex++;
    const piece = text.slice(chunk.start, chunk.end);
    if (chunk.badSeparator) {
      problems.push({ code: 'yaml-separator', severity: 'error', file, ...at(chunk.start), message: 'a --- line followed by content: kubectl refuses it ("invalid Yaml document separator") and stops reading there' });
    }
    const { decoded: d, itemRecords: decodedItems } = decodeWithItems(piece, chunk.start, budget, options.decoder ?? 'fast');
    const redact = redactorFor(piece);
    if (!d.ok) {
      const where = d.offset !== undefined ? at(d.offset) : at(chunk.start);
      // Messages may quote input (alias and tag names, excerpts): never the value of a key such as token or password.
      problems.push({ code: d.code, severity: 'error', file, ...where, message: `${redact(d.message)} (document ${docIndex + 1} skipped)` });
      continue;
    }
    for (const note of d.notes) problems.push({ code: note.code, severity: note.severity, file, ...at(note.offset), message: redact(note.message) });
    if (d.value === null || d.value === undefined) continue; // an empty document
    const { positions, base } = arena.add(d.offsets, chunk.start);
    const custom = options.originFor?.({ docIndex, text: piece, value: d.value });
    const doc: DocOrigin = { source, docIndex, positions, base };
    const originOf = (raw: unknown, listIndex: number | undefined, record: LazyRecord): Origin =>
      custom ? custom(raw, listIndex, typeof record === 'number' ? record : record.recordOf(listIndex ?? 0)) : new IndexedOrigin(doc, listIndex, record, raw);
    const add = (raw: unknown, listIndex: number | undefined, record: number): void => {
      if (listIndex === undefined && isObject(raw) && typeof raw.kind === 'string' && raw.kind.endsWith('List') && isArray(raw.items)) {
        const items = childRecord(raw, record, 'items');
        const listItems = raw.items;
        // Numbered by the JSON decoder, else walked for all items at once, on the first location asked for (none, for a
        // question such as rbac can-i); one object for all the items (each origin asks by its list index), not a
        // closure each.
        const itemsRecord = items?.record ?? record;
        const numbered = decodedItems !== undefined && decodedItems.length === listItems.length && (decodedItems.length === 0 || decodedItems[0] === itemsRecord + 1) ? decodedItems : undefined;
        let records: readonly number[] | undefined;
        const listRecords: ListRecords = { recordOf: (i) => (records ??= numbered ?? itemRecords(listItems, itemsRecord))[i] ?? record };
        for (let i = 0; i < listItems.length; i++) addObject(listItems[i], i, listRecords);
        return;
      }
      addObject(raw, listIndex, record);
    };
    const addObject = (raw: unknown, listIndex: number | undefined, record: LazyRecord): void => {
      const origin = originOf(raw, listIndex, record);
      const obj = toK8sObject(raw, origin);
      if (!obj) {
        skipped++;
        return;
      }
      if (obj.metadata.name === '<unnamed>' && !isConfigFile(obj)) {
        const loc = origin.location;
        problems.push({ code: 'object-unnamed', severity: 'error', file: loc?.file ?? file, ...(loc ? { line: loc.line } : {}), column: 1, message: `${obj.kind} has no metadata.name` });
      }
      objects.push(obj);
    };
    add(d.value, undefined, 0);
  }
  forgetStrings();
  arena.seal();
  return { objects, problems, skipped };
}

/** Records of a List's items, in one pass (a List of 100,000 items must not cost a quadratic walk). */
function itemRecords(listValue: unknown, listRecord: number): number[] {
  const out: number[] = [];
  if (!Array.isArray(listValue)) return out;
  let r = listRecord + 1;
  for (const item of listValue as unknown[]) {
    out.push(r);
    r += recordCount(item);
  }
  return out;
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
