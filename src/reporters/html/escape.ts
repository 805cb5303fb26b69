/**
 * Escaping for the HTML report. Every string that came from input (names, messages, paths, evidence, file names)
 * goes through `h` before it reaches the page: control characters are shown as visible escapes first (the same
 * one-line text as every other format), then `& < > " '` become character references, so a string can never open a
 * tag, close an attribute or start a script — in text and in quoted attribute values alike.
 */
import { escapeText } from '../../core/text.js';
import { hardenJson } from '../safe-json.js';

const REFS: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or a quoted attribute value. */
export function h(raw: string): string {
  return escapeText(raw).replace(/[&<>"']/g, (c) => REFS[c] ?? c);
}

/** Text content only (never an attribute value): `&` and `<` and `>` as references; quotes are harmless there. */
export function t(raw: string): string {
  return escapeText(raw).replace(/[&<>]/g, (c) => REFS[c] ?? c);
}

/**
 * JSON inside `<script type="application/json">`: `<`, `>`, `&`, U+2028/2029, C1 and bidi controls as `\u` escapes, so the text can
 * never contain `</script>` or `<!--` (the only ways out of a script element); JSON.parse gives back the same values.
 */
export function scriptJson(value: unknown): string {
  // hardenJson first: C1 and bidi controls and lone surrogates as escapes too.
  return hardenJson(JSON.stringify(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An id usable in `id=` and `href="#…"` for a check id or any string: only [A-Za-z0-9_-], others hex-escaped. */
export function anchor(prefix: string, raw: string): string {
  let out = prefix;
  for (const ch of raw) out += /^[A-Za-z0-9_-]$/.test(ch) ? ch : `.${(ch.codePointAt(0) ?? 0).toString(16)}`;
  return out;
}
