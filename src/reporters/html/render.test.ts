/**
 * The HTML report as text: every finding listed, the CSP allows exactly the page's own style and script, and no
 * string from input can change the markup (the tag skeleton of a hostile report equals that of a benign one).
 * What a browser makes of it is proven in test/html-browser.test.ts.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../core/report.js';
import { FIXED_REPORT, PLANTED_SECRET } from '../fixed-report.testutil.js';
import { hostileReport, hostileReports, prng, randomHostile } from '../hostile.testutil.js';
import { CSS, JS } from './assets.js';
import { scriptJson, t } from './escape.js';
import { renderHtml, writeHtml } from './render.js';

/** Tags with attribute names but not values, in order: what a string from input must never change. */
function skeleton(html: string): string[] {
  return [...html.matchAll(/<\/?[a-zA-Z!][^>]*>/g)].map((m) => m[0].replace(/"[^"]*"/g, '""'));
}

const sha = (s: string): string => createHash('sha256').update(s).digest('base64');

describe('renderHtml', () => {
  const html = renderHtml(FIXED_REPORT, { showSuppressed: true });

  it('is one document with a CSP that allows only its own style and script', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    expect(csp).toBe(`default-src 'none'; script-src 'sha256-${sha(JS)}'; style-src 'sha256-${sha(CSS)}'; img-src data:; base-uri 'none'; form-action 'none'`);
    expect(html).toContain(`<style>${CSS}</style>`);
    expect(html).toContain(`<script>${JS}</script>`);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\ssrc="/);
  });

  it('lists every finding and every suppressed finding', () => {
    expect(html.match(/<tr data-f="/g)).toHaveLength(FIXED_REPORT.findings.length);
    expect(html.match(/<tr data-s>/g)).toHaveLength(FIXED_REPORT.suppressed.length);
    expect(html.match(/<tr data-ne>/g)).toHaveLength(FIXED_REPORT.notEvaluated.length);
    for (const f of FIXED_REPORT.findings) expect(html).toContain(t(f.message));
  });

  it('never shows a planted secret', () => {
    expect(html).not.toContain(PLANTED_SECRET);
  });

  it('embeds the data the script filters on', () => {
    const json = /<script type="application\/json" id="kspect-data">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    const data = JSON.parse(json) as { f: number[]; checks: string[] };
    expect(data.f).toHaveLength(FIXED_REPORT.findings.length * 3);
  });

  const benign = skeleton(renderHtml(hostileReport('x'), { showSuppressed: true }));
  for (const { name, report } of hostileReports()) {
    it(`input cannot change the markup: ${name}`, () => {
      const out = renderHtml(report, { showSuppressed: true });
      expect(skeleton(out)).toEqual(benign);
      // eslint-disable-next-line no-control-regex -- the point: no raw control character reaches the page
      expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    });
  }

  it('random hostile strings never change the markup', () => {
    const rand = prng(13);
    for (let i = 0; i < 200; i++) expect(skeleton(renderHtml(hostileReport(randomHostile(rand)), {}))).toEqual(skeleton(renderHtml(hostileReport('x'), {})));
  });

  it('the embedded JSON cannot close its script element', () => {
    const s = scriptJson({ a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028' });
    expect(s).not.toMatch(/[<>\u2028]/);
    expect(JSON.parse(s)).toEqual({ a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028' });
  });

  it('writes in chunks', () => {
    const many: Report = { ...FIXED_REPORT, findings: Array.from({ length: 3000 }, (_, i) => ({ ...(FIXED_REPORT.findings[0] ?? ({} as never)), message: `m${i}` })) };
    const chunks: string[] = [];
    renderHtmlChunks(many, chunks);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('').match(/<tr data-f="/g)).toHaveLength(3000);
  });
});

function renderHtmlChunks(r: Report, into: string[]): void {
  writeHtml(r, {}, (c) => into.push(c));
}
