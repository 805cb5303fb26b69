// Audit log benchmark: a synthetic log of KSPECT_BENCH_AUDIT_MB MiB (default 1024) made by cloning the real audit
// events of Falco's k8s-audit regression traces (new auditIDs, names and times), written to a temp folder and removed
// afterwards. In one process: bare JSON.parse of every line (same line splitter), then `analyzeAuditLog` with the
// bundled Falco rules over the same file. Prints both throughputs, their ratio, and peak RSS of each phase; also the
// CPU time of each phase (user + system, all threads) and its ratio, which stays meaningful on a busy machine where
// wall-clock time mostly measures the wait for a core.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, createWriteStream } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { setInterval, clearInterval } from 'node:timers';
import { join } from 'node:path';
import { analyzeAuditLog } from '../dist/index.js';
import { streamAuditLogLines } from '../dist/sources/audit-log.js';

const MB = Number(process.env.KSPECT_BENCH_AUDIT_MB ?? 1024);
const traces = process.env.KSPECT_FALCO_TRACES ?? '/work/shared/conformance/falco-k8saudit/falco-0.34.1-test/trace_files/k8s_audit';
const dir = mkdtempSync(join(tmpdir(), 'kspect-audit-bench-'));
const log = join(dir, 'audit.log');

const templates = [];
for (const f of readdirSync(traces).sort()) {
  for (const line of readFileSync(join(traces, f), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const v = JSON.parse(line);
      if (v && v.kind === 'Event') templates.push(v);
    } catch {
      // the fuzzing case: not an event
    }
  }
}

async function write() {
  const out = createWriteStream(log);
  let bytes = 0;
  let i = 0;
  const base = Date.parse('2026-01-01T00:00:00Z');
  while (bytes < MB * 1024 * 1024) {
    const t = templates[i % templates.length];
    const ts = new Date(base + i * 7).toISOString().replace('Z', '123Z');
    const e = { ...t, auditID: `bench-${i}`, stageTimestamp: ts, requestReceivedTimestamp: ts };
    if (e.objectRef && typeof e.objectRef === 'object' && typeof e.objectRef.name === 'string') e.objectRef = { ...e.objectRef, name: `${e.objectRef.name}-${i % 1000}` };
    const line = `${JSON.stringify(e)}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
    i++;
  }
  await new Promise((r) => out.end(r));
  return i;
}

const written = await write();
const size = statSync(log).size;
const rss = () => process.memoryUsage().rss;

global.gc?.();
let lines = 0;
let cpu = process.cpuUsage();
let t = process.hrtime.bigint();
let peak = rss();
await streamAuditLogLines([log], (text) => {
  JSON.parse(text);
  if (++lines % 100000 === 0) peak = Math.max(peak, rss());
});
const bareMs = Number(process.hrtime.bigint() - t) / 1e6;
const cpuMs = (u) => (u.user + u.system) / 1000;
const bareCpuMs = cpuMs(process.cpuUsage(cpu));
const bareRss = Math.max(peak, rss());

global.gc?.();
const before = rss();
let analyzePeak = before;
const timer = setInterval(() => {
  analyzePeak = Math.max(analyzePeak, rss());
}, 50);
cpu = process.cpuUsage();
t = process.hrtime.bigint();
const report = await analyzeAuditLog({ logs: [log], now: new Date('2026-06-01T00:00:00Z'), maxAlerts: 10000 });
const analyzeMs = Number(process.hrtime.bigint() - t) / 1e6;
const analyzeCpuMs = cpuMs(process.cpuUsage(cpu));
clearInterval(timer);
analyzePeak = Math.max(analyzePeak, rss());

const mibps = (ms) => Math.round((size / 1024 / 1024 / (ms / 1000)) * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    logBytes: size,
    events: written,
    comparator: 'stream the same lines and JSON.parse each (no rules)',
    bareMiBps: mibps(bareMs),
    analyzeMiBps: mibps(analyzeMs),
    ratio: Math.round((bareMs / analyzeMs) * 100) / 100,
    target: '>= 0.5 (half the speed of bare JSON.parse)',
    cpuRatio: Math.round((bareCpuMs / analyzeCpuMs) * 100) / 100,
    bareMs: Math.round(bareMs),
    analyzeMs: Math.round(analyzeMs),
    bareCpuMs: Math.round(bareCpuMs),
    analyzeCpuMs: Math.round(analyzeCpuMs),
    loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
    peakRssMiB: { bare: Math.round(bareRss / 1048576), analyze: Math.round(analyzePeak / 1048576) },
    alerts: report.audit?.alerts,
    listedFindings: report.findings.length + report.suppressed.length,
    evaluated: report.audit?.events,
  })}\n`,
);
rmSync(dir, { recursive: true, force: true });
