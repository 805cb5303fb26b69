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
