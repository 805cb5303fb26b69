/**
 * String matching as libsinsp does it for string fields: fnmatch(3) globs (flags 0: `*` crosses `/`), ASCII
 * case-insensitive containment (strcasestr), byte-wise ordering (strcmp on UTF-8, i.e. code point order) and the
 * path-prefix trie behind `pmatch`. All linear or O(n·m) at worst; no regular expression on user data.
 */

/** Compare two strings as strcmp does on their UTF-8 bytes (code point order). */
export function byteCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function lowerAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** strcasestr: ASCII case-insensitive containment. */
export function icontains(hay: string, needle: string): boolean {
  return lowerAscii(hay).includes(lowerAscii(needle));
}

const CLASSES: Readonly<Record<string, (c: string) => boolean>> = {
  alpha: (c) => /[A-Za-z]/.test(c),
  digit: (c) => /[0-9]/.test(c),
  alnum: (c) => /[A-Za-z0-9]/.test(c),
  upper: (c) => /[A-Z]/.test(c),
  lower: (c) => /[a-z]/.test(c),
  space: (c) => /[ \t\n\v\f\r]/.test(c),
  blank: (c) => c === ' ' || c === '\t',
  punct: (c) => /[!-/:-@[-`{-~]/.test(c),
  print: (c) => c >= ' ' && c <= '~',
  graph: (c) => c > ' ' && c <= '~',
  cntrl: (c) => c < ' ' || c === '\x7f',
  xdigit: (c) => /[0-9A-Fa-f]/.test(c),
};

/** Match one bracket expression at p[i] (after '['); returns [matched, index after ']'] or undefined if not a bracket. */
function bracket(p: string, i: number, c: string): [boolean, number] | undefined {
  let j = i;
  let negate = false;
  if (p[j] === '!' || p[j] === '^') {
    negate = true;
    j++;
  }
  let matched = false;
  let first = true;
  while (j < p.length && (p[j] !== ']' || first)) {
    first = false;
    if (p[j] === '[' && p[j + 1] === ':') {
      const end = p.indexOf(':]', j + 2);
      if (end > 0) {
        const cls = CLASSES[p.slice(j + 2, end)];
        if (cls?.(c) === true) matched = true;
        j = end + 2;
        continue;
      }
    }
    let lo = p[j] ?? '';
    if (lo === '\\' && j + 1 < p.length) lo = p[++j] ?? '';
    j++;
    if (p[j] === '-' && j + 1 < p.length && p[j + 1] !== ']') {
      let hi = p[j + 1] ?? '';
      j += 2;
      if (hi === '\\' && j < p.length) hi = p[j++] ?? '';
      if (c >= lo && c <= hi) matched = true;
    } else if (c === lo) matched = true;
  }
  if (j >= p.length) return undefined; // no closing ']': '[' is literal
  return [matched !== negate, j + 1];
}

/** fnmatch(pattern, s, 0) (or FNM_CASEFOLD): `*`, `?`, `[...]`, backslash escapes. */
export function globMatch(pattern: string, s: string, caseFold = false): boolean {
  const p = caseFold ? lowerAscii(pattern) : pattern;
  const t = caseFold ? lowerAscii(s) : s;
  let pi = 0;
  let ti = 0;
  let starP = -1;
  let starT = 0;
  while (ti < t.length) {
    const pc = p[pi];
    if (pc === '*') {
      starP = ++pi;
      starT = ti;
      continue;
    }
    if (pi < p.length) {
      const c = t[ti] ?? '';
      if (pc === '?') {
        pi++;
        ti++;
        continue;
      }
      if (pc === '[') {
        const b = bracket(p, pi + 1, c);
        if (b) {
          if (b[0]) {
            pi = b[1];
            ti++;
            continue;
          }
        } else if (c === '[') {
          pi++;
          ti++;
          continue;
        }
      } else {
        let lit = pc ?? '';
        let step = 1;
        if (lit === '\\' && pi + 1 < p.length) {
          lit = p[pi + 1] ?? '';
          step = 2;
        }
        if (lit === c) {
          pi += step;
          ti++;
          continue;
        }
      }
    }
    if (starP < 0) return false;
    pi = starP;
    ti = ++starT;
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

// ---------------------------------------------------------------------------------------------------------------
// pmatch: libsinsp's path_prefix_map, a trie of path components (glob components allowed), rooted at "root".

interface Node {
  readonly dirs: Map<string, [Node | undefined, boolean]>;
  readonly globDirs: Map<string, [Node | undefined, boolean]>;
}

function components(path: string): string[] {
  return ['root', ...path.split('/').filter((c) => c !== '')];
}

function newNode(): Node {
  return { dirs: new Map(), globDirs: new Map() };
}

function add(node: Node, comps: readonly string[], i: number): void {
  const comp = comps[i] ?? '';
  const dirs = /[?*[]/.test(comp) ? node.globDirs : node.dirs;
  const existing = dirs.get(comp);
  const last = i + 1 === comps.length;
  if (!existing) {
    let sub: Node | undefined;
    if (!last) {
      sub = newNode();
      add(sub, comps, i + 1);
    }
    dirs.set(comp, [sub, last]);
  } else if (last) dirs.set(comp, [undefined, true]);
  else if (existing[0] !== undefined) add(existing[0], comps, i + 1);
  // A shorter path already covers this one: nothing to add.
}

function checkValue(val: [Node | undefined, boolean], comps: readonly string[], i: number): boolean {
  if (i >= comps.length) return val[0] === undefined && val[1];
  if (val[0] === undefined) return val[1];
  return matchNode(val[0], comps, i);
}

function matchNode(node: Node, comps: readonly string[], i: number): boolean {
  const direct = node.dirs.get(comps[i] ?? '');
  if (direct && checkValue(direct, comps, i + 1)) return true;
  // As libsinsp does, each glob candidate that matches advances the component position.
  let k = i;
  for (const [pat, val] of node.globDirs) {
    if (k < comps.length && globMatch(pat, comps[k] ?? '')) {
      k++;
      if (checkValue(val, comps, k)) return true;
    }
  }
  return false;
}

/** The search paths of a `pmatch` operand. */
export class PathPrefixSearch {
  private readonly root = newNode();

  constructor(paths: readonly string[]) {
    for (const p of paths) add(this.root, components(p), 0);
  }

  match(path: string): boolean {
    return matchNode(this.root, components(path), 0);
  }
}
