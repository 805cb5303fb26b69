/**
 * Keeping secret values out of messages and examples: parser error messages that quote a piece of the input (an
 * alias or tag name, a source excerpt) must not quote the value of a key such as `token`, `password`, `key` or
 * `secret`; printed examples must not show private-key blocks. Pure, linear string scanning.
 */

const SECRET_WORDS = new Set(['token', 'tokens', 'password', 'passwords', 'passwd', 'pass', 'pwd', 'passphrase', 'secret', 'secrets', 'key', 'keys', 'apikey', 'privatekey', 'credential', 'credentials', 'creds', 'auth', 'bearer', 'htpasswd', 'kubeconfig', 'private', 'cookie', 'session', 'signature']);

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * Whether a key name says its value may be secret: one of its words (split at punctuation and lower→upper case
 * changes: `client-key`, `tls.key`, `apiToken`, `DB_PASSWORD`) is such a word, or the joined name contains
 * `password`, `secret`, `token` or `apikey`. Deliberately broad: it only decides what error messages may quote.
 */
export function isSecretKeyName(name: string): boolean {
  let word = '';
  let joined = '';
  const flush = (): boolean => {
    const hit = SECRET_WORDS.has(word);
    joined += word;
    word = '';
    return hit;
  };
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!isAlnum(c)) {
      if (flush()) return true;
      continue;
    }
    const prev = name.charCodeAt(i - 1);
    if (c >= 0x41 && c <= 0x5a && prev >= 0x61 && prev <= 0x7a && flush()) return true;
    word += String.fromCharCode(c | (c >= 0x41 && c <= 0x5a ? 0x20 : 0));
  }
  if (flush()) return true;
  return joined.includes('password') || joined.includes('secret') || joined.includes('token') || joined.includes('apikey');
}

const MIN_SECRET = 3;
const QUOTES_AND_MARKS = '"\'*&!|>';

/** Add `v` and its forms without YAML quotes and anchor/alias/tag marks to `out`. */
function addValue(out: Set<string>, raw: string): void {
  const v = raw.trim();
  if (v.length >= MIN_SECRET) out.add(v);
  const first = v.split(' ')[0] ?? '';
  if (first.length >= MIN_SECRET) out.add(first);
  let a = 0;
  let b = v.length;
  while (a < b && QUOTES_AND_MARKS.includes(v.charAt(a))) a++;
  while (b > a && (v.charAt(b - 1) === '"' || v.charAt(b - 1) === "'")) b--;
  const core = v.slice(a, b).trim();
  if (core.length >= MIN_SECRET) out.add(core);
  // An anchor or tag followed by a value: `&name value`, `!tag value`.
  const space = core.indexOf(' ');
  if (space > 0) {
    if (space >= MIN_SECRET) out.add(core.slice(0, space));
    const rest = core.slice(space + 1).trim();
    if (rest.length >= MIN_SECRET) out.add(rest);
  }
}

/**
 * The values of secret-named keys in `text` (YAML or JSON, block or flow style, `key=value` too), with the forms
 * a parser may quote: without quotes, without `*`/`&`/`!` marks, and the lines of block scalars under such keys.
 */
export function secretValues(text: string): Set<string> {
  const out = new Set<string>();
  let blockIndent = -1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    lineStart = lineEnd + 1;
    let indent = 0;
    while (indent < line.length && (line.charCodeAt(indent) === 0x20 || line.charCodeAt(indent) === 0x2d)) indent++;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) {
        addValue(out, line);
        continue;
      }
      blockIndent = -1;
    }
    // Every `key:` / `key=` of the line: the key is the run of name characters (and quotes) before the separator.
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c !== 0x3a && c !== 0x3d) continue;
      let k = i;
      while (k > 0 && (line.charCodeAt(k - 1) === 0x22 || line.charCodeAt(k - 1) === 0x27 || line.charCodeAt(k - 1) === 0x20)) k--;
      let s = k;
      while (s > 0) {
        const d = line.charCodeAt(s - 1);
        if (isAlnum(d) || d === 0x2e || d === 0x5f || d === 0x2d) s--;
        else break;
      }
      if (s === k || !isSecretKeyName(line.slice(s, k))) continue;
      let e = i + 1;
      let depth = 0;
      while (e < line.length) {
        const d = line.charCodeAt(e);
        if (d === 0x5b || d === 0x7b) depth++;
        else if (d === 0x5d || d === 0x7d) {
          if (depth === 0) break;
          depth--;
        } else if (d === 0x2c && depth === 0) break;
        e++;
      }
      const value = line.slice(i + 1, e).trim();
      if (value === '' || value === '|' || value === '>' || /^[|>][-+0-9]*$/.test(value)) blockIndent = indent;
      else addValue(out, value);
      i = e - 1;
    }
  }
  return out;
}

