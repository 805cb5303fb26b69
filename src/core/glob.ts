/**
 * `*` wildcards (any run of characters, possibly empty; every other character literal), matched without regular
 * expressions: a pattern such as `a*a*a*a*b` compiled to `^a.*a.*a.*a.*b$` backtracks polynomially on long names.
 * This greedy matcher with one resume point takes at most (value length × pattern length) steps.
 */
export function wildcardMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const pc = pattern.charCodeAt(p);
    if (p < pattern.length && pc === 0x2a) {
      star = p++;
      resume = v;
    } else if (p < pattern.length && pc === value.charCodeAt(v)) {
      p++;
      v++;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else return false;
  }
  while (pattern.charCodeAt(p) === 0x2a) p++;
  return p === pattern.length;
}

/** One step of a compiled path glob. */
type PathToken =
  | { readonly k: 'lit'; readonly c: number }
  | { readonly k: 'one' }
  | { readonly k: 'class'; readonly negated: boolean; readonly ranges: readonly number[] }
  | { readonly k: 'star' }
  | { readonly k: 'globstar' }
  // `**` then `/`: either nothing (go past the body) or the body, which ends after a `/`.
  | { readonly k: 'folders' }
  | { readonly k: 'folders-body' };

const SLASH = 0x2f;

/** A path glob, compiled: `test` runs in (path length × pattern length) steps whatever the two hold. */
export interface PathGlob {
  test(path: string): boolean;
}

/**
 * Compile a path glob over `/`-separated relative paths: `*` is any run of characters other than `/`, `?` one such
 * character, `**` any run of characters, `**` followed by `/` any run of whole folders (possibly none), `[...]` one
 * character other than `/` from a set (`a-z` ranges, `\` escapes the next character, a leading `!` or `^` negates;
 * a `[` with no `]` after it is literal); every other character is literal. An invalid set (a range out of order)
 * is an error, returned as a sentence.
 *
 * Matching simulates the pattern as an automaton over the set of pattern positions reachable so far (no
 * backtracking): a pattern such as `*a*a*a*a*b` compiled to a regular expression takes (name length)^5 steps on a
 * long name of `a`s; here it takes (name length × 10).
 */
export function compilePathGlob(glob: string): PathGlob | { readonly error: string } {
  const tokens: PathToken[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charCodeAt(i);
    if (c === 0x2a) {
      if (glob.charCodeAt(i + 1) === 0x2a) {
        if (glob.charCodeAt(i + 2) === SLASH) {
          tokens.push({ k: 'folders' }, { k: 'folders-body' });
          i += 2;
        } else {
          tokens.push({ k: 'globstar' });
          i += 1;
        }
      } else tokens.push({ k: 'star' });
    } else if (c === 0x3f) tokens.push({ k: 'one' });
    else if (c === 0x5b && glob.indexOf(']', i + 1) >= 0) {
      const end = glob.indexOf(']', i + 1);
      const set = parseSet(glob.slice(i + 1, end));
      if ('error' in set) return { error: `invalid pattern ${glob}: ${set.error}` };
      tokens.push(set);
      i = end;
    } else tokens.push({ k: 'lit', c });
  }
  return { test: (path) => run(tokens, path) };
}

function parseSet(body: string): { k: 'class'; negated: boolean; ranges: number[] } | { error: string } {
  const negated = body.startsWith('!') || body.startsWith('^');
  // Characters and ranges: a `-` between two characters joins them; `\` makes the next character plain.
  const ranges: number[] = [];
  let j = negated ? 1 : 0;
  while (j < body.length) {
    let from = body.charCodeAt(j);
    if (from === 0x5c && j + 1 < body.length) from = body.charCodeAt(++j);
    j++;
    if (body.charCodeAt(j) === 0x2d && j + 1 < body.length) {
      let to = body.charCodeAt(j + 1);
      j += 2;
      if (to === 0x5c && j < body.length) to = body.charCodeAt(j++);
      if (to < from) return { error: `the range ${String.fromCharCode(from)}-${String.fromCharCode(to)} is out of order` };
      ranges.push(from, to);
    } else ranges.push(from, from);
  }
  return { k: 'class', negated, ranges };
}

function inSet(t: { readonly negated: boolean; readonly ranges: readonly number[] }, c: number): boolean {
  let hit = false;
  for (let i = 0; i < t.ranges.length && !hit; i += 2) hit = c >= (t.ranges[i] ?? 0) && c <= (t.ranges[i + 1] ?? -1);
  return hit !== t.negated;
}

/** Follow the steps that match nothing (star, globstar, folders): positions only move forward, so one pass suffices. */
function close(tokens: readonly PathToken[], active: Uint8Array): void {
  for (let i = 0; i < tokens.length; i++) {
    if (active[i] !== 1) continue;
    const k = tokens[i]?.k;
    if (k === 'star' || k === 'globstar') active[i + 1] = 1;
    else if (k === 'folders') active[i + 1] = active[i + 2] = 1;
  }
}

function run(tokens: readonly PathToken[], path: string): boolean {
  const m = tokens.length;
  let cur = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  cur[0] = 1;
  close(tokens, cur);
  for (let v = 0; v < path.length; v++) {
    const c = path.charCodeAt(v);
    next.fill(0);
    let any = false;
    for (let i = 0; i < m; i++) {
      if (cur[i] !== 1) continue;
      const t = tokens[i];
      if (t === undefined) continue;
      let stay = false;
      let advance = false;
      switch (t.k) {
        case 'lit':
          advance = c === t.c;
          break;
        case 'one':
          advance = c !== SLASH;
          break;
        case 'class':
          advance = c !== SLASH && inSet(t, c);
          break;
        case 'star':
          stay = c !== SLASH;
          break;
        case 'globstar':
          stay = true;
          break;
        case 'folders':
          break;
        case 'folders-body':
          stay = true;
          advance = c === SLASH;
          break;
      }
      if (stay) next[i] = 1;
      if (advance) next[i + 1] = 1;
      any ||= stay || advance;
    }
    if (!any) return false;
    close(tokens, next);
    [cur, next] = [next, cur];
  }
  return cur[m] === 1;
}
