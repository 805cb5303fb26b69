// --jobs benchmark (issue 16 §3), one JSON document:
// - cli: `kspect scan INPUT -f json` with --jobs 1 against --jobs 2 on generated inputs: 20,000 objects in one file and in four, 200,000 in ten
//   (KSPECT_BENCH_JOBS_INPUTS: paths of your own instead, comma-separated), runs alternating: wall and CPU
//   milliseconds and peak RSS (by /usr/bin/time) per run, medians, and the ratio --jobs 2 / --jobs 1.
// - load: the loader alone (the parse --jobs spreads; the workers also judge in a scan) in this process, jobs 1
//   against jobs 2 on the same folders.
// - threshold: the scan of one file of 1–16 MiB (KSPECT_BENCH_JOBS_THRESHOLD, in objects), --jobs 1 against --jobs 2:
//   where a worker starts to pay (AUTO_JOBS_MIN_BYTES in src/sources/files.ts is chosen from it).
// The load average before and after is printed: on a shared 2-core machine, read the ratios with it.
// Environment: KSPECT_BENCH_JOBS_SIZES ("20000,200000": the load part; the cli part takes the 20,000 inputs when 20000
// is named, the 200,000 one when 200000 is), KSPECT_BENCH_JOBS_REPS (3; 1 at 200,000),
// KSPECT_BENCH_JOBS_PARTS ("cli,load,threshold"), KSPECT_BENCH_JOBS_THRESHOLD ("1000,…,16000").
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadManifests } from '../dist/sources/files.js';
import { generateManifests } from './generate.js';

const SIZES = (process.env.KSPECT_BENCH_JOBS_SIZES ?? '20000,200000').split(',').filter(Boolean).map(Number);
const REPS = Number(process.env.KSPECT_BENCH_JOBS_REPS ?? 3);
const PARTS = new Set((process.env.KSPECT_BENCH_JOBS_PARTS ?? 'cli,load,threshold').split(','));
const BIN = fileURLToPath(new URL('../bin/kspect.js', import.meta.url));
const WORKER = new URL('../dist/bundle/parse-worker.js', import.meta.url);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = (a, b) => (a && b ? Number((a / b).toFixed(3)) : null);

const dir = mkdtempSync(join(tmpdir(), 'kspect-bench-jobs-'));
/** A folder of `files` files holding `count` generated objects in all (`files` 1: one file, not a folder). */
function folderOf(count, files = 10) {
  const f = join(dir, `set-${count}-${files}`);
  if (existsSync(f)) return files === 1 ? join(f, 'part-00.yaml') : f;
  mkdirSync(f);
  const docs = generateManifests(count).slice(0, -1).split('\n---\n');
  const per = Math.ceil(docs.length / files);
  for (let i = 0; i < files; i++) writeFileSync(join(f, `part-${String(i).padStart(2, '0')}.yaml`), `${docs.slice(i * per, (i + 1) * per).join('\n---\n')}\n`);
  return files === 1 ? join(f, 'part-00.yaml') : f;
}

function measure(args, env = {}) {
  const rssFile = join(dir, 'rss');
  const out = openSync('/dev/null', 'w');
  const cmd = [process.execPath, BIN, ...args];
  const t = performance.now();
  const r = TIME ? spawnSync(TIME, ['-f', '%M %U %S', '-o', rssFile, ...cmd], { stdio: ['ignore', out, 'pipe'], env: { ...process.env, ...env } }) : spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', out, 'pipe'], env: { ...process.env, ...env } });
  const wallMs = performance.now() - t;
  closeSync(out);
  if (r.status !== 0 && r.status !== 1) throw new Error(`kspect ${args.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 400)}`);
  const [kib, user, sys] = TIME ? readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [];
  return { wallMs, cpuMs: TIME ? (user + sys) * 1000 : null, peakRssMiB: TIME ? kib / 1024 : null };
}

const summary = (runs) => ({
  wallMs: Math.round(median(runs.map((r) => r.wallMs))),
  cpuMs: runs[0].cpuMs === null ? null : Math.round(median(runs.map((r) => r.cpuMs))),
  peakRssMiB: runs[0].peakRssMiB === null ? null : Math.round(Math.max(...runs.map((r) => r.peakRssMiB))),
  wallRunsMs: runs.map((r) => Math.round(r.wallMs)),
});

async function loadMs(folder, jobs) {
  global.gc?.();
  const t = performance.now();
  const r = await loadManifests([folder], { jobs, parseWorker: WORKER });
  const ms = performance.now() - t;
  if (r.problems.length > 0) throw new Error(`load problems: ${r.problems[0].message}`);
  return ms;
}

