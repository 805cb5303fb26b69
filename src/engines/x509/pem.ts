/**
 * PEM framing (RFC 7468): split text into labelled base64 blocks, keeping the legacy
 * `Proc-Type`/`DEK-Info` headers that mark OpenSSL-encrypted keys. Bad framing is reported, not thrown.
 */
import { trimEndChar } from '../../core/text.js';

export interface PemBlock {
  readonly label: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly der: Uint8Array;
  /** 1-based line of the BEGIN line. */
  readonly line: number;
}

export interface PemProblem {
  readonly line: number;
  readonly message: string;
}

export interface PemParse {
  readonly blocks: readonly PemBlock[];
  readonly problems: readonly PemProblem[];
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----\s*$/;
const END = /^-----END ([A-Z0-9 ]+)-----\s*$/;
const B64 = /^[A-Za-z0-9+/=]*$/;

/** True when the bytes look like PEM text rather than DER. */
export function looksLikePem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 64 * 1024))).toString('latin1');
  return head.includes('-----BEGIN ');
}

export function parsePem(text: string): PemParse {
  const blocks: PemBlock[] = [];
  const problems: PemProblem[] = [];
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const begin = BEGIN.exec(lines[i] ?? '');
    if (!begin) {
      i++;
      continue;
    }
    const label = begin[1] ?? '';
    const start = i + 1;
    const headers: Record<string, string> = {};
    const body: string[] = [];
    let j = i + 1;
    let ended = false;
    let bad: string | undefined;
    for (; j < lines.length; j++) {
      const l = (lines[j] ?? '').trim();
      const end = END.exec(l);
      if (end) {
        if (end[1] !== label) bad = `PEM block "${label}" ends with "END ${end[1] ?? ''}"`;
        ended = true;
        break;
      }
      if (BEGIN.test(l)) break; // a new block starts: this one is truncated
      // No `\s*` before `(.*)`: the two would trade blanks (quadratic when the line does not match); trimmed below.
      const h = /^([A-Za-z-]+):(.*)$/.exec(l);
      if (h && body.length === 0) {
        headers[h[1] ?? ''] = (h[2] ?? '').trimStart();
        continue;
      }
      if (l === '') continue;
      if (!B64.test(l)) bad ??= `PEM block "${label}" has a line that is not base64 (line ${j + 1})`;
      body.push(l);
    }
    if (!ended) {
      problems.push({ line: start, message: `PEM block "${label}" is truncated: no "-----END ${label}-----" line` });
      i = j;
      continue;
    }
    if (bad !== undefined) problems.push({ line: start, message: bad });
    else {
      const b64 = body.join('');
      if (b64.length === 0 || trimEndChar(b64, '=').includes('=')) problems.push({ line: start, message: `PEM block "${label}" has an empty or malformed body` });
      else blocks.push({ label, headers, der: new Uint8Array(Buffer.from(b64, 'base64')), line: start });
    }
    i = j + 1;
  }
  return { blocks, problems };
}

/** Encode DER as PEM with 64-column lines. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
