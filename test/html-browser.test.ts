/**
 * The HTML report in a real browser (Debian's headless Chromium through playwright-core), as issue 13 §4 asks:
 * every count and every finding (check, resource, file:line) on the page equals the JSON report of the same run;
 * no network request and no console error; readable with JavaScript off and under Jenkins' default CSP; the filters
 * give the counts of the JSON filtered the same way; axe-core finds no serious or critical violation. Screenshots of
 * the summary, the RBAC graph and the heatmap are written to .cache/html-screenshots/.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Finding } from '../src/core/finding.js';
import type { Report } from '../src/core/report.js';
import { SEVERITIES } from '../src/core/severity.js';
import { escapeText } from '../src/core/text.js';
import { JENKINS_CSP, chromiumAvailable, launchChromium, servePages, type PageServer } from './support/browser.js';
import { REPO_ROOT, runCli } from './support/cli.js';
import { namespacePairCounts } from './support/netpol-matrix.js';

const SHOTS = `${REPO_ROOT}.cache/html-screenshots`;
const ARGS = ['scan', 'examples/insecure', '--framework', 'all', '--fail-on', 'none'];

/** Manifests whose names, namespace and image carry markup and script. */
const HOSTILE = `apiVersion: v1
kind: Pod
metadata:
  name: "<img src=x onerror=alert(1)>"
  namespace: "\\"><svg onload=alert(3)>"
  annotations:
    x: "</script><script>alert(4)</script>"
spec:
  containers:
    - name: "c<script>alert(5)</script>"
      image: "nginx:<script>alert(2)</script>"
      securityContext:
        privileged: true
`;

function resourceText(f: Finding): string {
  const r = f.resource;
  if (!r) return f.source ? `${f.source.type} ${f.source.uri}` : '(no resource)';
  return `${r.kind} ${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}`;
}
function loc(f: Finding): string {
  return f.location ? `${f.location.file}:${f.location.line}` : f.source ? `${f.source.type} ${f.source.uri}` : '';
}
/** The DOM the page functions touch (the tests compile without the DOM library). */
interface El {
  readonly textContent: string | null;
  readonly children: ArrayLike<El>;
  readonly hidden: boolean;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  closest(selector: string): El | null;
  getClientRects(): { readonly length: number };
}

const key = (check: string, resource: string, where: string): string => `${check} | ${resource} | ${where}`;

/** Every finding row on the page as `check | resource | file:line`, with the resource from its group's header row. */
async function pageRows(page: Page): Promise<string[]> {
  return page.$$eval('#findings tbody', (bodies) =>
    (bodies as unknown as El[]).flatMap((b) => {
      const head = b.querySelector('tr.res th')?.textContent ?? '';
      const resource = head.replace(/ \(\d+\)$/, '');
      return Array.from(b.querySelectorAll('tr[data-f]')).map((r) => `${r.children[1]?.textContent ?? ''} | ${resource} | ${r.children[3]?.textContent ?? ''}`);
    }),
  );
}

const run = chromiumAvailable() ? describe : describe.skip;

