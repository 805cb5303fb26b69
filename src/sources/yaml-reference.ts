/**
 * The reference decoder: one document piece parsed by the `yaml` package, then decoded with go-yaml v2's rules
 * (yaml-go.ts) into a plain JSON value and its compact positions. It handles everything: anchors and aliases
 * (expanded like go-yaml, with its alias-ratio limit), tags, `<<` merge keys (applied in document order, later
 * keys overriding earlier ones, as go-yaml v2 does), duplicate keys (the last one wins, reported), keys JavaScript
 * would reorder, and errors. The syntax tree is dropped as soon as the piece is decoded.
 */
import type { Alias, Node, Scalar, Tags, YAMLMap, YAMLSeq } from 'yaml';
import { GoYamlError, isMergeKey, scalarIdentity, scalarKey, scalarValue, setOwn, TAG_PREFIX, type ScalarForm } from './yaml-go.js';
import { lazyModule } from '../engines/lazy.js';

/**
 * The `yaml` package, loaded on first use: most inputs never reach the reference parser (the fast front-end decodes
 * them), and a run that reads only a kubeconfig should not pay for loading it.
 */
const yaml = lazyModule<typeof import('yaml')>('yaml');
const isAlias = (n: unknown): n is Alias => yaml.isAlias(n);
const isMap = (n: unknown): n is YAMLMap => yaml.isMap(n);
const isScalar = (n: unknown): n is Scalar => yaml.isScalar(n);
const isSeq = (n: unknown): n is YAMLSeq => yaml.isSeq(n);

/** A problem in a piece that does not stop it from being decoded. */
export interface DecodeNote {
  readonly code: 'yaml-duplicate-key' | 'yaml-ignored-document';
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly offset: number;
}

export type Decoded =
  | { readonly ok: true; readonly value: unknown; readonly offsets: Int32Array; readonly notes: readonly DecodeNote[] }
  | { readonly ok: false; readonly code: 'yaml-syntax' | 'yaml-unsafe' | 'yaml-invalid'; readonly message: string; readonly offset?: number };

/** Bounds shared by all pieces of one input. */
export interface AliasBudget {
  /** Nodes that may still be decoded through aliases, over the whole input. */
  remaining: number;
}

/** go-yaml v2 refuses documents deeper than this (flow level and indentation). */
export const MAX_DEPTH = 10_000;

// Collection and scalar tags of YAML 1.1 that the `yaml` package would construct; go-yaml ignores tags on
// collections and resolves scalar tags itself, so here they all keep the node as it is.
const KEEP_TAGS: Tags = [
  ...['binary', 'bool', 'float', 'int', 'null', 'timestamp', 'merge', 'value', 'yaml'].map((t) => ({ tag: `${TAG_PREFIX}${t}`, resolve: (s: string) => s })),
  ...['set', 'omap', 'pairs'].map((t) => ({ tag: `${TAG_PREFIX}${t}`, collection: 'map' as const, resolve: (n: unknown) => n })),
  ...['set', 'omap', 'pairs'].map((t) => ({ tag: `${TAG_PREFIX}${t}`, collection: 'seq' as const, resolve: (n: unknown) => n })),
];

const PARSE_OPTIONS = { schema: 'failsafe', customTags: KEEP_TAGS, merge: false, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false } as const;

/**
 * Marks a value or map that the JSON conversion would refuse (see GoYamlError.atConversion); the document is
 * refused only if a mark is still in the final value.
 */
const POISON = Symbol('refused at JSON conversion');
type Poisoned = Record<symbol, GoYamlError>;

function poison(e: GoYamlError): Poisoned {
  return { [POISON]: e };
}

/** The first mark left in a decoded value, if any. */
function findPoison(value: unknown): GoYamlError | undefined {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const x of v as unknown[]) stack.push(x);
    else if (v !== null && typeof v === 'object') {
      const mark = (v as Poisoned)[POISON];
      if (mark) return mark;
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) stack.push(o[k]);
    }
  }
  return undefined;
}

