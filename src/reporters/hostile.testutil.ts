/** Reports whose every string from input is hostile: for the escaping tests of every reporter. */
import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { FIXED_REPORT } from './fixed-report.testutil.js';

/** One payload per class of attack on the reader of a report. */
export const PAYLOADS: Readonly<Record<string, string>> = {
  ansiClear: 'x\u001b[2J\u001b[1;1Hcleared',
  osc8Link: '\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007',
  titleSet: '\u001b]0;pwned\u0007',
  newlineWorkflow: 'name\n::error file=a.yaml,line=1::forged annotation',
  crWorkflow: 'name\r::warning::forged',
  leadingWorkflow: '::add-mask::x',
  indentedWorkflow: '   ::set-output name=x::y',
  azure: 'x ##vso[task.setvariable variable=PATH]/tmp/evil',
  azureUpper: 'x ##VSO[task.complete result=Succeeded;]done',
  ghV1: 'x ##[error]forged',
  bidi: 'safe\u202eexe.txt\u2066hidden\u2069',
  lineSep: 'a\u2028::error::b\u2029c',
  c1: 'a\u009b2Jb\u0085c',
  nul: 'a\u0000b\u0001c\u007f',
  xmlInvalid: 'a\ufffeb\uffffc\u000bd',
  loneHigh: 'a\ud800b',
  loneLow: 'a\udc00b',
  markdownLink: '[click me](https://evil.example/x) ![img](https://evil.example/i.png)',
  markdownHtml: '<img src=x onerror=alert(1)><script>alert(1)</script><details open>',
  tableBreak: 'a | b | c |\n|---|',
  backslashPipe: 'a\\|b\\\\|c',
  autolink: 'see https://evil.example/fix and www.evil.example and mail@evil.example',
  mention: '@octocat @org/team owner/repo#1 #42',
  backticks: '`code` ``double`` ```',
  entity: '&lt;b&gt; &#x202e; &amp;',
  emphasis: '**bold** _it_ ~~del~~',
};

const ALL = Object.values(PAYLOADS);

/** A report carrying `p` in every string that comes from input. */
export function hostileReport(p: string): Report {
  const finding = (base: Finding): Finding => ({
    ...base,
    message: `msg ${p}`,
    ...(base.resource ? { resource: { ...base.resource, kind: `K${p}`, name: `n${p}`, ...(base.resource.namespace !== undefined ? { namespace: `ns${p}` } : {}), ...(base.resource.container !== undefined ? { container: `c${p}` } : {}) } } : {}),
    ...(base.location ? { location: { ...base.location, file: `f${p}.yaml` } } : {}),
    ...(base.source ? { source: { ...base.source, uri: `u${p}` } } : {}),
    ...(base.path !== undefined ? { path: `p${p}` } : {}),
    ...(base.evidence !== undefined ? { evidence: `e${p}` } : {}),
  });
  const findings = FIXED_REPORT.findings.map(finding);
  return {
    ...FIXED_REPORT,
    inputs: [`in${p}`],
    findings,
    suppressed: FIXED_REPORT.suppressed.map((s) => ({ ...s, finding: finding(s.finding), reason: `r${p}` })),
    notEvaluated: FIXED_REPORT.notEvaluated.map((n) => ({ ...n, message: `ne${p}`, ...(n.source ? { source: { ...n.source, uri: `s${p}` } } : {}) })),
    problems: FIXED_REPORT.problems.map((x) => ({ ...x, message: `pr${p}`, file: `pf${p}` })),
  };
}

/** Every payload at once, and each alone. */
export function hostileReports(): { name: string; report: Report }[] {
  return [{ name: 'all payloads', report: hostileReport(ALL.join(' ')) }, ...Object.entries(PAYLOADS).map(([name, p]) => ({ name, report: hostileReport(p) }))];
}

/** A random string over an alphabet of dangerous characters and fragments, for property tests. */
export function randomHostile(rand: () => number, maxParts = 12): string {
  const atoms = ['\u001b', '[', ']', '\n', '\r', '\t', ':', '::', '#', '##', 'vso[', '|', '\\', '`', '<', '>', '&', '@', '*', '_', '\u202e', '\u2066', '\u2028', '\u0085', '\u009b', '\u0000', '\ud800', '\udc00', '\ud83d\ude00', '\ufffe', '漢', 'a', ' ', 'https://', 'www.', '(', ')', '!', '"', "'"];
  let s = '';
  const n = 1 + Math.floor(rand() * maxParts);
  for (let i = 0; i < n; i++) s += atoms[Math.floor(rand() * atoms.length)] ?? '';
  return s;
}

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
