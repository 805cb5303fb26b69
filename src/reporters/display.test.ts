/**
 * Less noise, more signal (issue 17 §3): --group-by, the --severity display filter, the per-check summary, tables
 * that fit the width with long check ids aligned, and a markdown report sorted by severity that never hides a
 * critical finding.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import { FIXED_REPORT } from './fixed-report.testutil.js';
import { REPORTERS, type RenderOptions } from './index.js';
import { MAX_ROWS, pickRows } from './markdown.js';
import { displayWidth } from './text.js';
import { checkSummaries, displayView } from './view.js';

function render(format: string, report: Report, options: Partial<RenderOptions> = {}): string {
  const r = REPORTERS[format];
  if (!r) throw new Error(`no ${format} reporter`);
  return r(report, { color: false, showSuppressed: false, ...options });
}

const LONG_ID = 'netpol-namespace-no-default-deny-egress';

/** The fixed report plus a finding of a check with a long id and a long message. */
const WITH_LONG: Report = {
  ...FIXED_REPORT,
  findings: [
    ...FIXED_REPORT.findings,
    {
      checkId: LONG_ID,
      severity: 'low',
      title: 'Namespace without a default-deny egress policy',
      message: `namespace shop has no NetworkPolicy that denies egress by default: every pod may open connections to any address, including the cloud metadata service at 169.254.169.254 and ${'very-long-'.repeat(12)}host`,
      resource: { apiVersion: 'v1', kind: 'Namespace', name: 'shop' },
      location: { file: 'k8s/ns.yaml', line: 1, column: 1 },
      path: 'metadata',
      remediation: 'Add a default-deny egress policy.',
      references: {},
      fingerprint: `${LONG_ID}|Namespace//shop/|metadata`,
    },
  ],
  summary: { ...FIXED_REPORT.summary, findings: 5, bySeverity: { ...FIXED_REPORT.summary.bySeverity, low: 1 } },
};

describe('table layouts (golden files)', () => {
  for (const groupBy of ['check', 'namespace'] as const) {
    it(`--group-by ${groupBy}`, async () => {
      await expect(render('table', WITH_LONG, { groupBy, showSuppressed: true })).toMatchFileSnapshot(`./__golden__/report.by-${groupBy}.txt`);
    });
  }
  it('a 60-column terminal', async () => {
    await expect(render('table', WITH_LONG, { width: 60 })).toMatchFileSnapshot('./__golden__/report.width-60.txt');
  });
  it('--severity high', async () => {
    await expect(render('table', WITH_LONG, { minSeverity: 'high' })).toMatchFileSnapshot('./__golden__/report.severity-high.txt');
  });
});

