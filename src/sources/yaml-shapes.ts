/**
 * What parsed values are made of, made small: strings shared and not views into the text, and plain objects of
 * exactly their size. Both decoders (yaml-fast.ts, yaml-json.ts) build their values here.
 *
 * Plain objects of exactly their size. A parsed value lives for the whole run, and V8 gives every object built as
 * `{}` and then filled room for four properties (56 bytes without pointer compression, as Node ships), more in a
 * separate array past four, and a slow dictionary past sixteen or so: labels `{app, tier}` take 56 bytes where 40
 * would do, `emptyDir: {}` 56 where 24 would. An object built by a constructor is cut to the properties its
 * constructor gave its first instances (V8's slack tracking). So the decoders collect a map's keys and values and
 * build it at its end, by one constructor per sequence of keys ("shape") once that shape has been seen twice:
 * 20–25 % less memory for the values of a typical manifest set.
 *
 * The objects stay plain: their prototype is `Object.prototype` (the constructor's `prototype` is that object, so
 * `constructor` is `Object`), their properties own, enumerable, writable and in the same order; nothing a check
 * or a test can tell apart from `{}` filled key by key. Keys are never turned into code: a constructor stores
 * `this[key]` for the keys of its shape. Shapes are a trie of keys, bounded (MAX_SHAPES nodes, MAX_SHAPE_KEYS keys
 * per map): past the bounds, and for `__proto__` keys, maps are built key by key as before.
 */
import { setOwn } from './yaml-go.js';

/** Maps with more keys are built key by key (V8 keeps at most about that many properties in an object). */
const MAX_SHAPE_KEYS = 24;
/** Trie nodes kept over a run (each a few hundred bytes with its constructor); further shapes are built key by key. */
const MAX_SHAPES = 20_000;

type Build = (values: readonly unknown[], from: number) => Record<string, unknown>;

interface Shape {
  /** The next key's shapes. */
  next: Map<string, Shape> | undefined;
  readonly parent: Shape | undefined;
  readonly key: string;
  /** A key occurs twice on the path: the map is a duplicate-key map (the decoders hand it to the reference). */
  readonly duplicate: boolean;
  /** `__proto__` is among the keys: built key by key (an assignment would set the prototype). */
  readonly proto: boolean;
  /** Maps of this shape seen (up to 2). */
  seen: number;
  build: Build | undefined;
  /** The child last found under this shape, and its key. */
  lastKey: string | undefined;
  last: Shape | undefined;
}

const root: Shape = { next: undefined, parent: undefined, key: '', duplicate: false, proto: false, seen: 0, build: undefined, lastKey: undefined, last: undefined };
let shapes = 1;

function child(parent: Shape, key: string): Shape | undefined {
  let next = parent.next;
  const hit = next?.get(key);
  if (hit !== undefined) {
    parent.lastKey = key;
    parent.last = hit;
    return hit;
  }
  if (shapes >= MAX_SHAPES) return undefined;
  let duplicate = parent.duplicate;
  for (let s: Shape | undefined = parent; !duplicate && s !== undefined && s !== root; s = s.parent) duplicate = s.key === key;
  const shape: Shape = { next: undefined, parent, key, duplicate, proto: parent.proto || key === '__proto__', seen: 0, build: undefined, lastKey: undefined, last: undefined };
  if (next === undefined) parent.next = next = new Map();
  next.set(key, shape);
  parent.lastKey = key;
  parent.last = shape;
  shapes++;
  return shape;
}

function constructorOf(shape: Shape): Build {
  const keys: string[] = [];
  for (let s: Shape | undefined = shape; s !== undefined && s !== root; s = s.parent) keys.push(s.key);
  keys.reverse();
  const n = keys.length;
  // A function, not a class: its `prototype` can be made Object.prototype, so its objects are plain objects.
  function ShapeOf(this: Record<string, unknown>, values: readonly unknown[], from: number): void {
    for (let i = 0; i < n; i++) this[keys[i] as string] = values[from + i];
  }
  ShapeOf.prototype = Object.prototype;
  const Ctor = ShapeOf as unknown as new (values: readonly unknown[], from: number) => Record<string, unknown>;
  return (values, from) => new Ctor(values, from);
}

/**
 * The object of the keys `keys[keysFrom..keysEnd)` and the values `values[valuesFrom..]` (as many), in that order;
 * undefined when a key occurs twice.
 */
export function buildObject(keys: readonly string[], keysFrom: number, keysEnd: number, values: readonly unknown[], valuesFrom: number): Record<string, unknown> | undefined {
  const n = keysEnd - keysFrom;
  let shape: Shape | undefined = n <= MAX_SHAPE_KEYS ? root : undefined;
  for (let i = keysFrom; shape !== undefined && i < keysEnd; i++) {
    // The child taken last from this shape first: the same key string (the decoders share equal strings) is nearly
    // always the one (an input's objects repeat their shapes), found without a Map lookup.
    const key = keys[i] as string;
    shape = shape.lastKey === key ? shape.last : child(shape, key);
  }
  if (shape === undefined) return byKey(keys, keysFrom, keysEnd, values, valuesFrom);
  if (shape.duplicate) return undefined;
  if (shape.build !== undefined) return shape.build(values, valuesFrom);
  // A shape seen once stays without a constructor (one-off label sets, say): built key by key.
  if (++shape.seen >= 2 && !shape.proto) {
    shape.build = constructorOf(shape);
    return shape.build(values, valuesFrom);
  }
  return byKey(keys, keysFrom, keysEnd, values, valuesFrom);
}

function byKey(keys: readonly string[], keysFrom: number, keysEnd: number, values: readonly unknown[], valuesFrom: number): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (let i = keysFrom, j = valuesFrom; i < keysEnd; i++, j++) {
    const key = keys[i] as string;
    if (Object.prototype.hasOwnProperty.call(out, key)) return undefined;
    setOwn(out, key, values[j]);
  }
  return out;
}

/**
 * V8 makes a slice of 13 characters or more a view into the text it came from: one such value kept by an object
 * keeps the whole file's text alive (19 MB at 20,000 objects). Values that long are copied out of the text.
 */
const SLICE_MIN = 13;
const ownCopy = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/**
 * Equal short string values of one file are one string: every document repeats `http`, `RuntimeDefault`, `100m`,
 * its image names … (12 MiB of copies at 20,000 objects, alive for the whole run). Bounded, and emptied by the
 * caller when the file is parsed (`forgetFastStrings`), so no value outlives the parse in this table.
 */
const INTERN_MAX_LENGTH = 64;
const INTERN_MAX_ENTRIES = 50_000;
const interned = new Map<string, string>();
function internValue(v: string): string {
  const hit = interned.get(v);
  if (hit !== undefined) return hit;
  const own = v.length >= SLICE_MIN ? ownCopy(v) : v;
  if (interned.size >= INTERN_MAX_ENTRIES) interned.clear();
  interned.set(own, own);
  return own;
}

/** `v` as a string of its own when V8 would keep it as a view into the text it was sliced from. */
export function ownString(v: string): string {
  return v.length >= SLICE_MIN ? ownCopy(v) : v;
}

/** A string value to keep: the file's one copy of it when short, else a copy of its own (never a view into the text). */
export function stringValue(v: string): string {
  return v.length <= INTERN_MAX_LENGTH ? internValue(v) : v.length >= SLICE_MIN ? ownCopy(v) : v;
}

/** Empty the table of equal string values (after a file is parsed). */
export function forgetFastStrings(): void {
  interned.clear();
}

/** How many values the table of equal strings holds (0 once a parse is over; for tests). */
export function fastStringsHeld(): number {
  return interned.size;
}