const result = { cores: availableParallelism(), loadBefore: loadavg().map((l) => Number(l.toFixed(2))) };

if (PARTS.has('cli')) {
  result.cli = [];
  const given = (process.env.KSPECT_BENCH_JOBS_INPUTS ?? '').split(',').filter(Boolean);
  const inputs = given.length > 0
    ? given.map((path) => ({ path, input: path, big: /200k|200000/.test(path) }))
    : [
        ...(SIZES.includes(20000) ? [{ input: '20,000 objects, 1 file', path: folderOf(20000, 1), big: false }, { input: '20,000 objects, 4 files', path: folderOf(20000, 4), big: false }] : []),
        ...(SIZES.includes(200000) ? [{ input: '200,000 objects, 10 files', path: folderOf(200000, 10), big: true }] : []),
      ];
  for (const { input, path, big } of inputs) {
    const reps = big ? Math.min(REPS, 1) : REPS;
    const runs = { 1: [], 2: [] };
    const loadStart = loadavg()[0];
    for (let i = 0; i < reps; i++) for (const v of i % 2 === 0 ? ['1', '2'] : ['2', '1']) runs[v].push(measure(['scan', path, '-f', 'json', '--jobs', v]));
    const one = summary(runs[1]);
    const two = summary(runs[2]);
    result.cli.push({ input, reps, load: [Number(loadStart.toFixed(2)), Number(loadavg()[0].toFixed(2))], jobs1: one, jobs2: two, wallRatio: ratio(two.wallMs, one.wallMs), cpuRatio: ratio(two.cpuMs, one.cpuMs), rssRatio: ratio(two.peakRssMiB, one.peakRssMiB) });
    const said = (r) => `${r.wallMs} ms wall, ${r.cpuMs} ms CPU, ${r.peakRssMiB} MiB`;
    process.stderr.write(`${input}: --jobs 1 ${said(one)}; --jobs 2 ${said(two)} (wall ${ratio(two.wallMs, one.wallMs)}×, jobs 2 ÷ jobs 1) (load ${loadStart.toFixed(1)}→${loadavg()[0].toFixed(1)})\n`);
  }
}

if (PARTS.has('load')) {
  result.load = [];
  for (const size of SIZES) {
    const folder = folderOf(size);
    const reps = size > 20000 ? Math.min(REPS, 1) : REPS;
    const ms = { 1: [], 2: [] };
    for (let i = 0; i < reps; i++) for (const jobs of i % 2 === 0 ? [1, 2] : [2, 1]) ms[jobs].push(await loadMs(folder, jobs));
    result.load.push({ objects: size, jobs1Ms: Math.round(median(ms[1])), jobs2Ms: Math.round(median(ms[2])), ratio: ratio(median(ms[2]), median(ms[1])) });
  }
}

if (PARTS.has('threshold')) {
  result.threshold = [];
  // The scan of one file of 1–16 MiB (about 1 KiB per generated object), --jobs 1 against --jobs 2: where a worker
  // starts to pay (AUTO_JOBS_MIN_BYTES). Runs alternating, medians.
  for (const count of (process.env.KSPECT_BENCH_JOBS_THRESHOLD ?? '1000,2000,4000,8000,16000').split(',').filter(Boolean).map(Number)) {
    const file = folderOf(count, 1);
    const runs = { 1: [], 2: [] };
    const loadStart = loadavg()[0];
    for (let i = 0; i < Math.max(REPS, 5); i++) for (const v of i % 2 === 0 ? ['1', '2'] : ['2', '1']) runs[v].push(measure(['scan', file, '-f', 'json', '--jobs', v]));
    const bytes = Number(spawnSync('du', ['-sb', file], { encoding: 'utf8' }).stdout.split('\t')[0]);
    const one = summary(runs[1]);
    const two = summary(runs[2]);
    result.threshold.push({ objects: count, mib: Number((bytes / 1048576).toFixed(2)), load: [Number(loadStart.toFixed(2)), Number(loadavg()[0].toFixed(2))], jobs1: one, jobs2: two, wallRatio: ratio(two.wallMs, one.wallMs), cpuRatio: ratio(two.cpuMs, one.cpuMs) });
    process.stderr.write(`threshold ${count} objects (${(bytes / 1048576).toFixed(1)} MiB): --jobs 2 ÷ --jobs 1 wall ${ratio(two.wallMs, one.wallMs)}× (load ${loadStart.toFixed(1)}→${loadavg()[0].toFixed(1)})\n`);
  }
}

result.loadAfter = loadavg().map((l) => Number(l.toFixed(2)));
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