describe('table', () => {
  it('groups by resource label and file: one resource object in two files, and findings without a resource, apart', () => {
    const base = FIXED_REPORT.findings[1];
    if (!base) throw new Error('fixture');
    const resource = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'same' };
    const at = (file: string, message: string, r: Finding['resource'] | undefined, source?: Finding['source']): Finding => {
      const { resource: _r, source: _s, ...rest } = base;
      return { ...rest, message, location: { file, line: 1, column: 1 }, fingerprint: message, ...(r ? { resource: r } : {}), ...(source ? { source } : {}) };
    };
    const findings = [
      at('one.yaml', 'first', resource),
      at('two.yaml', 'second', resource),
      at('one.yaml', 'third', { ...resource }),
      at('x', 'fourth', undefined, { type: 'file', uri: 'p.yaml' }),
      at('x', 'fifth', undefined, { type: 'file', uri: 'q.yaml' }),
    ];
    const t = render('table', { ...FIXED_REPORT, findings, suppressed: [], notEvaluated: [], problems: [] });
    const headings = t.split('\n').filter((l) => /^(ConfigMap|file )/.test(l));
    expect(headings).toEqual(['ConfigMap a/same  one.yaml', 'ConfigMap a/same  two.yaml', 'file p.yaml  x', 'file q.yaml  x']);
    const order = ['first', 'third', 'second', 'fourth', 'fifth'].map((m) => t.indexOf(` ${m}`));
    expect(order.every((p, i) => p > 0 && (i === 0 || p > (order[i - 1] as number)))).toBe(true);
  });
  it('aligns messages in one column across groups, however long a check id is', () => {
    const out = render('table', WITH_LONG, { width: 120 });
    const starts = out
      .split('\n')
      .filter((l) => /^ {2}:\d+ +[A-Z]+ /.test(l) || /^ {9}[A-Z]+ /.test(l))
      .map((l) => {
        const m = /^ {2}.{6} \S+ +\S+ +/.exec(l);
        return m?.[0].length;
      });
    expect(starts.length).toBe(5);
    expect(new Set(starts)).toEqual(new Set([2 + 6 + 1 + 8 + 1 + LONG_ID.length + 2]));
  });
  it('wraps the message, never the columns, within the width', () => {
    for (const width of [60, 80, 100, 133]) {
      const lines = render('table', WITH_LONG, { width }).split('\n');
      for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(width);
      // Below 30 columns for the message, messages go under their row instead (the 60-column golden file).
      if (width - (2 + 6 + 1 + 8 + 1 + LONG_ID.length + 2) < 30) continue;
      const continuation = lines.filter((l) => l.startsWith(' '.repeat(2 + 6 + 1 + 8 + 1 + LONG_ID.length + 2)) && l.trim() !== '');
      expect(continuation.length).toBeGreaterThan(0);
    }
  });
  it('--group-by check lists checks by worst severity, each with its title', () => {
    const heads = render('table', WITH_LONG, { groupBy: 'check' })
      .split('\n')
      .filter((l) => /^[a-z][a-z0-9-]+ {2}\S/.test(l));
    expect(heads.map((h) => h.split('  ')[0])).toEqual(['pod-privileged', 'pod-host-path', 'rbac-wildcard', LONG_ID]);
  });
  it('--group-by namespace puts each namespace once, cluster-scoped objects last', () => {
    const heads = render('table', WITH_LONG, { groupBy: 'namespace' })
      .split('\n')
      .filter((l) => /^(Namespace|Cluster-scoped)/.test(l));
    expect(heads).toEqual(['Namespace default  2 findings', 'Namespace shop  1 finding', 'Cluster-scoped and other resources  2 findings']);
  });
  it('--severity lists only findings at or above it; the totals count all and say what was not listed', () => {
    const out = render('table', WITH_LONG, { minSeverity: 'high' });
    expect(out).toContain('pod-privileged');
    expect(out).not.toContain('rbac-wildcard  ClusterRole');
    expect(out).not.toContain('/etc/localtime');
    expect(out).toContain('5 findings: 1 critical, 1 high, 1 medium, 1 low, 1 info');
    expect(out).toContain('3 findings below high not listed (1 medium, 1 low, 1 info); --severity info lists them');
    // The per-check summary still counts every finding.
    expect(out).toMatch(/MEDIUM {4}rbac-wildcard +1 +1/);
  });
  it('the per-check summary has count, worst severity and distinct resources', () => {
    expect(checkSummaries(WITH_LONG)).toEqual([
      { id: 'pod-privileged', title: 'Privileged container', worst: 'critical', findings: 1, resources: 1, suppressed: 1 },
      { id: 'pod-host-path', title: 'hostPath volume', worst: 'high', findings: 2, resources: 2, suppressed: 1 },
      { id: 'rbac-wildcard', title: 'Wildcard RBAC rule', worst: 'medium', findings: 1, resources: 1, suppressed: 0 },
      { id: LONG_ID, title: 'Namespace without a default-deny egress policy', worst: 'low', findings: 1, resources: 1, suppressed: 0 },
    ]);
  });
  it('groups findings by resource label and file, groups in the order of their first finding, equal resources in one group whether or not they are one object', () => {
    const base = WITH_LONG.findings[0] as Finding;
    const at = (name: string, file: string, message: string, shared?: Finding['resource']): Finding => ({
      ...base,
      message,
      resource: shared ?? { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name },
      location: { file, line: 1, column: 1 },
    });
    const one = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' };
    const findings = [at('x', 'f1.yaml', 'm1', one), at('y', 'f1.yaml', 'm2'), at('x', 'f2.yaml', 'm3', one), at('x', 'f1.yaml', 'm4'), at('x', 'f2.yaml', 'm5')];
    const out = render('table', { ...WITH_LONG, findings, suppressed: [] });
    const heads = out.split('\n').filter((l) => l.startsWith('ConfigMap '));
    expect(heads).toEqual(['ConfigMap a/x  f1.yaml', 'ConfigMap a/y  f1.yaml', 'ConfigMap a/x  f2.yaml']);
    const messages = out.split('\n').filter((l) => / m\d$/.test(l)).map((l) => l.slice(-2));
    expect(messages).toEqual(['m1', 'm4', 'm2', 'm3', 'm5']);
  });
  it('paints only on request, and the layout is the same with colour', () => {
    const plain = render('table', WITH_LONG);
    const painted = render('table', WITH_LONG, { color: true });
    expect(plain).not.toContain('\u001b[');
    // eslint-disable-next-line no-control-regex
    expect(painted.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });
});

describe('the display filter in the machine formats', () => {
  it('json lists findings at or above the threshold, the summary counts all', () => {
    const j = JSON.parse(render('json', WITH_LONG, { minSeverity: 'medium', showSuppressed: true })) as Report;
    expect(j.findings.map((f) => f.severity)).toEqual(['critical', 'high', 'medium']);
    expect(j.summary.findings).toBe(5);
  });
  it('sarif says what it did not list', () => {
    const s = JSON.parse(render('sarif', WITH_LONG, { minSeverity: 'critical' })) as { runs: [{ results: unknown[]; properties: { displayFilter?: { notListed: number } } }] };
    expect(s.runs[0].results.length).toBe(2); // the critical finding and its suppressed twin
    expect(s.runs[0].properties.displayFilter?.notListed).toBe(4);
  });
  it('junit has no failure for what it did not list', () => {
    const x = render('junit', WITH_LONG, { minSeverity: 'critical' });
    expect((x.match(/<failure /g) ?? []).length).toBe(1);
  });
  it('displayView leaves the report alone without a threshold', () => {
    expect(displayView(WITH_LONG, undefined).findings).toBe(WITH_LONG.findings);
    expect(displayView(WITH_LONG, 'info').hidden.total).toBe(0);
  });
});

