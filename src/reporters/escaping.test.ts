/**
 * Output that cannot be turned against its reader (issue 10 §3): every reporter, fed reports whose every string from
 * input is hostile, prints no control character, bidi override or lone surrogate, no line a CI runner reads as a
 * workflow command, valid JSON / SARIF / XML with the same values, a terminal table within its width, and Markdown
 * whose rendering (GitHub's cmark-gfm and micromark's GFM) has exactly the structure of a harmless report's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import type { Report } from '../core/report.js';
import { escapeText, wellFormed } from '../core/text.js';
import { readReportJson } from '../core/report-json.js';
import { FIXED_REPORT } from './fixed-report.testutil.js';
import { PAYLOADS, hostileReport, hostileReports, prng, randomHostile } from './hostile.testutil.js';
import { REPORTERS, type RenderOptions } from './index.js';
import { displayWidth } from './text.js';
import { sarifErrors } from './validate.testutil.js';

const OPTIONS: RenderOptions = { color: false, showSuppressed: true };

function render(format: string, report: Report, options: RenderOptions = OPTIONS): string {
  const r = REPORTERS[format];
  if (!r) throw new Error(`no ${format} reporter`);
  return r(report, options);
}

// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** What must hold for any text kspect prints, whatever the format. */
function expectHarmless(text: string): void {
  const bad = RAW_UNSAFE.exec(text);
  expect(bad, bad ? `raw U+${(bad[0].codePointAt(0) ?? 0).toString(16)} at ${bad.index}: ${JSON.stringify(text.slice(Math.max(0, bad.index - 30), bad.index + 30))}` : '').toBeNull();
  expect(wellFormed(text)).toBe(text);
  for (const line of text.split('\n')) {
    expect(line, 'a line a GitHub runner reads as a workflow command').not.toMatch(/^\s*::/);
    expect(line, 'a ##[ or ##vso[ command').not.toMatch(/##(?:\[|vso\[)/i);
  }
}

function mapStrings(v: unknown): unknown {
  if (typeof v === 'string') return wellFormed(v);
  if (Array.isArray(v)) return v.map(mapStrings);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x)]));
  return v;
}

/** The sequence of HTML tags of a rendering: its structure, without text. */
function tags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-z][a-z0-9]*)[^>]*>/g)].map((m) => m[0].replace(/\s.*>$/, '>'));
}

function cmarkGfm(md: string): string {
  return execFileSync('cmark-gfm', ['-e', 'table', '-e', 'autolink', '-e', 'strikethrough', '-e', 'tagfilter', '--unsafe'], { input: md, encoding: 'utf8' });
}

function micromarkGfm(md: string): string {
  return micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

const reports = hostileReports();

describe('every format is harmless to print, whatever the input holds', () => {
  for (const format of Object.keys(REPORTERS)) {
    it(`${format}: each payload and all at once`, () => {
      for (const { name, report } of reports) {
        const out = render(format, report);
        try {
          expectHarmless(out);
        } catch (err) {
          throw new Error(`${format} / ${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
      }
    });
  }
  it('random strings over a hostile alphabet, in every field, every format (200 reports)', () => {
    const rand = prng(20260601);
    for (let i = 0; i < 200; i++) {
      const report = hostileReport(randomHostile(rand));
      for (const format of Object.keys(REPORTERS)) expectHarmless(render(format, report, { ...OPTIONS, width: 60 + (i % 80) }));
    }
  });
});

describe('table', () => {
  it('shows control characters, bidi controls and CI command prefixes as visible escapes', () => {
    const out = render('table', hostileReport(PAYLOADS.newlineWorkflow ?? ''));
    expect(out).toContain('msg name\\n::error file=a.yaml,line=1::forged annotation');
    expect(render('table', hostileReport(PAYLOADS.leadingWorkflow ?? ''), { ...OPTIONS, groupBy: 'namespace' })).toContain('Namespace ns::add-mask::x');
    expect(render('table', hostileReport(PAYLOADS.bidi ?? ''))).toContain('safe\\u202eexe.txt\\u2066hidden\\u2069');
    expect(render('table', hostileReport(PAYLOADS.azure ?? ''))).toContain('#\\x23vso[task.setvariable');
    expect(render('table', hostileReport(PAYLOADS.ansiClear ?? ''))).toContain('x\\x1b[2J\\x1b[1;1Hcleared');
  });
  it('every line fits the width, for any width from 60 up, with every payload', () => {
    for (const width of [60, 66, 72, 100, 160]) {
      for (const { report } of reports) {
        for (const groupBy of ['resource', 'check', 'namespace'] as const) {
          for (const line of render('table', report, { ...OPTIONS, width, groupBy }).split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
        }
      }
    }
  });
});

describe('json and sarif', () => {
  it('json parses back to the same values (lone surrogates become U+FFFD), with no raw C1 or bidi character', () => {
    for (const { report } of reports) {
      const text = render('json', report);
      expect(text).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
      // Read as every reader reads a report: the findings' left-out titles, remediations and references restored.
      const read = readReportJson(JSON.parse(text));
      expect(read.ok && read.report).toEqual(mapStrings(report));
    }
  });
  it('sarif with every payload validates with the SARIF multitool', () => {
    const all = reports[0];
    if (!all) throw new Error('no report');
    const text = render('sarif', all.report);
    expect(sarifErrors(text)).toEqual([]);
    const log = JSON.parse(text) as { runs: [{ results: { message: { text: string } }[] }] };
    expect(log.runs[0].results[0]?.message.text).toBe(wellFormed(all.report.findings[0]?.message ?? ''));
  });
});

describe('junit', () => {
  it('is well-formed XML 1.0 for every payload (strict parser), keeping newlines of input out of the output lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kspect-junit-hostile-'));
    const files = reports.map(({ report }, i) => {
      const f = join(dir, `${i}.xml`);
      writeFileSync(f, render('junit', report));
      return f;
    });
    const script = 'import sys,xml.etree.ElementTree as E\nfor f in sys.argv[1:]:\n  r=E.parse(f).getroot()\n  print(len(r.findall(".//testcase")))';
    const counts = execFileSync('python3', ['-c', script, ...files], { encoding: 'utf8' }).trim().split('\n');
    // Hostile names make two resources of the fixed report one: count the cases of the same report with a plain payload.
    const plain = (render('junit', hostileReport('x')).match(/<testcase /g) ?? []).length;
    expect(counts).toEqual(reports.map(() => String(plain)));
    const one = render('junit', hostileReport(PAYLOADS.newlineWorkflow ?? ''));
    expect(one).toContain('msg name&#10;::error file=a.yaml');
  });
});

describe('markdown', () => {
  const benign = render('markdown', FIXED_REPORT);
  for (const [name, md] of [
    ['cmark-gfm (GitHub)', cmarkGfm],
    ['micromark GFM', micromarkGfm],
  ] as const) {
    it(`${name}: every payload renders with the structure of a harmless report (no link, image, HTML, emphasis, extra cell)`, () => {
      const expected = tags(md(benign));
      for (const { name: payload, report } of reports) {
        const html = md(render('markdown', report));
        expect(tags(html), payload).toEqual(expected);
        expect(html).not.toMatch(/<a\s|<img|<script/i);
      }
    });
  }
  it('shows input as code spans, with the pipe escaped only inside tables', () => {
    const out = render('markdown', hostileReport(PAYLOADS.tableBreak ?? ''));
    expect(out).toContain('`msg a \\| b \\| c \\|\\n\\|---\\|`');
    expect(out).toContain('`prtable`'.replace('table', escapeText(PAYLOADS.tableBreak ?? '')));
  });
});
