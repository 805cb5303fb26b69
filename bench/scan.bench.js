// Scan benchmark, three parts, one JSON document:
// - parse: the full `kspect scan` pipeline in one process (load with positions + every check + the JSON report
//   rendered in chunks) against bare parsing of the same file with the `yaml` package, alternating runs, medians.
//   Peak RSS of the scan is measured in a separate process that only scans.
// - peers: the CLI end to end (`kspect scan FILE -f json`) against kube-score (`score FILE -o json`) and kube-linter
//   (`lint FILE --format json`) on the same generated files of 2,000 and 20,000 objects, runs alternating, wall-time
//   medians and their ratio, peak RSS of each (by /usr/bin/time). The peers are built by bench/peers.sh from the Go
//   module proxy into the per-machine cache; one that cannot be built is a printed note.
// - scaling: the CLI at 2,000 … 200,000 objects (KSPECT_BENCH_SCALING): wall time, peak RSS, µs per object.
// Environment: KSPECT_BENCH_OBJECTS (parse part, 20000), KSPECT_BENCH_REPS (2), KSPECT_BENCH_PEER_SIZES
// ("2000,20000"), KSPECT_BENCH_PEER_REPS (3), KSPECT_BENCH_SCALING ("2000,20000,200000"), KSPECT_BENCH_PARTS
// ("parse,peers,scaling").
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { checkManifests as audit } from '../dist/index.js';
import { writeJson } from '../dist/reporters/json.js';
import { generateManifests } from './generate.js';

/** The JSON report as the CLI writes it (in chunks), into a sink that only counts. */
const renderJson = (report) => {
  let n = 0;
  writeJson(report, {}, (c) => (n += c.length));
  return n;
};

