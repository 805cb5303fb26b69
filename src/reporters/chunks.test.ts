import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { reportJsonValue } from '../core/report-json.js';
import { CHUNK_CHARS, ChunkWriter } from './chunks.js';
import { FIXED_REPORT } from './fixed-report.testutil.js';
import { hostileReports, prng, randomHostile } from './hostile.testutil.js';
import { REPORTERS, WRITERS } from './index.js';
import { hardenJson, LazyArray, safeJson, Walk, writeJsonText } from './safe-json.js';

function streamed(value: unknown): string {
  const parts: string[] = [];
  const out = new ChunkWriter((c) => parts.push(c), hardenJson);
  writeJsonText(value, out);
  out.end();
  return parts.join('');
}

/** A random JSON-ish value: nesting deeper than the streamed levels, hostile strings, what JSON.stringify leaves out. */
function randomValue(rand: () => number, depth: number): unknown {
  const pick = rand();
  if (depth > 5 || pick < 0.3) {
    const leaf = Math.floor(rand() * 9);
    return [null, true, 0, -1.5e300, Number.NaN, randomHostile(rand, 4), '', undefined, new Date(Math.floor(rand() * 1e12))][leaf];
  }
  const n = Math.floor(rand() * 4);
  if (pick < 0.6) return Array.from({ length: n }, () => randomValue(rand, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) o[randomHostile(rand, 2) || `k${i}`] = randomValue(rand, depth + 1);
  if (rand() < 0.1) o.fn = () => 1;
  return o;
}

describe('writeJsonText writes exactly the text of safeJson (JSON.stringify, two spaces, hardened)', () => {
  it('on the fixed report and every hostile report', () => {
    expect(streamed(FIXED_REPORT)).toBe(safeJson(FIXED_REPORT));
    for (const { report } of hostileReports()) expect(streamed(report)).toBe(safeJson(report));
  });
  it('on 3,000 random values', () => {
    const rand = prng(16);
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(rand, 0);
      if (v === undefined) continue;
      expect(streamed(v)).toBe(safeJson(v));
    }
  });
  it('writes a LazyArray as the array it yields and a Walk as its object, at any depth', () => {
    const items = [{ a: 1 }, [], 'x\u0085##[y'];
    expect(streamed({ top: new Walk({ list: new LazyArray(items[Symbol.iterator]()) }) })).toBe(safeJson({ top: { list: items } }));
    expect(streamed({ l: new LazyArray([new Walk({ a: new LazyArray([1, { b: 2 }]) }), undefined]) })).toBe(safeJson({ l: [{ a: [1, { b: 2 }] }, undefined] }));
    expect(streamed({ empty: new LazyArray([]) })).toBe(safeJson({ empty: [] }));
  });
});

describe('ChunkWriter', () => {
  it('hands over chunks of about CHUNK_CHARS cut at the ends of pieces, transformed, nothing lost', () => {
    const chunks: string[] = [];
    const w = new ChunkWriter((c) => chunks.push(c), (t) => t.toUpperCase());
    const rand = prng(3);
    let all = '';
    for (let i = 0; i < 20_000; i++) {
      const line = 'ab'.repeat(Math.floor(rand() * 20));
      all += `${line}\n`;
      w.push(line);
    }
    w.end();
    expect(chunks.join('')).toBe(all.toUpperCase());
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks.slice(0, -1)) {
      expect(c.endsWith('\n')).toBe(true);
      expect(c.length).toBeLessThan(CHUNK_CHARS + 100);
    }
  });
  it('writes a line given in pieces (empty ones too) as that line, chunks cut only at line ends', () => {
    const chunks: string[] = [];
    const w = new ChunkWriter((c) => chunks.push(c));
    const rand = prng(5);
    let all = '';
    for (let i = 0; i < 20_000; i++) {
      const pieces = Array.from({ length: Math.floor(rand() * 6) }, () => (rand() < 0.3 ? '' : 'xy'.repeat(Math.floor(rand() * 12))));
      all += `${pieces.join('')}\n`;
      if (rand() < 0.2) w.push(pieces.join(''));
      else {
        for (const p of pieces) w.part(p);
        w.endLine();
      }
    }
    w.end();
    expect(chunks.join('')).toBe(all);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks.slice(0, -1)) expect(c.endsWith('\n')).toBe(true);
  });
});

/** The fixed report with `n` findings (distinct resources and lines), as a scan of a large input gives. */
function bigReport(n: number): Report {
  const base = FIXED_REPORT.findings;
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const f = base[i % base.length] as Finding;
    findings.push({ ...f, ...(f.resource ? { resource: { ...f.resource, name: `${f.resource.name}-${i}` } } : {}), fingerprint: `${f.fingerprint}-${i}` });
  }
  return { ...FIXED_REPORT, findings };
}

describe('every format streams a large report in bounded chunks', () => {
  const report = bigReport(20_000);
  for (const [format, write] of Object.entries(WRITERS)) {
    it(format, () => {
      let chunks = 0;
      let total = 0;
      let largest = 0;
      let last = '';
      write(report, { color: false, showSuppressed: true, groupBy: 'check' }, (c) => {
        chunks++;
        total += c.length;
        largest = Math.max(largest, c.length);
        last = c;
      });
      expect(largest).toBeLessThan(2 * CHUNK_CHARS);
      expect(last.endsWith('\n')).toBe(true);
      if (format !== 'markdown') expect(chunks).toBeGreaterThan(10);
      expect(total).toBeGreaterThan(0);
    });
  }
  it('the table of 120,000 findings grouped by check (it used to spread one argument per finding: stack overflow)', () => {
    let total = 0;
    WRITERS.table?.(bigReport(120_000), { color: false, showSuppressed: false, groupBy: 'check' }, (c) => (total += c.length));
    expect(total).toBeGreaterThan(120_000 * 50);
  });
  it('json: the chunks make the text JSON.stringify would of the v3 document (safeJson of reportJsonValue)', () => {
    const parts: string[] = [];
    WRITERS.json?.(report, { color: false, showSuppressed: true }, (c) => parts.push(c));
    expect(parts.join('')).toBe(safeJson(reportJsonValue(report)));
  });
  it('the string reporters are the writers, joined', () => {
    for (const [format, write] of Object.entries(WRITERS)) {
      const parts: string[] = [];
      write(FIXED_REPORT, { color: false, showSuppressed: true }, (c) => parts.push(c));
      expect(REPORTERS[format]?.(FIXED_REPORT, { color: false, showSuppressed: true })).toBe(parts.join(''));
    }
  });
});
