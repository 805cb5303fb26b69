/**
 * Making strings from input safe to print. Anything a manifest, a file name, a certificate or an error message
 * carries may reach a terminal, a CI log or a pull-request comment; none of it may drive the terminal (ESC
 * sequences, control characters), hide or reorder what is shown (bidi overrides, Trojan Source), start a new
 * line, or forge a CI workflow command (GitHub Actions `::error ...` / `##[...]`, Azure Pipelines `##vso[...]`).
 *
 * Every function here is a single linear pass over its input.
 */

/** Characters that are never printed raw: C0, DEL, C1, bidi controls and marks, line/paragraph separators. */
function isUnsafe(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

const NAMED: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

function hex(c: number): string {
  return c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/**
 * Every character `escapeText` may act on: what `isUnsafe` refuses, `#` (of `##[`, `##vso[`) and surrogates (lone ones
 * are escaped). A string without any is printed as it is (bar a leading `::`). One character class: linear.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const ESCAPED_OR_HASH = /[\0-\x1f#\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]/;

/** True when `s[i..]` starts a CI command that runners recognise anywhere in a line: `##[` or `##vso[`. */
function ciPrefixAt(s: string, i: number): boolean {
  if (s.charCodeAt(i) !== 0x23 || s.charCodeAt(i + 1) !== 0x23) return false;
  const n = s.charCodeAt(i + 2);
  if (n === 0x5b) return true; // ##[
  return s.slice(i + 2, i + 6).toLowerCase() === 'vso[';
}

/** Index of the first `::` after leading blanks when the string starts with it (runners trim the line). */
function leadingCommandColon(s: string): number {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09)) i++;
  return s.charCodeAt(i) === 0x3a && s.charCodeAt(i + 1) === 0x3a ? i : -1;
}

/**
 * One line of terminal-safe text: control characters, DEL, C1, bidi overrides and marks, U+2028/2029 and lone
 * surrogates are shown as visible escapes (`\n`, `\t`, `\x1b`, `\u202e`, `\ud800`); the second `#` of `##[` and
 * `##vso[` and the first `:` of a leading `::` are shown as `\x23` and `\x3a`, so the text can never be read as a CI
 * workflow command. Plain text (the common case) is returned unchanged.
 */
export function escapeText(s: string): string {
  // Plain text (no character the loop below acts on, no leading `::`): as it is, found by one scan of a character
  // class in the regular-expression engine (several times faster than the loop; `rbac risks` escapes 86,000 messages).
  if (!ESCAPED_OR_HASH.test(s) && leadingCommandColon(s) < 0) return s;
  let out = '';
  let from = 0;
  const colon = leadingCommandColon(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = hex(c);
    } else if (isUnsafe(c)) rep = NAMED[c] ?? hex(c);
    else if (c === 0x23 && ciPrefixAt(s, i)) {
      out += `${s.slice(from, i)}#\\x23`;
      i++;
      from = i + 1;
      continue;
    } else if (i === colon) rep = '\\x3a';
    if (rep === undefined) continue;
    out += s.slice(from, i) + rep;
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * Guard a whole output text, line by line, against forged CI workflow commands, with a format's own way of
 * writing a character so the document means the same: `encode('#')` replaces the second `#` of `##[`/`##vso[`, and
 * `encode(':')` the first `:` of a line that starts (after blanks) with `::`. Formats whose syntax never starts a
 * line with `::` and never contains `#` outside strings (JSON) or where the encoding is a character reference (XML)
 * keep their meaning exactly.
 */
export function defuseCiCommands(text: string, encode: (c: '#' | ':') => string): string {
  // Without `##` or `::` anywhere there is nothing to defuse (the common case: a table's chunk of lines).
  if (!text.includes('##') && !text.includes('::')) return text;
  let out = '';
  let from = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (lineStart) {
      lineStart = false;
      let j = i;
      while (j < text.length && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j++;
      if (text.charCodeAt(j) === 0x3a && text.charCodeAt(j + 1) === 0x3a) {
        out += text.slice(from, j) + encode(':');
        from = j + 1;
        i = j;
        continue;
      }
    }
    if (c === 0x0a || c === 0x0d) lineStart = true;
    else if (c === 0x23 && ciPrefixAt(text, i)) {
      out += `${text.slice(from, i)}#${encode('#')}`;
      i++;
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Replace lone surrogates by U+FFFD, so the text can be encoded as UTF-8 (JSON, XML, URIs). */
export function wellFormed(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1);
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    out += `${s.slice(from, i)}\ufffd`;
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * `s` without its trailing run of the character `ch` — what `s.replace(/ch+$/, '')` does, in one pass from the end
 * (the regular expression restarts at every character of a long run that is not at the end: quadratic).
 */
export function trimEndChar(s: string, ch: string): string {
  const c = ch.charCodeAt(0);
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === c) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** `n` followed by the noun in the number it takes: `counted(1, 'day')` → `1 day`, `counted(3, 'day')` → `3 days`. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