run('HTML report in Chromium', () => {
  let browser: Browser;
  let server: PageServer;
  let json: Report;
  let html: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const [h, j] = await Promise.all([runCli([...ARGS, '-f', 'html']), runCli([...ARGS, '-f', 'json'])]);
    expect(h.code, h.stderr).toBe(0);
    expect(j.code, j.stderr).toBe(0);
    html = h.stdout;
    json = JSON.parse(j.stdout) as Report;
    server = await servePages({ '/report.html': { body: html }, '/jenkins.html': { body: html, headers: { 'content-security-policy': JENKINS_CSP } } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  async function open(path: string, options: { javaScriptEnabled?: boolean; bypassCSP?: boolean } = {}): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, ...options });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(server.url(path), { waitUntil: 'load' });
    return { page, errors, requests };
  }

  it('shows the counts and every finding of the JSON report of the same run, with no request and no console error', async () => {
    const before = server.requests.length;
    const { page, errors, requests } = await open('/report.html');
    expect(errors).toEqual([]);
    expect(requests).toEqual([server.url('/report.html')]);
    expect(await page.textContent('#total-findings')).toBe(String(json.summary.findings));
    for (const s of SEVERITIES) expect(await page.textContent(`[data-count="${s}"]`)).toBe(String(json.summary.bySeverity[s]));
    expect(await page.textContent('#total-not-evaluated')).toBe(String(json.summary.notEvaluated));
    expect(await page.textContent('#total-suppressed')).toBe(String(json.summary.suppressed));
    expect(await page.textContent('#total-problems')).toBe(String(json.summary.problems));
    const expected = json.findings.map((f) => key(escapeText(f.checkId), escapeText(resourceText(f)), escapeText(loc(f)))).sort();
    expect((await pageRows(page)).sort()).toEqual(expected);
    expect(await page.textContent('#shown')).toBe(`${json.findings.length} of ${json.findings.length} findings shown`);
    // Framework scores equal the JSON's views.
    for (const v of json.frameworks ?? []) {
      const row = await page.$eval(`#framework-scores a[href="#fw-${v.framework}"]`, (a) => (a as unknown as El).closest('tr')?.textContent ?? '');
      expect(row).toContain(`${v.summary.score ?? '–'}%`.replace('–%', '–'));
    }
    await page.screenshot({ path: `${SHOTS}/summary.png` });
    await page.locator('#summary').screenshot({ path: `${SHOTS}/summary-section.png` });
    if (await page.locator('#rbac svg').count()) await page.locator('#rbac figure').screenshot({ path: `${SHOTS}/rbac-graph.png` });
    if (await page.locator('#network svg').count()) await page.locator('#network figure').first().screenshot({ path: `${SHOTS}/heatmap.png` });
    // Only the document itself reached the server.
    expect(server.requests.slice(before)).toEqual(['/report.html']);
    await page.context().close();
  });

  it('draws the escalation paths `kspect rbac paths` finds, as a laid-out graph and as text', async () => {
    const paths = await runCli(['rbac', 'paths', 'examples/insecure', '-f', 'json', '--fail-on', 'none']);
    expect(paths.code, paths.stderr).toBe(0);
    const found = (JSON.parse(paths.stdout) as Report).findings.length;
    expect(found).toBeGreaterThan(0);
    const { page } = await open('/report.html');
    expect(await page.locator('#rbac ol.paths > li').count()).toBe(found);
    expect(await page.locator('#rbac svg g rect').count()).toBeGreaterThan(found);
    expect(await page.locator('#rbac svg text', { hasText: 'cluster-admin' }).count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('the namespace heatmap counts what `kspect netpol matrix` decides pair by pair', async () => {
    const m = await runCli(['netpol', 'matrix', '-i', 'examples/insecure', '-f', 'json']);
    expect(m.code, m.stderr).toBe(0);
    const expected = namespacePairCounts(m.stdout);
    const { page } = await open('/report.html');
    const rows = await page.$$eval('#network details tbody tr', (rs) => (rs as unknown as El[]).map((r) => Array.from(r.children).map((c) => c.textContent ?? '')));
    const shown = new Map(rows.map((r) => [`${r[0] ?? ''} → ${r[1] ?? ''}`, { pairs: Number(r[2]), allowed: Number(r[3]) }]));
    expect(shown).toEqual(expected);
    expect(await page.locator('#network svg rect').count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('filters give the counts of the JSON filtered the same way', async () => {
    const { page, errors } = await open('/report.html');
    const shown = async (): Promise<number> => Number(await page.getAttribute('#filters', 'data-shown'));
    // Severity: high and above (index 1).
    await page.selectOption('#f-sev', '1');
    expect(await shown()).toBe(json.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length);
    expect(await page.locator('#findings tr[data-f]:visible').count()).toBe(await shown());
    await page.click('#f-reset');
    // Namespace.
    const nsLabel = 'shop';
    await page.selectOption('#f-ns', { label: nsLabel });
    expect(await shown()).toBe(json.findings.filter((f) => f.resource?.namespace === nsLabel).length);
    await page.click('#f-reset');
    // Check.
    await page.selectOption('#f-check', { label: 'pod-privileged' });
    expect(await shown()).toBe(json.findings.filter((f) => f.checkId === 'pod-privileged').length);
    await page.click('#f-reset');
    // Framework control: CIS 5.2.2 → the findings of the checks mapped to it.
    const control = json.frameworks?.find((v) => v.framework === 'cis')?.controls.find((c) => c.id === '5.2.2');
    expect(control?.verdict).toBe('FAIL');
    await page.selectOption('#f-fw', 'cis 5.2.2');
    expect(await shown()).toBe(json.findings.filter((f) => control?.checks.includes(f.checkId)).length);
    // Combined with severity.
    await page.selectOption('#f-sev', '0');
    expect(await shown()).toBe(json.findings.filter((f) => control?.checks.includes(f.checkId) && f.severity === 'critical').length);
    await page.click('#f-reset');
    expect(await shown()).toBe(json.findings.length);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('is readable with JavaScript off: the summary and every finding', async () => {
    const { page, errors } = await open('/report.html', { javaScriptEnabled: false });
    expect(errors).toEqual([]);
    expect(await page.isVisible('#summary')).toBe(true);
    expect(await page.textContent('#total-findings')).toBe(String(json.summary.findings));
    expect(await page.isHidden('#filters')).toBe(true);
    const rows = await pageRows(page);
    expect(rows).toHaveLength(json.findings.length);
    const visible = await page.$$eval('#findings tr[data-f]', (rs) => (rs as unknown as El[]).filter((r) => !r.hidden && r.getClientRects().length > 0).length);
    expect(visible).toBe(json.findings.length);
    await page.screenshot({ path: `${SHOTS}/no-javascript.png` });
    await page.context().close();
  });

  it("is readable under Jenkins' default CSP (no scripts, no inline styles)", async () => {
    const { page } = await open('/jenkins.html');
    // The style element is blocked: tables keep the browser's default (separate) border model.
    expect(await page.$eval('table', (t) => (globalThis as unknown as { getComputedStyle: (e: unknown) => { borderCollapse: string } }).getComputedStyle(t).borderCollapse)).toBe('separate');
    expect(await page.isHidden('#filters')).toBe(true);
    expect(await page.textContent('#total-findings')).toBe(String(json.summary.findings));
    expect((await pageRows(page)).length).toBe(json.findings.length);
    const visible = await page.$$eval('#findings tr[data-f]', (rs) => (rs as unknown as El[]).filter((r) => r.getClientRects().length > 0).length);
    expect(visible).toBe(json.findings.length);
    await page.screenshot({ path: `${SHOTS}/jenkins-csp.png` });
    await page.context().close();
  });

  it('axe-core finds no serious or critical accessibility violation', async () => {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // The page's CSP would block the injected script: bypassCSP for the audit only.
    const { page } = await open('/report.html', { bypassCSP: true });
    await page.addScriptTag({ content: axe });
    const result = await page.evaluate(async () => {
      const w = globalThis as unknown as { document: unknown; axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } };
      return w.axe.run(w.document, { resultTypes: ['violations'] });
    });
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact ?? ''}, ${v.nodes.length} nodes)`);
    expect(bad).toEqual([]);
    await page.context().close();
  });

  it('no markup from input runs: a hostile report triggers no dialog, no request and no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kspect-html-'));
    writeFileSync(join(dir, 'pod.yaml'), HOSTILE);
    const r = await runCli(['scan', join(dir, 'pod.yaml'), '-f', 'html', '--fail-on', 'none']);
    expect(r.code, r.stderr).toBe(0);
    const local = await servePages({ '/hostile.html': { body: r.stdout } });
    const context = await browser.newContext();
    const page = await context.newPage();
    let dialogs = 0;
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('request', (q) => requests.push(q.url()));
    await page.goto(local.url('/hostile.html'));
    await page.selectOption('#f-sev', '0');
    await page.click('#f-reset');
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
    expect(requests).toEqual([local.url('/hostile.html')]);
    expect(await page.locator('img, svg [onload], script:not([type])').count()).toBe(1);
    expect(await page.textContent('#findings')).toContain('<img src=x onerror=alert(1)>');
    await context.close();
    await local.close();
  });
});
