/**
 * JSON that is valid and harmless whatever the strings in it hold: lone surrogates (which JSON.stringify writes as
 * `\udXXX` escapes that strict parsers reject) become U+FFFD; C1 controls, bidi controls and U+2028/2029 are written
 * as `\uXXXX` escapes, so printing the document cannot drive a terminal or reorder text; `##[` / `##vso[` are broken
 * with a `\u0023` escape so no CI runner reads a line as a workflow command. Every change is an escape inside a JSON
 * string: the parsed values are exactly the originals (lone surrogates aside).
 */

function isRawUnsafe(c: number): boolean {
  return (c >= 0x7f && c <= 0x9f) || c === 0x061c || c === 0x200e || c === 0x200f || c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

function u(c: number): string {
  return `\\u${c.toString(16).padStart(4, '0')}`;
}

export interface HardenOptions {
  /**
   * Keep lone surrogates as the `\udXXX` escapes JSON.stringify wrote, for documents read back by kspect only where
   * a value must survive exactly (baseline fingerprints); the text stays ASCII-safe either way.
   */
  readonly keepLoneSurrogates?: boolean;
}

/** Post-process the text of JSON.stringify in one pass (see the file header). */
export function hardenJson(json: string, options: HardenOptions = {}): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x5c) {
      // An escape: `\uD800`–`\uDFFF` can only be a lone surrogate (JSON.stringify writes pairs raw).
      if (json.charCodeAt(i + 1) === 0x75 && options.keepLoneSurrogates !== true) {
        const h = json.slice(i + 2, i + 6).toLowerCase();
        if (h.length === 4 && h.charCodeAt(0) === 0x64 && '89abcdef'.includes(h.charAt(1))) {
          out += `${json.slice(from, i)}\\ufffd`;
          from = i + 6;
          i += 5;
          continue;
        }
      }
      i++;
      continue;
    }
    if (isRawUnsafe(c)) {
      out += json.slice(from, i) + u(c);
      from = i + 1;
    } else if (c === 0x23 && json.charCodeAt(i + 1) === 0x23 && (json.charCodeAt(i + 2) === 0x5b || json.slice(i + 2, i + 6).toLowerCase() === 'vso[')) {
      out += `${json.slice(from, i)}#\\u0023`;
      from = i + 2;
      i++;
    }
  }
  return from === 0 ? json : out + json.slice(from);
}

/** JSON.stringify, pretty-printed with two spaces, hardened (see the file header), with a final newline. */
export function safeJson(value: unknown, options: HardenOptions = {}): string {
  return `${hardenJson(JSON.stringify(value, null, 2), options)}\n`;
}
