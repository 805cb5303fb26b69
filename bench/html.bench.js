// HTML report budget (issue 13): a report of about 20,000 findings stays under 10 MB and opens in Chromium in under
// 2 s. Writes a generated corpus, runs `kspect scan -f html` on it (and `-f json` as the comparator of writing time),
// then loads the page in Debian's headless Chromium (playwright-core) from a file: URL, 3 times, and reports the
// median time from navigation start to the load event and to the first contentful paint.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { generateManifests } from './generate.js';

const OBJECTS = Number(process.env.KSPECT_BENCH_OBJECTS ?? 2800);
const REPS = Number(process.env.KSPECT_BENCH_REPS ?? 3);
const CHROMIUM = process.env.KSPECT_CHROMIUM ?? '/usr/bin/chromium';
const bin = fileURLToPath(new URL('../bin/kspect.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-html-'));
const input = join(dir, 'cluster.yaml');
writeFileSync(input, generateManifests(OBJECTS));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function write(format) {
  const out = join(dir, `report.${format}`);
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, 'scan', input, '-f', format, '-o', out, '--fail-on', 'none'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kspect scan -f ${format}: exit ${r.status}: ${r.stderr}`);
  return { out, ms: performance.now() - t };
}
const html = write('html');
const json = write('json');
const findings = JSON.parse(readFileSync(json.out, 'utf8')).summary.findings;
const bytes = statSync(html.out).size;

let load = null;
let paint = null;
if (existsSync(CHROMIUM)) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const loads = [];
  const paints = [];
  for (let i = 0; i < REPS; i++) {
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
    const page = await context.newPage();
    await page.goto(`file://${html.out}`, { waitUntil: 'load', timeout: 60_000 });
    const m = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { load: nav.loadEventEnd - nav.startTime, fcp: fcp ? fcp.startTime : null };
    });
    const shown = await page.textContent('#shown');
    if (!shown?.startsWith(`${findings} of ${findings}`)) throw new Error(`page shows "${shown}", JSON has ${findings}`);
    loads.push(m.load);
    if (m.fcp !== null) paints.push(m.fcp);
    await context.close();
  }
  await browser.close();
  load = Math.round(median(loads));
  paint = paints.length > 0 ? Math.round(median(paints)) : null;
}
process.stdout.write(
  JSON.stringify({
    objects: OBJECTS,
    findings,
    htmlBytes: bytes,
    htmlMB: Math.round((bytes / 1024 / 1024) * 100) / 100,
    bytesPerFinding: Math.round(bytes / Math.max(1, findings)),
    writeHtmlMs: Math.round(html.ms),
    writeJsonMs: Math.round(json.ms),
    htmlVsJsonWriteRatio: Math.round((html.ms / json.ms) * 100) / 100,
    chromiumLoadMs: load,
    chromiumFirstPaintMs: paint,
    budget: { maxMB: 10, maxLoadMs: 2000, withinSize: bytes < 10 * 1024 * 1024, withinLoad: load === null ? null : load < 2000 },
  }),
);
