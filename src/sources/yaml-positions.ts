/**
 * Compact positions of parsed manifests. Instead of keeping a YAML syntax tree per object, a document keeps a
 * segment of a shared typed array (DocPositions): the source offset of every node of its value, in pre-order (a
 * map's entries in `Object.keys` order, pointing at the key; a sequence item or the root pointing at the node).
 * Offsets become line and column only when a finding asks, through the file's table of line starts (LineTable).
 */
import type { FileLocation, SourceRef } from '../core/finding.js';
import type { Origin } from '../model/object.js';
import { parsePath, type PathSegment } from '../model/path.js';

/** Lines per group of a compact LineTable. */
const GROUP = 64;

/**
 * Line starts of one text, to turn offsets into 1-based line and column. Kept compact, as a file's table lives as
 * long as its objects (a million lines for 20,000 objects): the start of every GROUP-th line in an Int32Array and
 * each line's start from its group's in a Uint16Array, half of an Int32Array per line; a text whose lines run
 * longer (a group of lines spanning 64 KiB: one-line JSON) keeps every start in an Int32Array.
 */
export class LineTable {
  /** Every line's start, or, when `low` is set, every GROUP-th line's. */
  private readonly starts: Int32Array;
  /** Each line's start minus its group's. */
  private readonly low: Uint16Array | undefined;
  private readonly count: number;
  /** Lines before the text in its file (a part of a large file parsed on its own, manifest-file.ts): added to lines. */
  readonly lineBase: number;

  constructor(text: string, lineBase = 0) {
    this.lineBase = lineBase;
    let count = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Int32Array(count);
    let k = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
    const compact = LineTable.compact(starts);
    this.starts = compact?.marks ?? starts;
    this.low = compact?.low;
    this.count = count;
  }

