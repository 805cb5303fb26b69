/**
 * The fast decoder: js-yaml 5's event parser (`parseEvents`, offsets only, no syntax tree) turned straight into
 * plain values (maps of exactly their size and shared strings, made by yaml-shapes.ts) and the compact offsets of
 * yaml-positions.ts, with the same go-yaml v2 scalar rules as the reference decoder. It takes only the common shape of manifests: anything unusual (anchors, aliases, tags,
 * `<<` merge keys, duplicate keys, long or multi-line keys, empty or block-scalar
 * items, a second document in a piece, values Kubernetes refuses, any parse error) makes it return undefined,
 * and the reference decoder (the `yaml` package) decodes the piece instead. A differential test over the corpus,
 * the examples, the conformance data and generated manifests holds it to exactly the reference's values and
 * positions.
 */
import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';
import { GoYamlError, isArrayIndexKey, plainValue, scalarKey } from './yaml-go.js';
import type { OffsetBuffer } from './yaml-positions.js';
import { buildObject, stringValue } from './yaml-shapes.js';

// js-yaml's CommonJS build: on Node 20 its ESM build runs parseEvents 3-4 times slower. Loaded with the first YAML
// piece: a JSON input (what `kubectl get -o json` writes) never needs it, and its load is ~10 ms of a run's start.
let parseEvents: typeof JsYaml.parseEvents | undefined;
/** Set with parseEvents (its events are what it reads). */
let getScalarValue: typeof JsYaml.getScalarValue;

function loadJsYaml(): typeof JsYaml {
  const jsyaml = createRequire(import.meta.url)('js-yaml') as typeof JsYaml;
  parseEvents = jsyaml.parseEvents;
  getScalarValue = jsyaml.getScalarValue;
  return jsyaml;
}

const DOCUMENT = 1;
const SEQUENCE = 2;
const MAPPING = 3;
const SCALAR = 4;
const POP = 6;
const PLAIN = 1;
const SINGLE_QUOTED = 2;
const DOUBLE_QUOTED = 3;

/** go-yaml's limit on implicit keys (and the `yaml` package's): longer ones are left to the reference. */
const MAX_KEY_LENGTH = 1024;
/** Deeper documents are left to the reference decoder (which applies go-yaml's own limit). */
const MAX_FAST_DEPTH = 1000;

interface Frame {
  readonly isMap: boolean;
  /** A map's key waits for its value. */
  pending: boolean;
  /** Where this map's entries start in `entryStarts`/`entryKeys`. */
  readonly entryBase: number;
  /** Where this collection's values start in `entryValues`. */
  readonly valueBase: number;
  /** Set when a key is an array index: JavaScript lists those first, so the offsets must be reordered. */
  indexKey: boolean;
}

// For each entry of the open maps: where its records start in the offsets, and its key. A map's entries are
// contiguous here, since a nested map is closed (and its entries dropped) before its parent's next key.
const entryStarts: number[] = [];
const entryKeys: string[] = [];
// The values of the open collections, likewise contiguous: a collection is built at its end (yaml-shapes.ts).
const entryValues: unknown[] = [];

/** Put the offsets of a map whose keys include array indices into `Object.keys` order. */
function reorderEntries(frame: Frame, map: Record<string, unknown>, offsets: OffsetBuffer): void {
  const starts = entryStarts.slice(frame.entryBase);
  const index = new Map<string, number>();
  entryKeys.slice(frame.entryBase).forEach((k, i) => index.set(k, i));
  const order = Object.keys(map).map((k) => index.get(k) ?? 0);
  offsets.reorder(starts, order);
}

class Fallback extends Error {}
const FALLBACK = new Fallback();

/**
 * Decode one piece (see yaml-split.ts) whose offset in the whole text is `base`. Returns its value (null for an
 * empty piece) with the offsets pushed into `offsets`, or undefined to hand the piece to the reference decoder.
 */
export function decodeFast(text: string, base: number, offsets: OffsetBuffer): { value: unknown } | undefined {
  offsets.length = 0;
  const parse = parseEvents ?? loadJsYaml().parseEvents;
  let events: JsYaml.Event[];
  try {
    events = parse(text, { maxDepth: MAX_FAST_DEPTH });
  } catch {
    return undefined;
  }
  try {
    return { value: walk(text, base, events, offsets) };
  } catch (e) {
    if (e instanceof Fallback || e instanceof GoYamlError) {
      offsets.length = 0;
      return undefined;
    }
    throw e;
  } finally {
    entryValues.length = 0;
  }
}