const COUNT = Number(process.env.KSPECT_BENCH_OBJECTS ?? 20000);
const REPS = Number(process.env.KSPECT_BENCH_REPS ?? 2);
const PEER_SIZES = (process.env.KSPECT_BENCH_PEER_SIZES ?? '2000,20000').split(',').filter(Boolean).map(Number);
const PEER_REPS = Number(process.env.KSPECT_BENCH_PEER_REPS ?? 3);
const SCALING = (process.env.KSPECT_BENCH_SCALING ?? '2000,20000,200000').split(',').filter(Boolean).map(Number);
const PARTS = new Set((process.env.KSPECT_BENCH_PARTS ?? 'parse,peers,scaling').split(','));
const BIN = fileURLToPath(new URL('../bin/kspect.js', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (process.argv[2] === '--scan-only') {
  const report = await audit({ paths: [process.argv[3]], settings: { now: new Date(0) } });
  renderJson(report);
  process.stdout.write(JSON.stringify({ peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), findings: report.findings.length }));
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-'));
const files = new Map();
const PER_FILE = 20000;
/**
 * The generated input of `count` objects (written once per run): one file, or above 20,000 objects a folder of
 * files of 20,000 objects each (the same documents; one file would be over the 64 MiB --max-file-size).
 */
function fileOf(count) {
  let f = files.get(count);
  if (!f) {
    const text = generateManifests(count);
    if (count <= PER_FILE) {
      f = join(dir, `cluster-${count}.yaml`);
      writeFileSync(f, text);
    } else {
      f = join(dir, `cluster-${count}`);
      mkdirSync(f);
      const docs = text.slice(0, -1).split('\n---\n');
      for (let i = 0; i * PER_FILE < docs.length; i++) writeFileSync(join(f, `part-${String(i).padStart(3, '0')}.yaml`), `${docs.slice(i * PER_FILE, (i + 1) * PER_FILE).join('\n---\n')}\n`);
    }
    files.set(count, f);
  }
  return f;
}
/** Bytes of a generated input (a file or a folder of files). */
const bytesOf = (f) => (statSync(f).isDirectory() ? readdirSync(f).reduce((n, x) => n + statSync(join(f, x)).size, 0) : statSync(f).size);

/**
 * Run a command with its output to /dev/null: wall milliseconds, and by /usr/bin/time (null without it) CPU
 * milliseconds (user + system: what a loaded machine does not inflate as much as wall time) and peak RSS in MiB.
 */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
function measure(cmd, args, okStatus = [0, 1], failOk = false) {
  const rssFile = join(dir, 'rss');
  const out = openSync('/dev/null', 'w');
  const t = performance.now();
  const r = TIME ? spawnSync(TIME, ['-f', '%M %U %S', '-o', rssFile, cmd, ...args], { stdio: ['ignore', out, 'pipe'], maxBuffer: 64 << 20 }) : spawnSync(cmd, args, { stdio: ['ignore', out, 'pipe'], maxBuffer: 64 << 20 });
  const ms = performance.now() - t;
  closeSync(out);
  if (!okStatus.includes(r.status) && !failOk) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 400)}`);
  const [kib, user, sys] = TIME ? readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [];
  return { ms, rss: TIME ? Math.round(kib / 1024) : null, cpu: TIME ? Math.round((user + sys) * 1000) : null, exit: r.status, ...(okStatus.includes(r.status) ? {} : { error: String(r.stderr).trim().split('\n').slice(-3).join(' ').slice(0, 300) }) };
}
const kspectCmd = (file) => [process.execPath, [BIN, 'scan', file, '-f', 'json']];
const result = {};

if (PARTS.has('parse')) {
  const file = fileOf(COUNT);
  const parseOnly = () => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS()).length;
  const scan = async () => {
    const report = await audit({ paths: [file], settings: { now: new Date(0) } });
    renderJson(report);
    return report;
  };
  const parseMs = [];
  const scanMs = [];
  let report;
  for (let i = 0; i < REPS; i++) {
    global.gc?.();
    let t = performance.now();
    parseOnly();
    parseMs.push(performance.now() - t);
    global.gc?.();
    t = performance.now();
    report = await scan();
    scanMs.push(performance.now() - t);
  }
  const child = spawnSync(process.execPath, ['--max-old-space-size=4096', fileURLToPath(import.meta.url), '--scan-only', file], { encoding: 'utf8' });
  const rss = JSON.parse(child.stdout || '{}');
  result.parse = {
    objects: report.summary.objectsScanned,
    bytes: bytesOf(file),
    checks: report.summary.checksRun,
    findings: report.findings.length,
    parseMs: Math.round(median(parseMs)),
    scanMs: Math.round(median(scanMs)),
    ratio: Number((median(scanMs) / median(parseMs)).toFixed(3)),
    targetRatio: 1.0,
    peakRssMiB: rss.peakRssMiB,
    targetPeakRssMiB: 300,
    reps: REPS,
  };
}

if (PARTS.has('peers')) {
  const built = spawnSync('bash', [fileURLToPath(new URL('peers.sh', import.meta.url))], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const peers = built.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .map(([name, path, note]) => ({ name, path, note }));
  const argsOf = { 'kube-score': (f) => ['score', f, '-o', 'json'], 'kube-linter': (f) => ['lint', f, '--format', 'json'] };
  const runnable = peers.filter((p) => p.path);
  result.peers = { tools: Object.fromEntries(peers.map((p) => [p.name, p.note])), command: 'npm run bench -- scan', sizes: [] };
  for (const size of PEER_SIZES) {
    const file = fileOf(size);
    const runs = { kspect: [], ...Object.fromEntries(runnable.map((p) => [p.name, []])) };
    for (let i = 0; i < PEER_REPS; i++) {
      runs.kspect.push(measure(...kspectCmd(file)));
      for (const p of runnable) runs[p.name].push(measure(p.path, argsOf[p.name](file), [0, 1, 2]));
    }
    const row = { objects: size, bytes: bytesOf(file) };
    const k = median(runs.kspect.map((r) => r.ms));
    const kCpu = TIME ? median(runs.kspect.map((r) => r.cpu)) : null;
    for (const [name, rs] of Object.entries(runs)) {
      const ms = median(rs.map((r) => r.ms));
      const cpu = TIME ? median(rs.map((r) => r.cpu)) : null;
      row[name] = { wallMs: Math.round(ms), cpuMs: cpu, peakRssMiB: TIME ? Math.max(...rs.map((r) => r.rss)) : null };
      if (name !== 'kspect') Object.assign(row[name], { kspectWallRatio: Number((k / ms).toFixed(3)), kspectCpuRatio: TIME ? Number((kCpu / cpu).toFixed(3)) : null });
    }
    result.peers.sizes.push(row);
  }
  result.peers.reps = PEER_REPS;
}

if (PARTS.has('scaling')) {
  result.scaling = [];
  for (const size of SCALING) {
    const file = fileOf(size);
    // A size that fails (out of memory) is a row with its exit code and last stderr lines, not a crashed bench.
    const m = measure(...kspectCmd(file), [0, 1], true);
    result.scaling.push({ objects: size, bytes: bytesOf(file), exit: m.exit, wallMs: Math.round(m.ms), cpuMs: m.cpu, peakRssMiB: m.rss, wallUsPerObject: Math.round((m.ms * 1000) / size), ...(m.error ? { error: m.error } : {}) });
    rmSync(file, { recursive: true });
    files.delete(size);
  }
  const done = result.scaling.filter((r) => r.exit === 0 || r.exit === 1);
  const [first, last] = [done[0], done.at(-1)];
  // Linear in input size: CPU per object at the largest size over CPU per object at the smallest (1.0 = linear).
  if (first && last && first.cpuMs) result.cpuPerObjectLargestOverSmallest = Number((last.cpuMs / last.objects / (first.cpuMs / first.objects)).toFixed(3));
  result.targets = { peakRssMiBAt20000: 300, peakRssMiBAt200000: 1024 };
}

rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify(result));