  private static compact(starts: Int32Array): { marks: Int32Array; low: Uint16Array } | undefined {
    const n = starts.length;
    if (n <= GROUP) return undefined;
    const marks = new Int32Array(Math.ceil(n / GROUP));
    const low = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      const mark = starts[i - (i % GROUP)] ?? 0;
      const d = (starts[i] ?? 0) - mark;
      if (d > 0xffff) return undefined;
      if (i % GROUP === 0) marks[i / GROUP] = mark;
      low[i] = d;
    }
    return { marks, low };
  }

  /** A table from the line starts of another (a parse worker's, sent as a transferable array). */
  static fromStarts(starts: Int32Array, lineBase = 0): LineTable {
    const compact = LineTable.compact(starts);
    const table = Object.create(LineTable.prototype) as { starts: Int32Array; low: Uint16Array | undefined; count: number; lineBase: number };
    table.lineBase = lineBase;
    table.starts = compact?.marks ?? starts;
    table.low = compact?.low;
    table.count = starts.length;
    return table as unknown as LineTable;
  }

  /** The offsets at which lines start (a new array when the table is compact: a parse worker transfers it). */
  get lineStarts(): Int32Array {
    const low = this.low;
    if (low === undefined) return this.starts;
    const out = new Int32Array(this.count);
    for (let i = 0; i < out.length; i++) out[i] = (this.starts[Math.floor(i / GROUP)] ?? 0) + (low[i] ?? 0);
    return out;
  }

  /** 1-based line and column (in UTF-16 code units, as the `yaml` package counts) of an offset. */
  position(offset: number): { line: number; column: number } {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((s[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const low = this.low;
    if (low === undefined) return { line: lo + 1 + this.lineBase, column: offset - (s[lo] ?? 0) + 1 };
    // Within the group of lines starting at mark `lo`.
    const mark = s[lo] ?? 0;
    const d = offset - mark;
    let a = lo * GROUP;
    let b = Math.min(a + GROUP, this.count) - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if ((low[mid] ?? 0) <= d) a = mid;
      else b = mid - 1;
    }
    return { line: a + 1 + this.lineBase, column: d - (low[a] ?? 0) + 1 };
  }
}

/**
 * The positions of parsed documents: an array the offsets of several documents of one file share (an array of its
 * own per document costs more in headers than a small document's offsets take, and a record per document 56 bytes).
 * A document's segment starts at its `base` with two header numbers giving the document's start in the text; its
 * records follow, each an offset from that start. In a Uint16Array (every document shorter than 64 KiB: half the
 * memory) the start is split in its high and low 16 bits; in an Int32Array it is the first number.
 */
export interface DocPositions {
  readonly file: string;
  readonly lines: LineTable;
  readonly offsets: Int32Array | Uint16Array;
}

/** Header numbers before a document's records in `DocPositions.offsets`. */
const HEADER = 2;
/** Largest offset from its document's start a Uint16Array holds. */
const SMALL_MAX = 0xffff;

/** The text offset of `record` of the document whose segment starts at `base`. */
export function offsetAt(offsets: Int32Array | Uint16Array, base: number, record: number): number {
  const start = offsets instanceof Uint16Array ? (offsets[base] ?? 0) * 0x10000 + (offsets[base + 1] ?? 0) : (offsets[base] ?? 0);
  return start + (offsets[base + HEADER + record] ?? 0);
}

/** One kind of shared array being filled. */
class ArenaChunk<A extends Int32Array | Uint16Array> {
  private chunk: A;
  private used = 0;
  /** The positions that point at `chunk` (one object: its array is replaced when cut to size). */
  private holder: { file: string; lines: LineTable; offsets: Int32Array | Uint16Array } | undefined;

  constructor(
    private readonly make: (length: number) => A,
    private readonly file: string,
    private readonly lines: LineTable,
  ) {
    this.chunk = make(0);
  }

  /** Copy in a document's header and records (`offsets` minus `start`); returns its positions and base. */
  add(offsets: Int32Array, start: number, header: readonly number[]): { positions: DocPositions; base: number } {
    const need = HEADER + offsets.length;
    if (this.used + need > this.chunk.length || this.holder === undefined) {
      this.seal();
      this.chunk = this.make(Math.max(need, Math.min(1 << 16, Math.max(1024, this.chunk.length * 2))));
      this.holder = { file: this.file, lines: this.lines, offsets: this.chunk };
    }
    const c = this.chunk;
    const base = this.used;
    c[base] = header[0] ?? 0;
    c[base + 1] = header[1] ?? 0;
    for (let i = 0, w = base + HEADER; i < offsets.length; i++, w++) c[w] = (offsets[i] ?? 0) - start;
    this.used += need;
    return { positions: this.holder, base };
  }

  /** Done with the current array (full, or the file ends): it is cut to what it holds. */
  seal(): void {
    if (this.holder !== undefined && this.used < this.chunk.length) this.holder.offsets = this.chunk.slice(0, this.used);
    this.holder = undefined;
    this.chunk = this.make(0);
    this.used = 0;
  }
}

/** The offsets of a file's documents packed into shared arrays (see DocPositions). */
export class OffsetArena {
  private readonly small: ArenaChunk<Uint16Array>;
  private readonly large: ArenaChunk<Int32Array>;

  constructor(file: string, lines: LineTable) {
    this.small = new ArenaChunk((n) => new Uint16Array(n), file, lines);
    this.large = new ArenaChunk((n) => new Int32Array(n), file, lines);
  }

  /** The positions of a document starting at `start` in the text, its offsets (absolute) copied in. */
  add(offsets: Int32Array, start: number): { positions: DocPositions; base: number } {
    let small = start >= 0 && start <= 0x7fffffff;
    for (let i = 0; small && i < offsets.length; i++) {
      const r = (offsets[i] ?? 0) - start;
      small = r >= 0 && r <= SMALL_MAX;
    }
    return small ? this.small.add(offsets, start, [Math.floor(start / 0x10000), start % 0x10000]) : this.large.add(offsets, start, [start, 0]);
  }

  /** The file ends: its arrays are cut to what they hold. */
  seal(): void {
    this.small.seal();
    this.large.seal();
  }
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Scratch stack of `recordCount` (a synchronous walk: one at a time), kept to make no garbage per call. */
const pending: object[] = [];

/** Number of records of a value's subtree (itself included). */
export function recordCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 1;
  // Iterative: documents may nest thousands of levels deep. Keys by `for…in` with an own-property test: the order
  // of `Object.keys`, without an array of keys per object (a scan of 20,000 objects locates 143,000 findings).
  let n = 0;
  const base = pending.length;
  pending.push(value);
  while (pending.length > base) {
    const v = pending.pop() as Record<string, unknown>;
    n++;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'object' && x !== null) pending.push(x);
        else n++;
      }
    } else {
      for (const k in v) {
        if (!hasOwn(v, k)) continue;
        const x = v[k];
        if (typeof x === 'object' && x !== null) pending.push(x);
        else n++;
      }
    }
  }
  return n;
}

/** The record of `value`'s child `seg`, given the record of `value`; -1 when there is no such child. */
function childAt(value: unknown, record: number, seg: string | number): number {
  let r = record + 1;
  if (Array.isArray(value)) {
    if (typeof seg !== 'number' || seg < 0 || seg >= value.length) return -1;
    const items = value as unknown[];
    for (let i = 0; i < seg; i++) r += recordCount(items[i]);
    return r;
  }
  if (typeof value === 'object' && value !== null) {
    const key = String(seg);
    const o = value as Record<string, unknown>;
    if (!hasOwn(o, key)) return -1;
    for (const k in o) {
      if (!hasOwn(o, k)) continue;
      if (k === key) return r;
      r += recordCount(o[k]);
    }
  }
  return -1;
}

