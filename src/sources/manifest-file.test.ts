/**
 * A large file cut into parts (splitParts) and each part parsed on its own (parsePart, as a parse worker does) gives
 * the objects, origins (document index, the location of every field), problems and skipped count of the whole text
 * parsed at once — on generated manifests, the examples, a corpus subset and unusual streams (bad separators,
 * comments, CRLF, empty and broken documents, Lists, unnamed objects, a BOM-less UTF-16-free text), cut at many sizes;
 * a text with an anchor is not cut.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLoad, manifestFilesUnder, SHARED_CORPUS } from '../../test/support/loaded.js';
import { hasAnchor, parsePart, splitParts } from './manifest-file.js';
import { DEFAULT_PARSE_LIMITS, parseManifests } from './yaml.js';
import { generateManifests } from '../../bench/generate.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The whole text parsed at once, and in parts of about `size` characters (undefined: not cut). */
function bothWays(text: string, size: number): { whole: string; parts: string; count: number } | undefined {
  const whole = parseManifests(text, 'f.yaml', { type: 'file', uri: 'f.yaml' }, DEFAULT_PARSE_LIMITS);
  const parts = splitParts(text, size);
  if (!parts) return undefined;
  expect(parts[0]?.start).toBe(0);
  expect(parts.at(-1)?.end).toBe(text.length);
  parts.slice(1).forEach((p, i) => { expect(p.start).toBe(parts[i]?.end); });
  const parsed = parts.map((p) => parsePart(text.slice(p.start, p.end), 'f.yaml', p, DEFAULT_PARSE_LIMITS));
  expect(parsed.map((p) => p.read)).toEqual(parsed.map((_, i) => i === 0));
  return {
    whole: describeLoad({ ...whole, read: true }),
    parts: describeLoad({ objects: parsed.flatMap((p) => p.objects), problems: parsed.flatMap((p) => p.problems), skipped: parsed.reduce((n, p) => n + p.skipped, 0), read: true }),
    count: parts.length,
  };
}

const UNUSUAL = [
  'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n',
  '# a comment\n---\n',
  '--- # a separator with a comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: v\n',
  '---\n---\n\n   \n---\n',
  '---junk\napiVersion: v1\nkind: Pod\nmetadata: {name: after-bad}\n',
  'apiVersion: v1\r\nkind: Secret\r\nmetadata:\r\n  name: crlf\r\ntype: Opaque\r\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {}\n',
  ': : :\n  - [\n',
  'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s1}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s2}\n',
  '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "json-ns"}}\n',
  'just a scalar\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "r&d", namespace: x}\ndata: {a: "b & c"}\n',
];

describe('splitParts / parsePart', () => {
  it('give the load of the whole text: generated manifests and unusual streams, cut at many sizes', () => {
    const docs = [...generateManifests(300, 3).split('\n---\n'), ...UNUSUAL];
    // Unusual documents spread among ordinary ones, in a fixed shuffled order.
    const mixed: string[] = [];
    docs.forEach((d, i) => { mixed.splice((i * 7919) % (mixed.length + 1), 0, d); });
    const text = mixed.join('\n---\n');
    let cut = 0;
    for (const size of [64, 500, 4096, 20_000, 100_000]) {
      const r = bothWays(text, size);
      if (!r) continue;
      cut++;
      expect(r.count, `size ${size}`).toBeGreaterThan(1);
      expect(r.parts, `size ${size}`).toBe(r.whole);
    }
    expect(cut).toBeGreaterThanOrEqual(4);
    expect(text.length).toBeGreaterThan(200_000);
  });

  it('give the load of the whole file: the examples and a corpus subset, in tiny parts', () => {
    const files = [...manifestFilesUnder(join(ROOT, 'examples')), ...['badpods', 'kubernetes-goat', 'cert-manager'].flatMap((c) => manifestFilesUnder(join(SHARED_CORPUS, c)))];
    let cut = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const r = bothWays(text, 200);
      if (!r) continue;
      cut++;
      expect(r.parts, f).toBe(r.whole);
    }
    expect(cut).toBeGreaterThan(20);
  });

  it('cut only texts of two parts or more, without an anchor, at document boundaries', () => {
    const text = generateManifests(100, 1);
    expect(splitParts(text, text.length)).toBeUndefined();
    const parts = splitParts(text, 1000) ?? [];
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts.slice(1)) expect(text.slice(p.start, p.start + 4)).toBe('---\n');
    expect(splitParts(`${text}\n---\nbase: &b {x: 1}\nuse: *b\n`, 1000)).toBeUndefined();
    expect(hasAnchor('a: &x 1')).toBe(true);
    expect(hasAnchor('- &x\n')).toBe(true);
    expect(hasAnchor('[&x 1]')).toBe(true);
    expect(hasAnchor('url: http://a?b=1&c=2\nname: "r&d"\nx: a & b\n')).toBe(false);
    expect(hasAnchor('x: &')).toBe(false);
  });
});