/**
 * `message` with every value of a secret-named key in `source` replaced by `[redacted]`. `source` is the text the
 * message may quote (a document, not a whole stream, to keep the cost linear in the input).
 */
export function redactMessage(message: string, source: string): string {
  return redactorFor(source)(message);
}

/**
 * A redactor for the messages about one `source`: its secret values are collected once, on the first message, so
 * many messages about one document cost one scan of it.
 */
export function redactorFor(source: string): (message: string) => string {
  let values: string[] | undefined;
  return (message) => {
    values ??= [...secretValues(source)].sort((a, b) => b.length - a.length);
    let out = message;
    for (const v of values) if (out.includes(v)) out = out.split(v).join('[redacted]');
    return out;
  };
}

const PEM_BEGIN = '-----BEGIN ';
const PEM_END = '-----END ';

/**
 * `text` with the body of every PEM private-key block (`-----BEGIN … PRIVATE KEY-----` up to its END line, or to
 * the end of the text) replaced by `[private key redacted]`, and base64 values that decode to such a block replaced
 * by `[base64 private key redacted]`.
 */
export function redactPrivateKeys(text: string): string {
  let out = '';
  let from = 0;
  for (let b = text.indexOf(PEM_BEGIN); b >= 0; b = text.indexOf(PEM_BEGIN, from)) {
    const headerEnd = text.indexOf('-----', b + PEM_BEGIN.length);
    if (headerEnd < 0) break;
    const label = text.slice(b + PEM_BEGIN.length, headerEnd);
    const afterHeader = headerEnd + 5;
    if (!/PRIVATE KEY/i.test(label) || label.length > 64) {
      out += text.slice(from, afterHeader);
      from = afterHeader;
      continue;
    }
    const e = text.indexOf(PEM_END, afterHeader);
    const endLine = e < 0 ? -1 : text.indexOf('-----', e + PEM_END.length);
    out += `${text.slice(from, afterHeader)}\n[private key redacted]\n`;
    // Keep the indentation of the END line (a block scalar in YAML).
    let indentStart = e;
    while (indentStart > afterHeader && (text.charCodeAt(indentStart - 1) === 0x20 || text.charCodeAt(indentStart - 1) === 0x09)) indentStart--;
    from = e < 0 || endLine < 0 ? text.length : indentStart;
    if (e < 0 || endLine < 0) break;
  }
  out += text.slice(from);
  return redactBase64PrivateKeys(out);
}

/** `LS0tLS1CRUdJTi` is base64 of `-----BEGIN`: such runs that decode to a private-key header are redacted. */
function redactBase64PrivateKeys(text: string): string {
  const marker = 'LS0tLS1CRUdJTi';
  let out = '';
  let from = 0;
  for (let i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, Math.max(from, i + 1))) {
    const head = Buffer.from(text.slice(i, i + 120), 'base64').toString('latin1');
    if (!/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(head)) continue;
    let e = i;
    while (e < text.length && isBase64Char(text.charCodeAt(e))) e++;
    out += `${text.slice(from, i)}[base64 private key redacted]`;
    from = e;
  }
  return out + text.slice(from);
}

function isBase64Char(c: number): boolean {
  return isAlnum(c) || c === 0x2b || c === 0x2f || c === 0x3d;
}