/** The record of `value`'s child `seg`, given the record of `value`; undefined when there is no such child. */
export function childRecord(value: unknown, record: number, seg: string | number): { value: unknown; record: number } | undefined {
  const r = childAt(value, record, seg);
  return r < 0 ? undefined : { value: (value as Record<string | number, unknown>)[seg], record: r };
}

/**
 * The records of a List's items, shared by their origins (each asks by its list index): not a closure per item
 * (80,000 items, ~9 MB held until the objects are let go).
 */
export interface ListRecords {
  recordOf(listIndex: number): number;
}

/**
 * A path's segments, kept for the paths located before (bounded): a run's findings locate a few paths over and over
 * (rbac risks: `roleRef` 86,000 times, between `subjects[i]` of other checks). Read only (never handed out).
 */
const SEGMENTS_MAX = 1000;
const segmentsByPath = new Map<string, readonly PathSegment[]>();
function segmentsOf(path: string): readonly PathSegment[] {
  let segments = segmentsByPath.get(path);
  if (segments === undefined) {
    segments = parsePath(path);
    if (segmentsByPath.size >= SEGMENTS_MAX) segmentsByPath.clear();
    segmentsByPath.set(path, segments);
  }
  return segments;
}

/**
 * What the origins of one document's objects share: its source, index and positions (one object per document, not
 * four fields in each of a List's 80,000 origins).
 */
export interface DocOrigin {
  readonly source: SourceRef;
  readonly docIndex: number;
  readonly positions: DocPositions;
  /** Where the document starts in `positions.offsets`. */
  readonly base: number;
}

/** The origin of an object read from text: locations come from its document's offsets. */
export class IndexedOrigin implements Origin {
  readonly listIndex?: number;

  constructor(
    private readonly doc: DocOrigin,
    listIndex: number | undefined,
    /** The record of the object's root among its document's, or (a List's items) how to find it by the item's index when first asked. */
    private root: number | ListRecords,
    /** The object's value (the record tree mirrors it). */
    private readonly value: unknown,
  ) {
    if (listIndex !== undefined) this.listIndex = listIndex;
  }

  get source(): SourceRef {
    return this.doc.source;
  }

  get docIndex(): number {
    return this.doc.docIndex;
  }

  /** Where the object's positions are: a parse worker sends these (arrays transferred, not copied). */
  get indexed(): { readonly positions: DocPositions; readonly base: number; readonly root: number } {
    return { positions: this.doc.positions, base: this.doc.base, root: this.rootRecord() };
  }

  private rootRecord(): number {
    if (typeof this.root !== 'number') this.root = this.root.recordOf(this.listIndex ?? 0);
    return this.root;
  }

  get location(): FileLocation {
    return this.at(this.rootRecord());
  }

  locate(path: string): FileLocation | undefined {
    let value = this.value;
    let record = this.rootRecord();
    for (const seg of segmentsOf(path)) {
      const child = childAt(value, record, seg);
      if (child < 0) break;
      value = (value as Record<string | number, unknown>)[seg];
      record = child;
    }
    return this.at(record);
  }

  private at(record: number): FileLocation {
    const { positions, base } = this.doc;
    const { line, column } = positions.lines.position(offsetAt(positions.offsets, base, record));
    return { file: positions.file, line, column };
  }
}

/** A growable buffer of offsets, reused from document to document. */
export class OffsetBuffer {
  private buf = new Int32Array(1024);
  length = 0;

  push(offset: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = offset;
  }

  /**
   * Reorder the trailing segments starting at `starts[0]` (each runs to the next start, the last to the end) into
   * the order `order` (indices into `starts`).
   */
  reorder(starts: readonly number[], order: readonly number[]): void {
    const first = starts[0];
    if (first === undefined) return;
    const copy = this.buf.slice(first, this.length);
    let w = first;
    for (const i of order) {
      const from = (starts[i] ?? first) - first;
      const to = (i + 1 < starts.length ? (starts[i + 1] ?? this.length) : this.length) - first;
      this.buf.set(copy.subarray(from, to), w);
      w += to - from;
    }
  }

  /** A copy of the offsets pushed so far, and an empty buffer. */
  take(): Int32Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    if (this.buf.length > 1 << 16) this.buf = new Int32Array(1024);
    return out;
  }
}