/** A map being filled: its value, its positions, and go-yaml's key of each JSON key written so far. */
interface MapTarget {
  readonly obj: Record<string, unknown>;
  readonly kids: Map<string, Pos>;
  readonly goKeys: Map<string, string>;
}

/** Temporary position tree mirroring the value, flattened into offsets at the end. */
interface Pos {
  readonly off: number;
  kids?: Pos[] | Map<string, Pos>;
}

// go-yaml v2's limit on alias expansion relative to the document size.
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

class Decoder {
  private readonly aliasTargets = new Map<Alias, Node>();
  private readonly activeAliases = new Set<Alias>();
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private depth = 0;
  readonly notes: DecodeNote[] = [];
  private readonly noted = new Set<number>();

  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly budget: AliasBudget,
  ) {}

  /** Register anchors in document order, as go-yaml's parser does: an alias sees the latest anchor before it. */
  bindAliases(root: Node | null): void {
    const anchors = new Map<string, Node>();
    const stack: (Node | null | undefined)[] = [root];
    while (stack.length > 0) {
      const n = stack.pop();
      if (n === null || n === undefined) continue;
      if (isAlias(n)) {
        this.checkAnchorName(n.source, n);
        const target = anchors.get(n.source);
        if (!target) throw new GoYamlError('an alias refers to an unknown anchor', this.off(n));
        this.aliasTargets.set(n, target);
        continue;
      }
      if (n.anchor) {
        this.checkAnchorName(n.anchor, n);
        anchors.set(n.anchor, n);
      }
      if (n.tag) this.checkTagEnd(n);
      if (isMap(n)) {
        for (let i = n.items.length - 1; i >= 0; i--) {
          const p = n.items[i];
          stack.push(p?.value as Node | null, p?.key as Node | null);
        }
      } else if (isSeq(n)) {
        for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i] as Node | null);
      }
    }
  }

  /** go-yaml's scanner takes only letters, digits, `_` and `-` in anchor names; other names make it fail. */
  private checkAnchorName(name: string, n: Node): void {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new GoYamlError('an anchor name with characters other than letters, digits, _ and -: kubectl cannot read it', this.off(n));
  }

  /**
   * go-yaml's scanner reads a tag up to the first character that cannot be in a URI (`,` `[` `]` can) and then
   * wants a blank: `[a, !!str, b]` or `{a: !!str}` mean something else to kubectl (or nothing) than to a YAML 1.2
   * parser. A tag glued to what follows it is refused.
   */
  private checkTagEnd(n: Node): void {
    const start = n.range?.[0];
    if (start === undefined || start === 0 || start >= this.text.length) return;
    const blank = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
    const before = this.text.charCodeAt(start - 1);
    const at = this.text.charCodeAt(start);
    if (blank(before) || blank(at)) return;
    const uri = /[0-9A-Za-z_\-;/?:@&=+$,.!~*'()[\]%]/.test(String.fromCharCode(at));
    throw new GoYamlError(
      uri
        ? `a tag directly followed by '${String.fromCharCode(at)}': kubectl reads it as part of the tag (put a space after the tag)`
        : 'a tag not followed by a space: kubectl refuses it ("did not find expected whitespace or line break")',
      this.off(n),
    );
  }

  /** go-yaml counts the document node too. */
  countDocument(): void {
    this.count();
  }

  private off(n: Node | null | undefined): number {
    return (n?.range?.[0] ?? 0) + this.base;
  }

  private count(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) {
      this.aliasCount++;
      if (--this.budget.remaining < 0) throw new GoYamlError('too many aliases (a YAML alias bomb?): the input expands beyond the alias limit');
    }
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new GoYamlError('too many aliases (a YAML alias bomb?): the document contains excessive aliasing');
    }
  }

  /** Decode a node whose record points at `off`. */
  decode(n: Node | null | undefined, off: number): { value: unknown; pos: Pos } {
    this.count();
    if (n === null || n === undefined) return { value: null, pos: { off } };
    if (isAlias(n)) return this.viaAlias(n, (target) => this.decode(target, off));
    if (isScalar(n)) return { value: this.scalar(n), pos: { off } };
    if (++this.depth > MAX_DEPTH) throw new GoYamlError(`exceeded max depth of ${MAX_DEPTH}`, this.off(n));
    try {
      if (isMap(n)) {
        const target: MapTarget = { obj: {}, kids: new Map(), goKeys: new Map() };
        this.mapInto(n, target);
        return { value: target.obj, pos: { off, kids: target.kids } };
      }
      if (isSeq(n)) {
        const arr: unknown[] = [];
        const kids: Pos[] = [];
        for (const item of n.items as (Node | null)[]) {
          const d = this.decode(item, this.off(item));
          arr.push(d.value);
          kids.push(d.pos);
        }
        return { value: arr, pos: { off, kids } };
      }
    } finally {
      this.depth--;
    }
    throw new GoYamlError('unsupported YAML node', this.off(n));
  }

  private scalar(n: Scalar): unknown {
    try {
      return scalarValue(formOf(n), this.off(n));
    } catch (e) {
      if (e instanceof GoYamlError && e.atConversion) return poison(e);
      throw e;
    }
  }

  private viaAlias<T>(a: Alias, body: (target: Node) => T): T {
    const target = this.aliasTargets.get(a);
    if (!target) throw new GoYamlError('an alias refers to an unknown anchor', this.off(a));
    if (this.activeAliases.has(a)) throw new GoYamlError('an anchor contains an alias to itself', this.off(a));
    this.activeAliases.add(a);
    this.aliasDepth++;
    try {
      return body(target);
    } finally {
      this.aliasDepth--;
      this.activeAliases.delete(a);
    }
  }

  /** go-yaml's mapping(): pairs in order, merges written into the same map, later keys replacing earlier ones. */
  private mapInto(n: YAMLMap, target: MapTarget): void {
    const { obj, kids, goKeys } = target;
    const literal = new Set<string>();
    for (const pair of n.items) {
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      if (isScalar(keyNode) && isMergeKey(formOf(keyNode))) {
        this.merge(valueNode, target);
        continue;
      }
      this.count();
      const keyOff = this.off(keyNode);
      let key: string;
      let goKey: string;
      try {
        ({ key, goKey } = this.key(keyNode, keyOff));
      } catch (e) {
        if (!(e instanceof GoYamlError && e.atConversion)) throw e;
        // go-yaml keeps a null or uint64 key; only the JSON conversion of this map would fail.
        this.decode(valueNode, keyOff);
        (obj as unknown as Poisoned)[POISON] = e;
        continue;
      }
      const d = this.decode(valueNode, keyOff);
      const before = goKeys.get(key);
      // Two different Go keys that become one JSON key: Go's map order picks the survivor. The same key twice
      // in one mapping: the last wins. The same key from a merge and from the mapping: an ordinary override.
      if (before !== undefined && before !== goKey) this.duplicate(key, false, keyOff);
      else if (literal.has(key)) this.duplicate(key, true, keyOff);
      literal.add(key);
      goKeys.set(key, goKey);
      setOwn(obj, key, d.value);
      kids.set(key, d.pos);
    }
  }

  private duplicate(key: string, same: boolean, off: number): void {
    if (this.noted.has(off)) return;
    this.noted.add(off);
    this.notes.push({
      code: 'yaml-duplicate-key',
      severity: 'error',
      offset: off,
      message: same
        ? `duplicate key ${JSON.stringify(key)}: Kubernetes keeps the last value (and refuses the document under strict field validation)`
        : `two keys both become ${JSON.stringify(key)} in JSON: Kubernetes keeps either of them at random`,
    });
  }

  /** The JSON key of a key node, and go-yaml's identity of it (to tell true duplicates from JSON collisions). */
  private key(n: Node | null, off: number): { key: string; goKey: string } {
    if (n === null) throw new GoYamlError('a null map key: Kubernetes refuses the document', off);
    if (isAlias(n)) {
      return this.viaAlias(n, (target) => {
        this.count();
        return this.key(target, off);
      });
    }
    if (isScalar(n)) {
      const form = formOf(n);
      return { key: scalarKey(form, this.off(n)), goKey: scalarIdentity(form, this.off(n)) };
    }
    throw new GoYamlError('a mapping or sequence used as a map key: Kubernetes refuses the document', this.off(n));
  }

  /** go-yaml's merge(): a mapping, an alias of one, or a sequence of them (the last one first). */
  private merge(n: Node | null, target: MapTarget): void {
    const want = (): never => {
      throw new GoYamlError('a << merge needs a mapping or a sequence of mappings', this.off(n));
    };
    const mergeOne = (m: Node | null | undefined): void => {
      this.count();
      if (isMap(m)) this.mapInto(m, target);
      else if (isAlias(m)) {
        this.viaAlias(m, (anchored) => {
          if (!isMap(anchored)) return want();
          this.count();
          this.mapInto(anchored, target);
        });
      } else want();
    };
    if (isSeq(n)) {
      const items = n.items as (Node | null)[];
      for (let i = items.length - 1; i >= 0; i--) mergeOne(items[i]);
    } else mergeOne(n);
  }
}