function many(counts: Partial<Record<Severity, number>>): Finding[] {
  const base = FIXED_REPORT.findings[1];
  if (!base) throw new Error('fixture');
  const out: Finding[] = [];
  // Interleave severities in file order, info first, as a large real scan would list them.
  for (const sev of [...SEVERITIES].reverse()) for (let i = 0; i < (counts[sev] ?? 0); i++) out.push({ ...base, severity: sev, message: `${sev} ${i}`, fingerprint: `${sev}${i}` });
  return out;
}

describe('markdown', () => {
  it('is sorted by severity', () => {
    const md = render('markdown', WITH_LONG);
    const findings = md.slice(md.indexOf('### Findings'), md.indexOf('<details>'));
    const sev = [...findings.matchAll(/^\| \S+ (critical|high|medium|low|info) \| `/gm)].map((m) => m[1]);
    expect(sev).toEqual(['critical', 'high', 'medium', 'low', 'info']);
  });
  it('never hides a critical finding behind info rows, and says what it left out', () => {
    const findings = many({ info: 500, low: 20, critical: 250 });
    const { rows, left, leftTotal } = pickRows(findings);
    expect(rows.filter((r) => r.includes(' critical |')).length).toBe(250);
    expect(rows.length).toBe(250 + MAX_ROWS);
    expect(left).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 320 });
    expect(leftTotal).toBe(320);
    const md = render('markdown', { ...FIXED_REPORT, findings, suppressed: [] });
    expect(md).toContain('…and 320 more rows left out (320 info); the full report: `--format json`.');
  });
  it('keeps a PR comment under GitHub’s size limit with long messages', () => {
    const findings = many({ high: 400 }).map((f) => ({ ...f, message: 'x'.repeat(280) }));
    const md = render('markdown', { ...FIXED_REPORT, findings, suppressed: [] });
    expect(md.length).toBeLessThan(65_536);
    expect(md).toMatch(/…and \d+ more rows left out \(\d+ high\)/);
  });
  it('says what the display filter did not list', () => {
    expect(render('markdown', WITH_LONG, { minSeverity: 'high' })).toContain('3 findings below high not listed (1 medium, 1 low, 1 info).');
  });
});

describe('the resource label names a file once', () => {
  const base = FIXED_REPORT.findings[0];
  if (!base) throw new Error('fixed report has no finding');
  const about = (f: Partial<Finding>): Finding => {
    const { resource: _r, location: _l, source: _s, ...rest } = base;
    return { ...rest, checkId: 'rbac-wildcard', severity: 'medium', ...f };
  };
  const cases: Record<string, Finding> = {
    'a file source (pki check)': about({ source: { type: 'file', uri: 'pki/ca.key' } }),
    'an object named after its file (audit Policy)': about({ resource: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', name: 'policy.yaml' }, location: { file: 'policy.yaml', line: 4, column: 1 }, source: { type: 'file', uri: 'policy.yaml' } }),
    'a probed endpoint': about({ resource: { apiVersion: 'kspect.dev/v1alpha1', kind: 'ProbedEndpoint', name: '10.0.0.1:6443' }, source: { type: 'endpoint', uri: '10.0.0.1:6443' } }),
  };
  for (const [name, f] of Object.entries(cases)) {
    it(`for ${name}, grouped by resource and by check`, () => {
      const report: Report = { ...FIXED_REPORT, findings: [f], suppressed: [] };
      const name = f.resource?.name ?? f.source?.uri ?? '';
      for (const groupBy of ['resource', 'check'] as const) {
        const out = render('table', report, { groupBy, width: 200 });
        expect(out.split(name).length - 1, out).toBe(1);
      }
    });
  }
  it('still names the file of an object that lives in another file', () => {
    const out = render('table', { ...FIXED_REPORT, findings: [FIXED_REPORT.findings[0] ?? base], suppressed: [] }, { width: 200 });
    expect(out).toContain('Deployment shop/web  k8s/web deploy.yaml');
  });
});

describe('not-evaluated lines in the table', () => {
  it('name the resource once: not again when the message already begins with it', () => {
    const resource = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespace: 'a', name: 'b1' };
    const report: Report = {
      ...FIXED_REPORT,
      notEvaluated: [
        { reason: 'missing-input', resource, message: 'RoleBinding a/b1 references Role gone, which is not in the input: what it grants is unknown' },
        { reason: 'forbidden', resource: { ...resource, name: 'b2' }, message: 'the list was forbidden' },
      ],
    };
    const out = render('table', report, { width: 200 });
    expect(out).toContain('missing-input  RoleBinding a/b1 references Role gone');
    expect(out).not.toContain('RoleBinding a/b1: RoleBinding a/b1');
    expect(out).toContain('forbidden      RoleBinding a/b2: the list was forbidden');
  });
});
