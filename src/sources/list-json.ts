/**
 * The text of a list page without its items' `metadata.managedFields`, which a scan drops anyway (see `clean` in
 * cluster.ts) and which is about half of every page the API server sends (server-side apply records one entry per
 * field manager, each a tree of `f:` keys). Parsing the page without them is about four times faster and leaves far
 * less garbage, so they are cut out of the bytes before `JSON.parse` ever sees them.
 *
 * The cut is exact, not a pattern match: a scanner follows the page's JSON structure (objects, arrays, strings with
 * their escapes) and removes the member `managedFields` only where it is a key of `metadata` of an element of the
 * top-level `items` array — the same member `clean` deletes after parsing. A key written with escapes is left alone
 * (then `clean` deletes it as before). Anything the scanner does not understand (malformed JSON, a truncated page)
 * gives `undefined`: the caller parses the page as it came, and `JSON.parse` reports what is wrong.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** What a container of the page is to the scanner. */
const enum Role {
  /** The page (the list object). */
  List,
  /** Its `items` array. */
  Items,
  /** One item. */
  Item,
  /** An item's `metadata`. */
  Meta,
}

const ITEMS = Buffer.from('items');
const METADATA = Buffer.from('metadata');
const MANAGED_FIELDS = Buffer.from('managedFields');

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index just past the string whose opening quote is at `i`; -1 when it never closes. */
function stringEnd(b: Uint8Array, i: number): number {
  const n = b.length;
  // A byte loop, not Buffer#indexOf: strings here are short (keys, names), and a native call per string costs more.
  for (let j = i + 1; j < n; j++) {
    const c = b[j];
    if (c === QUOTE) return j + 1;
    if (c === BACKSLASH) j++;
  }
  return -1;
}

/** Index just past the JSON value starting at `i` (after any space); -1 when it is not complete. */
function valueEnd(b: Uint8Array, i: number): number {
  let depth = 0;
  let j = i;
  const n = b.length;
  while (j < n) {
    const c = b[j] as number;
    if (c === QUOTE) {
      j = stringEnd(b, j);
      if (j < 0) return -1;
      if (depth === 0) return j;
      continue;
    }
    if (c === LBRACE || c === LBRACKET) depth++;
    else if (c === RBRACE || c === RBRACKET) {
      // At the top of the value, a closing bracket ends a scalar (`1}`); with nothing before it, there is no value.
      if (depth === 0) return j > i ? j : -1;
      depth--;
      if (depth === 0) return j + 1;
    } else if (depth === 0 && (c === COMMA || isSpace(c))) {
      // The end of a scalar (number, true, false, null) at the top of the value.
      return j;
    }
    j++;
  }
  return depth === 0 && j > i ? j : -1;
}

/** Whether the key string at [start, end) (quotes included) is exactly `name`, written without escapes. */
function keyIs(b: Uint8Array, start: number, end: number, name: Uint8Array): boolean {
  if (end - start - 2 !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (b[start + 1 + k] !== name[k]) return false;
  return true;
}

function skipSpace(b: Uint8Array, i: number): number {
  while (i < b.length && isSpace(b[i] as number)) i++;
  return i;
}

/**
 * The page without `items[*].metadata.managedFields`, or the page itself when there was none; undefined when the
 * text is not a JSON object the scanner can follow.
 */
export function withoutManagedFields(b: Buffer): Buffer | undefined {
  const cuts: number[] = [];
  const i = skipSpace(b, 0);
  if (b[i] !== LBRACE) return undefined;
  const end = members(b, i, Role.List, cuts);
  if (end < 0 || skipSpace(b, end) !== b.length) return undefined;
  if (cuts.length === 0) return b;
  const parts: Buffer[] = [];
  let at = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    parts.push(b.subarray(at, cuts[k]));
    at = cuts[k + 1] as number;
  }
  parts.push(b.subarray(at));
  return Buffer.concat(parts);
}

/**
 * Scan the object at `i` (its `{`) playing `role`: follow the members that lead to item metadata, note the spans of
 * `managedFields` members of item metadata in `cuts` (start, end pairs, in order), skip every other value whole.
 * Returns the index just past the object's `}`, or -1.
 */
function members(b: Uint8Array, i: number, role: Role, cuts: number[]): number {
  let j = skipSpace(b, i + 1);
  if (b[j] === RBRACE) return j + 1;
  for (;;) {
    // A member: "key" : value
    const memberStart = j;
    if (b[j] !== QUOTE) return -1;
    const keyEnd = stringEnd(b, j);
    if (keyEnd < 0) return -1;
    j = skipSpace(b, keyEnd);
    if (b[j] !== COLON) return -1;
    j = skipSpace(b, j + 1);
    const valueStart = j;
    let after: number;
    if (role === Role.Meta && keyIs(b, memberStart, keyEnd, MANAGED_FIELDS)) {
      after = valueEnd(b, valueStart);
      if (after < 0) return -1;
      const next = skipSpace(b, after);
      if (b[next] === COMMA) cuts.push(memberStart, skipSpace(b, next + 1));
      else if (cuts.length > 0 && cuts[cuts.length - 1] === memberStart) return -1;
      else cuts.push(commaBefore(b, memberStart), next);
    } else if (role === Role.List && b[valueStart] === LBRACKET && keyIs(b, memberStart, keyEnd, ITEMS)) {
      after = elements(b, valueStart, cuts);
    } else if (role === Role.Item && b[valueStart] === LBRACE && keyIs(b, memberStart, keyEnd, METADATA)) {
      after = members(b, valueStart, Role.Meta, cuts);
    } else {
      after = valueEnd(b, valueStart);
    }
    if (after < 0) return -1;
    j = skipSpace(b, after);
    if (b[j] === COMMA) {
      j = skipSpace(b, j + 1);
      continue;
    }
    if (b[j] === RBRACE) return j + 1;
    return -1;
  }
}

/** The start of the comma (and space) before the last member of an object, which begins at `memberStart`. */
function commaBefore(b: Uint8Array, memberStart: number): number {
  let k = memberStart - 1;
  while (k >= 0 && isSpace(b[k] as number)) k--;
  // The member is the only one when an opening brace precedes it: cut just the member.
  return b[k] === COMMA ? k : memberStart;
}

/** Scan the `items` array at `i` (its `[`): each object element is an item. Returns the index past its `]`, or -1. */
function elements(b: Uint8Array, i: number, cuts: number[]): number {
  let j = skipSpace(b, i + 1);
  if (b[j] === RBRACKET) return j + 1;
  for (;;) {
    const after = b[j] === LBRACE ? members(b, j, Role.Item, cuts) : valueEnd(b, j);
    if (after < 0) return -1;
    j = skipSpace(b, after);
    if (b[j] === COMMA) {
      j = skipSpace(b, j + 1);
      continue;
    }
    if (b[j] === RBRACKET) return j + 1;
    return -1;
  }
}