function formOf(n: Scalar): ScalarForm {
  const text = typeof n.source === 'string' ? n.source : typeof n.value === 'string' ? n.value : '';
  return { text, plain: n.type === 'PLAIN' || n.type === undefined, tag: n.tag ?? '' };
}

/** Pre-order offsets of `value`, a map's entries in `Object.keys` order. */
function flatten(value: unknown, pos: Pos, out: number[]): void {
  out.push(pos.off);
  const kids = pos.kids;
  if (Array.isArray(value) && Array.isArray(kids)) {
    (value as unknown[]).forEach((v, i) => {
      const k = kids[i];
      if (k) flatten(v, k, out);
    });
  } else if (kids instanceof Map && value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const k = kids.get(key);
      if (k) flatten(obj[key], k, out);
    }
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]?.trim() ?? s;
}

/** Decode one piece of a manifest stream (see yaml-split.ts); `base` is its offset in the whole text. */
export function decodeReference(text: string, base: number, budget: AliasBudget): Decoded {
  let docs;
  try {
    docs = yaml.parseAllDocuments(text, PARSE_OPTIONS);
  } catch (e) {
    return { ok: false, code: 'yaml-syntax', message: e instanceof RangeError ? 'nesting too deep to parse' : firstLine(e instanceof Error ? e.message : String(e)) };
  }
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  if (!doc) return { ok: true, value: null, offsets: new Int32Array(0), notes: [] };
  const err = doc.errors[0];
  if (err) {
    const deep = /call stack/i.test(err.message);
    return { ok: false, code: 'yaml-syntax', message: deep ? 'nesting too deep to parse' : firstLine(err.message), offset: base + err.pos[0] };
  }
  const decoder = new Decoder(text, base, budget);
  const root = doc.contents as Node | null;
  let result;
  try {
    decoder.bindAliases(root);
    decoder.countDocument();
    result = decoder.decode(root, (root?.range?.[0] ?? doc.range[0]) + base);
  } catch (e) {
    if (e instanceof GoYamlError) {
      const unsafe = /alias/i.test(e.message);
      return { ok: false, code: unsafe ? 'yaml-unsafe' : 'yaml-invalid', message: e.message, ...(e.offset !== undefined ? { offset: e.offset } : {}) };
    }
    if (e instanceof RangeError) return { ok: false, code: 'yaml-syntax', message: 'nesting too deep to parse', offset: base };
    throw e;
  }
  const refused = findPoison(result.value);
  if (refused) return { ok: false, code: 'yaml-invalid', message: refused.message, ...(refused.offset !== undefined ? { offset: refused.offset } : {}) };
  const notes = decoder.notes;
  const extra = list.slice(1).find((d) => d.contents !== null || d.errors.length > 0);
  if (extra) {
    notes.push({
      code: 'yaml-ignored-document',
      severity: 'warning',
      offset: base + extra.range[0],
      message: 'a second YAML document without a --- line of its own: kubectl reads only the first one, so this one is ignored',
    });
  }
  const out: number[] = [];
  flatten(result.value, result.pos, out);
  return { ok: true, value: result.value, offsets: Int32Array.from(out), notes };
}
