/**
 * Terminal text layout for the human formats: display width (wide CJK and emoji take two columns, combining marks
 * none), padding by width, and word wrapping that breaks over-long words (paths, URLs) instead of overflowing.
 * Every function is one linear pass; inputs are expected to be escaped already (core/text.ts escapeText).
 */

function isZeroWidth(c: number): boolean {
  return (
    (c >= 0x0300 && c <= 0x036f) ||
    (c >= 0x1ab0 && c <= 0x1aff) ||
    (c >= 0x1dc0 && c <= 0x1dff) ||
    (c >= 0x200b && c <= 0x200d) ||
    (c >= 0x20d0 && c <= 0x20ff) ||
    (c >= 0xfe00 && c <= 0xfe0f) ||
    (c >= 0xfe20 && c <= 0xfe2f) ||
    c === 0xfeff
  );
}

function isWide(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0x303e) ||
    (c >= 0x3041 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xa000 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1f64f) ||
    (c >= 0x1f900 && c <= 0x1f9ff) ||
    (c >= 0x1fa70 && c <= 0x1faff) ||
    (c >= 0x20000 && c <= 0x3fffd)
  );
}

/** Columns a code point takes in a terminal. */
function charWidth(c: number): number {
  if (isZeroWidth(c)) return 0;
  return isWide(c) ? 2 : 1;
}

/**
 * A code unit that does not take exactly one column on its own: a zero-width or wide character of the tables above, or
 * a surrogate (an astral character is two code units). A string without any takes as many columns as it has code
 * units. One character class: linear.
 */
// eslint-disable-next-line no-misleading-character-class -- ranges of code units, combining marks among them on purpose
const NOT_ONE_COLUMN = /[\u0300-\u036f\u1100-\u115f\u1ab0-\u1aff\u1dc0-\u1dff\u200b-\u200d\u20d0-\u20ff\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\ud800-\udfff\uf900-\ufaff\ufe00-\ufe0f\ufe20-\ufe2f\ufe30-\ufe4f\ufeff\uff00-\uff60\uffe0-\uffe6]/;

/** Columns `s` takes in a terminal (no control characters expected: escape first). */
export function displayWidth(s: string): number {
  // No zero-width, wide or astral character: one column per code unit.
  if (!NOT_ONE_COLUMN.test(s)) return s.length;
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i) ?? 0;
    if (c > 0xffff) i++;
    w += c < 0x300 ? 1 : charWidth(c);
  }
  return w;
}

/** Pad `s` with spaces to `width` columns. */
export function padEnd(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/** Pad `s` with spaces on the left to `width` columns. */
export function padStart(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : ' '.repeat(width - w) + s;
}

/**
 * `wrap` of one-column text whose words are separated by single spaces, none wider than a line (a report's messages):
 * each line a slice of `s` ending at a space, found by one scan — no array of words, no line built word by word.
 * Undefined for anything else (a leading, trailing or doubled space, a word wider than `max`): `wrap` takes it.
 */
function wrapWords(s: string, max: number): string[] | undefined {
  const lines: string[] = [];
  let start = 0;
  let pos = 0;
  for (;;) {
    const space = s.indexOf(' ', pos);
    const end = space < 0 ? s.length : space;
    // An empty word: a space at either end, or two in a row.
    if (end === pos) return undefined;
    if (end - start > max) {
      // The word [pos, end) does not fit on the line: the line ends before it (a word alone wider than a line is cut by wrap).
      if (pos === start || end - pos > max) return undefined;
      lines.push(s.slice(start, pos - 1));
      start = pos;
    }
    if (space < 0) break;
    pos = space + 1;
  }
  lines.push(s.slice(start));
  return lines;
}

/**
 * Break `s` into lines of at most `width` columns: at spaces when it can, inside a word when a word alone is wider
 * than a line. Never returns an empty list. Linear in the length of `s`.
 */
export function wrap(s: string, width: number): string[] {
  const max = Math.max(1, width);
  if (s.length <= max) return [s];
  // Text of one-column characters (the common case): a word's width is its length, measured without a scan.
  const narrow = !NOT_ONE_COLUMN.test(s);
  if (!narrow && displayWidth(s) <= max) return [s];
  if (narrow) {
    const fast = wrapWords(s, max);
    if (fast !== undefined) return fast;
  }
  const lines: string[] = [];
  let line = '';
  let lineW = 0;
  for (const word of s.split(' ')) {
    const wordW = narrow ? word.length : displayWidth(word);
    const sep = lineW === 0 ? 0 : 1;
    if (lineW + sep + wordW <= max) {
      line += sep ? ` ${word}` : word;
      lineW += sep + wordW;
      continue;
    }
    if (lineW > 0) lines.push(line);
    if (wordW <= max) {
      line = word;
      lineW = wordW;
      continue;
    }
    // A word wider than a line is cut into pieces of at most `max` columns, in one pass.
    let start = 0;
    let w = 0;
    for (let i = 0; i < word.length; ) {
      const c = word.codePointAt(i) ?? 0;
      const n = c > 0xffff ? 2 : 1;
      const cw = c < 0x300 ? 1 : charWidth(c);
      if (w + cw > max && i > start) {
        lines.push(word.slice(start, i));
        start = i;
        w = 0;
      }
      w += cw;
      i += n;
    }
    line = word.slice(start);
    lineW = w;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}