function walk(text: string, base: number, events: JsYaml.Event[], offsets: OffsetBuffer): unknown {
  entryStarts.length = 0;
  entryKeys.length = 0;
  entryValues.length = 0;
  const n = events.length;
  if (n === 0) return null;
  if (events[0]?.type !== DOCUMENT) throw FALLBACK;
  let i = 1;
  let root: unknown = null;
  let rootSet = false;
  const stack: Frame[] = [];
  let top: Frame | undefined;

  for (; i < n; i++) {
    const e = events[i] as JsYaml.Event;
    if (e.type === POP) {
      if (top === undefined) {
        // The document's end: anything after it is a second document.
        if (i + 1 < n) throw FALLBACK;
        break;
      }
      let done: unknown;
      if (top.isMap) {
        if (top.pending) throw FALLBACK;
        const map = buildObject(entryKeys, top.entryBase, entryKeys.length, entryValues, top.valueBase);
        if (map === undefined) throw FALLBACK; // a duplicate key
        if (top.indexKey) reorderEntries(top, map, offsets);
        entryStarts.length = top.entryBase;
        entryKeys.length = top.entryBase;
        done = map;
      } else {
        // An exact copy (a list grown by push keeps room for 16 more items: a one-item list would take 152 bytes
        // instead of 24). Parsed values live for the whole run.
        done = entryValues.slice(top.valueBase);
      }
      entryValues.length = top.valueBase;
      stack.pop();
      top = stack[stack.length - 1];
      if (top === undefined) root = done;
      else {
        entryValues.push(done);
        top.pending = false;
      }
      continue;
    }
    if (e.type === SCALAR) {
      if (e.anchorStart >= 0 || e.tagStart >= 0) throw FALLBACK;
      const style = e.style;
      if (top !== undefined && top.isMap && !top.pending) {
        // A key.
        if (e.valueStart < 0 || e.valueEnd - e.valueStart > MAX_KEY_LENGTH || style > DOUBLE_QUOTED) throw FALLBACK;
        // A key on more than one line goes to the reference parser. Looked for within the key only (at most
        // MAX_KEY_LENGTH): searching the text onwards cost the rest of the line per key — quadratic on one-line JSON.
        for (let k = e.valueStart; k < e.valueEnd; k++) if (text.charCodeAt(k) === 10) throw FALLBACK;
        const raw = e.fast ? text.slice(e.valueStart, e.valueEnd) : getScalarValue(text, e);
        let key: string;
        if (style === PLAIN) {
          if (raw === '<<') throw FALLBACK;
          key = scalarKey({ text: raw, plain: true, tag: '' });
        } else key = raw;
        // Duplicate keys are found when the map is built.
        if (isArrayIndexKey(key)) top.indexKey = true;
        entryStarts.push(offsets.length);
        entryKeys.push(key);
        offsets.push(base + (style === PLAIN ? e.valueStart : e.valueStart - 1));
        top.pending = true;
        continue;
      }
      let value: unknown;
      if (style === PLAIN) {
        value = plainValue(e.fast ? text.slice(e.valueStart, e.valueEnd) : getScalarValue(text, e));
      } else value = e.fast ? text.slice(e.valueStart, e.valueEnd) : getScalarValue(text, e);
      if (typeof value === 'string') value = stringValue(value);
      if (top === undefined && e.valueStart < 0 && style === PLAIN) {
        // An empty document (only comments, say): null, and no object.
        if (rootSet) throw FALLBACK;
        root = null;
        rootSet = true;
        continue;
      }
      if (top === undefined || !top.isMap) {
        // A sequence item or the root: its record is the node itself.
        if (e.valueStart < 0 || style > DOUBLE_QUOTED) throw FALLBACK;
        offsets.push(base + (style === SINGLE_QUOTED || style === DOUBLE_QUOTED ? e.valueStart - 1 : e.valueStart));
      }
      if (top === undefined) {
        if (rootSet) throw FALLBACK;
        root = value;
        rootSet = true;
      } else {
        entryValues.push(value);
        top.pending = false;
      }
      continue;
    }
    if (e.type === MAPPING || e.type === SEQUENCE) {
      if (e.anchorStart >= 0 || e.tagStart >= 0) throw FALLBACK;
      if (top !== undefined && top.isMap && !top.pending) throw FALLBACK; // a collection as a key
      if (top === undefined || !top.isMap) offsets.push(base + e.start);
      if (top === undefined) {
        if (rootSet) throw FALLBACK;
        rootSet = true;
      }
      top = { isMap: e.type === MAPPING, pending: false, entryBase: entryStarts.length, valueBase: entryValues.length, indexKey: false };
      stack.push(top);
      continue;
    }
    // An alias, or a document event where none is expected.
    throw FALLBACK;
  }
  if (stack.length > 0) throw FALLBACK;
  return root;
}
