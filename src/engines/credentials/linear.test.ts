/**
 * The credential detector's scanners decide exactly what the regular expressions they replaced decided (issue 10 §2:
 * those were quadratic, cubic or exponential on crafted values). The old expressions are kept here as oracles and
 * both sides run on thousands of short random strings over the characters that matter.
 */
import { describe, expect, it } from 'vitest';
import { credentialAssignments, credentialShape, isCredentialName, isPathLike, isPlaceholder, isReferenceOnly, nameWords, urlPasswords } from './credentials.js';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomString(rand: () => number, atoms: readonly string[], max: number): string {
  let s = '';
  const n = Math.floor(rand() * max);
  for (let i = 0; i < n; i++) s += atoms[Math.floor(rand() * atoms.length)] ?? '';
  return s;
}

const RUNS = 20_000;

describe('urlPasswords is the old URL_USERINFO regular expression', () => {
  const OLD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*:([^\s@/'"]+)@[^\s'"]/gi;
  const atoms = ['a', 'B', '1', '+', '.', '-', ':', '/', '//', '://', '@', ' ', '\n', '"', "'", 'x', '%40', '\u2028', '\u00a0'];
  it(`on ${RUNS} random strings`, () => {
    const rand = prng(1);
    for (let i = 0; i < RUNS; i++) {
      const s = randomString(rand, atoms, 24);
      expect(urlPasswords(s), JSON.stringify(s)).toEqual([...s.matchAll(OLD)].map((m) => m[1]));
    }
  });
  it('on the documented shapes', () => {
    expect(urlPasswords('postgres://app:s3cr3t@db:5432/app and redis://:pw@r')).toEqual(['s3cr3t', 'pw']);
    expect(urlPasswords('1abc://u:p@h')).toEqual(['p']);
    expect(urlPasswords('https://example.com:8443/path')).toEqual([]);
  });
});

describe('nameWords is the old replace/split chain', () => {
  const old = (name: string): string[] =>
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w !== '');
  const atoms = ['A', 'B', 'a', 'b', '1', '_', '-', '.', ' ', 'É', 'é', '\u212a', 'İ'];
  it(`on ${RUNS} random names`, () => {
    const rand = prng(2);
    for (let i = 0; i < RUNS; i++) {
      const s = randomString(rand, atoms, 16);
      expect(nameWords(s), JSON.stringify(s)).toEqual(old(s));
    }
  });
});

describe('isReferenceOnly is the old REFERENCE regular expression', () => {
  const OLD = /^(?:\s*(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{[^}]*\}|\{\{.*?\}\}|%[A-Za-z_][A-Za-z0-9_]*%|\$[A-Za-z_][A-Za-z0-9_]*)\s*)+$/s;
  const atoms = ['$', '(', ')', '{', '}', '{{', '}}', '%', 'a', 'Z', '_', '1', '.', '-', ' ', '\n', '\u3000', 'x'];
  it(`on ${RUNS} random strings`, () => {
    const rand = prng(3);
    for (let i = 0; i < RUNS; i++) {
      const s = randomString(rand, atoms, 14);
      expect(isReferenceOnly(s), JSON.stringify(s)).toBe(OLD.test(s));
    }
  });
  it('on the documented shapes', () => {
    for (const s of ['$(VAR)', '${VAR}', '{{ .Values.x }}', '%VAR%', '$VAR', '${A}-${B}'.replace('-', ' '), '{{a}} x }}']) expect(isReferenceOnly(s), s).toBe(true);
    for (const s of ['', '   ', 'x', '$(1)', '${a', '{{a}', '%a', '$ a']) expect(isReferenceOnly(s), s).toBe(false);
  });
});

describe('credentialAssignments is the old per-line regular expression', () => {
  const LINE = /^\s*(?:-\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.*?)\s*,?\s*$/;
  const old = (text: string): string[] => {
    const out: string[] = [];
    for (const line of text.split(/\r?\n/)) {
      const m = LINE.exec(line);
      if (!m) continue;
      const key = m[1] ?? '';
      const raw = (m[2] ?? '').replace(/^(["'])(.*)\1$/, '$2');
      if (!isCredentialName(key)) continue;
      if (raw === '' || raw === '|' || raw === '>' || raw.startsWith('{') || raw.startsWith('[') || raw.startsWith('#')) continue;
      if (isPlaceholder(raw) || isPathLike(raw) || /^[a-z][a-z0-9+.-]*:\/\/[^\s@]*$/i.test(raw.trim())) continue;
      if (!out.includes(key)) out.push(key);
    }
    return out;
  };
  const atoms = ['password', 'apiKey', 'token_file', 'db.pass', ' ', '\t', ':', '=', ',', '"', "'", '-', 'x', 'S3cr3t!', '\n', '\r', '\u2028', '#', '{', 'https://h', '$(X)', 'changeme'];
  it(`on ${RUNS} random texts`, () => {
    const rand = prng(4);
    for (let i = 0; i < RUNS; i++) {
      const s = randomString(rand, atoms, 12);
      expect(credentialAssignments(s), JSON.stringify(s)).toEqual(old(s));
    }
  });
});

describe('the private-key shape is the old one', () => {
  const OLD = /-{3,}\s*BEGIN\s+(?:[A-Z0-9]+\s+)*PRIVATE\s+KEY(?:\s+BLOCK)?\s*-{3,}/i;
  const atoms = ['-', '---', '-----', 'BEGIN', ' ', '\n', 'RSA', 'PRIVATE', 'KEY', 'BLOCK', 'x'];
  it(`on ${RUNS} random strings`, () => {
    const rand = prng(5);
    for (let i = 0; i < RUNS; i++) {
      const s = randomString(rand, atoms, 12);
      expect(credentialShape(s) === 'contains a private key (PEM)', JSON.stringify(s)).toBe(OLD.test(s));
    }
  });
});
