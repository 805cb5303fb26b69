/**
 * Counting distinct things per group without a set of strings per group: a report's per-check count of distinct
 * resources (`rbac risks`: 86,000 findings on 45,000 bindings, 26 checks) added each finding's key string to its check's
 * Set, a hash-table insert per finding. Here each key is numbered once — looked up by its parts when the object that
 * names it (a finding's shared ResourceRef) changes — and a group keeps a bit per number.
 */

/** A node of the tree of key parts: the number of the key that ends here (-1: none), and the parts that may follow. */
interface PartNode {
  id: number;
  next: Map<string, PartNode> | undefined;
}

const NUL = '\u0000';

/**
 * Numbers for keys: equal keys, one number (0, 1, 2… in order of first sight). A key is a string or its parts — the
 * string is the parts joined by NUL (`kind\0namespace\0name`) — looked up part by part in a tree of maps: a
 * resource's parts are strings it holds already (their hashes kept in them), where the joined key was a new string to
 * make and hash per resource (`rbac risks`: 45,000 resources, counted by the runner and again by the table).
 */
export class KeyNumbers<R extends object> {
  private readonly root: PartNode = { id: -1, next: undefined };
  private count = 0;
  private lastRef: R | undefined;
  private lastNumber = 0;

  /** The number of the key whose parts are `parts(ref)` (the same object as the last one: no lookup at all). */
  ofRef(ref: R, parts: (ref: R) => readonly string[]): number {
    if (ref === this.lastRef) return this.lastNumber;
    const n = this.ofParts(parts(ref));
    this.lastRef = ref;
    this.lastNumber = n;
    return n;
  }

  /** The number of a key. */
  ofKey(key: string): number {
    return this.ofParts(key.split(NUL));
  }

  /** The number of the key `parts.join('\0')`. */
  ofParts(parts: readonly string[]): number {
    let node = this.root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      // A part holding a NUL is itself parts: the key is the same string as theirs, so is its number.
      if (part.includes(NUL)) return this.ofKey(parts.join(NUL));
      const next = (node.next ??= new Map<string, PartNode>());
      let child = next.get(part);
      if (child === undefined) next.set(part, (child = { id: -1, next: undefined }));
      node = child;
    }
    if (node.id < 0) node.id = this.count++;
    return node.id;
  }
}

/** A set of small non-negative integers, a bit each; `size` counts them. */
export class NumberSet {
  private words = new Uint32Array(8);
  size = 0;

  add(n: number): void {
    const w = n >>> 5;
    if (w >= this.words.length) {
      let length = this.words.length * 2;
      while (length <= w) length *= 2;
      const grown = new Uint32Array(length);
      grown.set(this.words);
      this.words = grown;
    }
    const bit = 1 << (n & 31);
    const word = this.words[w] as number;
    if ((word & bit) === 0) {
      this.words[w] = word | bit;
      this.size++;
    }
  }
}
