/**
 * Splitting a manifest stream into documents the way kubectl does (k8s.io/apimachinery's YAMLReader): a line that
 * starts with `---` ends a document when the rest of it is blank or a comment; any other `---` line makes kubectl
 * stop with "invalid Yaml document separator". Each piece is then decoded on its own, and only its first YAML
 * document counts. Splitting first also keeps the parser's work per piece small, whatever the file size.
 */

/** One piece of the stream, by offsets into the text (the separator line itself is not part of any piece). */
export interface Chunk {
  readonly start: number;
  readonly end: number;
  /** Set when the piece starts with a `---` line kubectl refuses (the line is kept, as a YAML parser reads it). */
  readonly badSeparator?: boolean;
}

// Go's unicode.IsSpace.
function isGoSpace(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** 0 for an ordinary line, 1 for a document separator, 2 for a `---` line kubectl refuses. */
function separatorKind(text: string, start: number, end: number): 0 | 1 | 2 {
  if (end - start < 3 || text.charCodeAt(start) !== 45 || text.charCodeAt(start + 1) !== 45 || text.charCodeAt(start + 2) !== 45) return 0;
  let i = start + 3;
  while (i < end && isGoSpace(text.charCodeAt(i))) i++;
  return i === end || text.charCodeAt(i) === 35 ? 1 : 2;
}

/** The pieces of `text`, in order. Empty pieces (blank lines between separators) are included. */
export function* splitDocuments(text: string): Generator<Chunk> {
  let chunkStart = 0;
  let bad = false;
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? n : nl;
    const next = nl < 0 ? n : nl + 1;
    const kind = separatorKind(text, pos, lineEnd);
    if (kind === 1) {
      if (pos > chunkStart) yield bad ? { start: chunkStart, end: pos, badSeparator: true } : { start: chunkStart, end: pos };
      chunkStart = next;
      bad = false;
    } else if (kind === 2) {
      if (pos > chunkStart) yield bad ? { start: chunkStart, end: pos, badSeparator: true } : { start: chunkStart, end: pos };
      chunkStart = pos;
      bad = true;
    }
    pos = next;
  }
  if (n > chunkStart) yield bad ? { start: chunkStart, end: n, badSeparator: true } : { start: chunkStart, end: n };
}
