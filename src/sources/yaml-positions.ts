/**
 * Compact positions of parsed manifests. Instead of keeping a YAML syntax tree per object, a document keeps one
 * Int32Array: the source offset of every node of its value, in pre-order (a map's entries in `Object.keys` order,
 * pointing at the key; a sequence item or the root pointing at the node). Offsets become line and column only
 * when a finding asks, through the file's table of line starts.
 */
import type { FileLocation, SourceRef } from '../core/finding.js';
import type { Origin } from '../model/object.js';
import { parsePath } from '../model/path.js';

/** Line starts of one text, to turn offsets into 1-based line and column. */
export class LineTable {
  private readonly starts: Int32Array;

  constructor(text: string) {
    let count = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Int32Array(count);
    let k = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
    this.starts = starts;
  }

  /** A table from the line starts of another (a parse worker's, sent as a transferable array). */
  static fromStarts(starts: Int32Array): LineTable {
    const table = Object.create(LineTable.prototype) as { starts: Int32Array };
    table.starts = starts;
    return table as unknown as LineTable;
  }

  /** The offsets at which lines start (shared, not copied: a parse worker transfers it). */
  get lineStarts(): Int32Array {
    return this.starts;
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
    return { line: lo + 1, column: offset - (s[lo] ?? 0) + 1 };
  }
}

/** The positions of one parsed document. */
export interface DocPositions {
  readonly file: string;
  readonly lines: LineTable;
  /** Pre-order offsets of the document's value, as described above, from `base` on (a file's documents share arrays). */
  readonly offsets: Int32Array;
  readonly base: number;
}

/**
 * The offsets of a file's documents packed into shared arrays: an array of its own per document costs more in
 * headers (the array, its buffer, the buffer's allocation) than a small document's offsets take.
 */
export class OffsetArena {
  private chunk = new Int32Array(0);
  private used = 0;
  /** The positions that share `chunk`. */
  private holders: { file: string; lines: LineTable; offsets: Int32Array; base: number }[] = [];

  constructor(
    private readonly file: string,
    private readonly lines: LineTable,
  ) {}

  /** The positions of a document, its offsets copied in. */
  add(offsets: Int32Array): DocPositions {
    if (this.used + offsets.length > this.chunk.length) {
      this.seal();
      this.chunk = new Int32Array(Math.max(offsets.length, Math.min(1 << 16, Math.max(1024, this.chunk.length * 2))));
    }
    this.chunk.set(offsets, this.used);
    const positions = { file: this.file, lines: this.lines, offsets: this.chunk, base: this.used };
    this.used += offsets.length;
    this.holders.push(positions);
    return positions;
  }

  /** Done with the current array (full, or the file ends): it is cut to what it holds. */
  seal(): void {
    if (this.used < this.chunk.length && this.holders.length > 0) {
      const exact = this.chunk.slice(0, this.used);
      for (const h of this.holders) h.offsets = exact;
    }
    this.holders = [];
    this.chunk = new Int32Array(0);
    this.used = 0;
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

/** The origin of an object read from text: locations come from its document's offsets. */
export class IndexedOrigin implements Origin {
  readonly docIndex: number;
  readonly listIndex?: number;

  constructor(
    readonly source: SourceRef,
    docIndex: number,
    listIndex: number | undefined,
    private readonly positions: DocPositions,
    /** The record of the object's root in `positions.offsets`, or how to find it when first asked. */
    private root: number | (() => number),
    /** The object's value (the record tree mirrors it). */
    private readonly value: unknown,
  ) {
    this.docIndex = docIndex;
    if (listIndex !== undefined) this.listIndex = listIndex;
  }

  /** Where the object's positions are: a parse worker sends these (arrays transferred, not copied). */
  get indexed(): { readonly positions: DocPositions; readonly root: number } {
    return { positions: this.positions, root: this.rootRecord() };
  }

  private rootRecord(): number {
    if (typeof this.root !== 'number') this.root = this.root();
    return this.root;
  }

  get location(): FileLocation {
    return this.at(this.rootRecord());
  }

  locate(path: string): FileLocation | undefined {
    let value = this.value;
    let record = this.rootRecord();
    for (const seg of parsePath(path)) {
      const child = childAt(value, record, seg);
      if (child < 0) break;
      value = (value as Record<string | number, unknown>)[seg];
      record = child;
    }
    return this.at(record);
  }

  private at(record: number): FileLocation {
    const { line, column } = this.positions.lines.position(this.positions.offsets[this.positions.base + record] ?? 0);
    return { file: this.positions.file, line, column };
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
