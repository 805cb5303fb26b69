// --jobs benchmark (issue 16 §3), one JSON document:
// - cli: `kspect scan INPUT -f json` with --jobs 1 against --jobs 2 on generated inputs: 20,000 objects in one file and in four, 200,000 in ten
//   (KSPECT_BENCH_JOBS_INPUTS: paths of your own instead, comma-separated), runs alternating: wall and CPU
//   milliseconds and peak RSS (by /usr/bin/time) per run, medians, and the ratio --jobs 2 / --jobs 1; and how many
//   threads --jobs auto uses for the input on this machine (autoThreads): where it uses two, that ratio is goal 3's.
// - load: the loader alone (the parse --jobs spreads; the workers also judge in a scan) in this process, jobs 1
//   against jobs 2 on the same folders.
// - threshold: the scan of one file of 1–16 MiB (KSPECT_BENCH_JOBS_THRESHOLD, in objects), --jobs 1 against --jobs 2:
//   where a worker starts to pay (AUTO_JOBS_MIN_BYTES in src/sources/files.ts is chosen from it).
// - threads (Linux: /proc): where the CPU goes, by thread, in `kspect scan INPUT -f json` with --jobs 1 and --jobs 2 on
//   the cli part's inputs, and again with V8's optimizing compiler kept on the thread that runs the code
//   (--no-concurrent-recompilation): the main thread's CPU, the parse workers' (known by a preload each thread of the
//   child runs: it writes its thread id), every other thread's (V8's helpers: concurrent marking and parallel scavenges,
//   the optimizing compiler; libuv's pool), and the main thread's CPU when the workers' last stopped rising (what it
//   did while they parsed; the rest is the finish). /proc/PID/task/*/stat is read every 10 ms, runs alternate, medians.
//   Not part of the default set (KSPECT_BENCH_JOBS_PARTS=threads).
// - checks: what the main thread keeps decides whether a worker pays — the cli part's scan of 20,000 objects in four
//   files with --jobs 1 against --jobs 2 for four sets of checks (--checks): the object-local ones (they read nothing
//   beyond the object: workers judge them), those and Pod Security (judged in workers by recorded Namespace lookups),
//   every recommended check but Pod Security, and every recommended check. Runs alternating, medians. Not part of the
//   default set (KSPECT_BENCH_JOBS_PARTS=checks).
// The load average before and after is printed: on a shared 2-core machine, read the ratios with it.
// Environment: KSPECT_BENCH_JOBS_SIZES ("20000,200000": the load part; the cli part takes the 20,000 inputs when 20000
// is named, the 200,000 one when 200000 is), KSPECT_BENCH_JOBS_REPS (3; 1 at 200,000),
// KSPECT_BENCH_JOBS_PARTS ("cli,load,threshold"), KSPECT_BENCH_JOBS_THRESHOLD ("1000,…,16000").
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { allChecks } from '../dist/index.js';
import { AUTO_JOBS_MIN_BYTES, autoThreads, loadManifests } from '../dist/sources/files.js';
import { usableCpus } from '../dist/sources/cpus.js';
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

/** The inputs of the cli and threads parts: KSPECT_BENCH_JOBS_INPUTS, or generated ones by KSPECT_BENCH_JOBS_SIZES. */
function cliInputs() {
  const given = (process.env.KSPECT_BENCH_JOBS_INPUTS ?? '').split(',').filter(Boolean);
  return given.length > 0
    ? given.map((path) => ({ path, input: path, big: /200k|200000/.test(path) }))
    : [
        ...(SIZES.includes(20000) ? [{ input: '20,000 objects, 1 file', path: folderOf(20000, 1), big: false }, { input: '20,000 objects, 4 files', path: folderOf(20000, 4), big: false }] : []),
        ...(SIZES.includes(200000) ? [{ input: '200,000 objects, 10 files', path: folderOf(200000, 10), big: true }] : []),
      ];
}

/** Each thread of the child that is not its main thread writes its id here (threads part). */
const TIDS_PRELOAD = join(dir, 'tids.mjs');
writeFileSync(TIDS_PRELOAD, "import { appendFileSync, realpathSync } from 'node:fs';\nimport { isMainThread } from 'node:worker_threads';\nconst out = process.env.KSPECT_BENCH_TIDS;\nif (out && !isMainThread) appendFileSync(out, `${realpathSync('/proc/thread-self').split('/').pop()}\\n`);\n");

/**
 * One scan with its threads' CPU seconds: `main`, `workers` (parse workers), `others` (every other thread), and
 * `mainWhileParsing` (the main thread's when the workers' CPU last rose; null without workers). Sampled every 10 ms.
 */
async function threadRun(args, nodeFlags) {
  const tids = join(dir, `tids-${process.hrtime.bigint()}`);
  writeFileSync(tids, '');
  const tick = 1 / 100; // USER_HZ: clock ticks in /proc/*/stat (100 on Linux)
  const child = spawn(process.execPath, [...nodeFlags, '--import', TIDS_PRELOAD, BIN, ...args], { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, KSPECT_BENCH_TIDS: tids } });
  const t0 = performance.now();
  const cpu = new Map();
  const read = () => {
    let list;
    try {
      list = readdirSync(`/proc/${child.pid}/task`);
    } catch {
      return;
    }
    for (const tid of list) {
      try {
        const stat = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpu.set(tid, (Number(f[11]) + Number(f[12])) * tick);
      } catch {
        // The thread ended between the listing and the read: its last sample stands.
      }
    }
  };
  // The workers' CPU and the main thread's at each sample where the workers' rose.
  let workersSeen = 0;
  let mainWhileParsing = null;
  const workerIds = () => new Set(readFileSync(tids, 'utf8').split('\n').filter(Boolean));
  const timer = setInterval(() => {
    read();
    const ids = workerIds();
    let w = 0;
    for (const id of ids) w += cpu.get(id) ?? 0;
    if (w > workersSeen) {
      workersSeen = w;
      mainWhileParsing = cpu.get(String(child.pid)) ?? 0;
    }
  }, 10);
  const code = await new Promise((done) => child.on('exit', done));
  clearInterval(timer);
  const wallMs = performance.now() - t0;
  if (code !== 0 && code !== 1) throw new Error(`kspect ${args.join(' ')} exited ${code}`);
  const ids = workerIds();
  rmSync(tids, { force: true });
  const sum = (keep) => Number([...cpu].filter(([id]) => keep(id)).reduce((n, [, c]) => n + c, 0).toFixed(2));
  const main = sum((id) => id === String(child.pid));
  const workers = sum((id) => ids.has(id));
  const others = sum((id) => id !== String(child.pid) && !ids.has(id));
  return { wallMs, main, workers, others, total: Number((main + workers + others).toFixed(2)), mainWhileParsing: ids.size > 0 ? mainWhileParsing : null };
}

const result = { cores: availableParallelism(), loadBefore: loadavg().map((l) => Number(l.toFixed(2))) };

if (PARTS.has('cli')) {
  result.cli = [];
  for (const { input, path, big } of cliInputs()) {
    const reps = big ? Math.min(REPS, 1) : REPS;
    const runs = { 1: [], 2: [] };
    const loadStart = loadavg()[0];
    for (let i = 0; i < reps; i++) for (const v of i % 2 === 0 ? ['1', '2'] : ['2', '1']) runs[v].push(measure(['scan', path, '-f', 'json', '--jobs', v]));
    const one = summary(runs[1]);
    const two = summary(runs[2]);
    result.cli.push({ input, reps, load: [Number(loadStart.toFixed(2)), Number(loadavg()[0].toFixed(2))], jobs1: one, jobs2: two, wallRatio: ratio(two.wallMs, one.wallMs), cpuRatio: ratio(two.cpuMs, one.cpuMs), rssRatio: ratio(two.peakRssMiB, one.peakRssMiB) });
    // What the default (--jobs auto) does with this input on this machine: the goal-3 figure is the ratio where it
    // uses more than one thread (it must be below 1 there).
    const bytes = Number(spawnSync('du', ['-sb', path], { encoding: 'utf8' }).stdout.split('\t')[0]);
    const autoUses = bytes >= AUTO_JOBS_MIN_BYTES ? autoThreads(usableCpus()) : 1;
    const entry = result.cli.at(-1);
    entry.mib = Number((bytes / 1048576).toFixed(1));
    entry.autoThreads = autoUses;
    const said = (r) => `${r.wallMs} ms wall, ${r.cpuMs} ms CPU, ${r.peakRssMiB} MiB`;
    process.stderr.write(`${input}: --jobs 1 ${said(one)}; --jobs 2 ${said(two)} (wall ${ratio(two.wallMs, one.wallMs)}×, jobs 2 ÷ jobs 1) (load ${loadStart.toFixed(1)}→${loadavg()[0].toFixed(1)}); --jobs auto uses ${autoUses} thread${autoUses === 1 ? '' : 's'} here (${entry.mib} MiB, ${usableCpus()} cores)\n`);
  }
}

if (PARTS.has('checks')) {
  const recommended = allChecks.filter((c) => c.meta.recommended);
  const local = (c) => (c.meta.reads ?? []).length === 0;
  const pss = (c) => c.id === 'pss-baseline' || c.id === 'pss-restricted';
  const sets = [
    ['object-local', recommended.filter(local)],
    ['object-local and Pod Security', recommended.filter((c) => local(c) || pss(c))],
    ['every recommended check but Pod Security', recommended.filter((c) => !pss(c))],
    ['every recommended check', recommended],
  ];
  const path = folderOf(20000, 4);
  result.checks = [];
  for (const [name, checks] of sets) {
    const ids = checks.map((c) => c.id).join(',');
    const runs = { 1: [], 2: [] };
    const loadStart = loadavg()[0];
    for (let i = 0; i < REPS; i++) for (const v of i % 2 === 0 ? ['1', '2'] : ['2', '1']) runs[v].push(measure(['scan', path, '-f', 'json', '--checks', ids, '--jobs', v]));
    const one = summary(runs[1]);
    const two = summary(runs[2]);
    result.checks.push({ checks: name, count: checks.length, load: [Number(loadStart.toFixed(2)), Number(loadavg()[0].toFixed(2))], jobs1: one, jobs2: two, wallRatio: ratio(two.wallMs, one.wallMs), cpuRatio: ratio(two.cpuMs, one.cpuMs) });
    process.stderr.write(`${name} (${checks.length} checks): --jobs 1 ${one.wallMs} ms, --jobs 2 ${two.wallMs} ms (${ratio(two.wallMs, one.wallMs)}×)\n`);
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

if (PARTS.has('threads')) {
  if (!existsSync('/proc/self/task')) result.threads = 'not measured: no /proc (Linux only)';
  else {
    result.threads = [];
    const variants = [
      { name: 'jobs1', jobs: '1', flags: [] },
      { name: 'jobs2', jobs: '2', flags: [] },
      { name: 'jobs1-compile-here', jobs: '1', flags: ['--no-concurrent-recompilation'] },
      { name: 'jobs2-compile-here', jobs: '2', flags: ['--no-concurrent-recompilation'] },
    ];
    for (const { input, path, big } of cliInputs()) {
      const reps = big ? Math.min(REPS, 1) : REPS;
      const runs = Object.fromEntries(variants.map((v) => [v.name, []]));
      const loadStart = loadavg()[0];
      for (let i = 0; i < reps; i++) {
        // Alternating, each rep in another order.
        const order = variants.map((_, k) => variants[(k + i) % variants.length]);
        for (const v of order) runs[v.name].push(await threadRun(['scan', path, '-f', 'json', '--jobs', v.jobs], v.flags));
      }
      const med = (xs) => (xs.some((x) => x === null) ? null : Number(median(xs).toFixed(2)));
      const entry = { input, reps, load: [Number(loadStart.toFixed(2)), Number(loadavg()[0].toFixed(2))] };
      for (const v of variants) {
        const r = runs[v.name];
        entry[v.name] = { wallMs: Math.round(median(r.map((x) => x.wallMs))), main: med(r.map((x) => x.main)), workers: med(r.map((x) => x.workers)), others: med(r.map((x) => x.others)), total: med(r.map((x) => x.total)), mainWhileParsing: med(r.map((x) => x.mainWhileParsing)) };
      }
      result.threads.push(entry);
      const said = (e) => `main ${e.main} s, workers ${e.workers} s, other threads ${e.others} s (total ${e.total} s, ${e.wallMs} ms wall)`;
      process.stderr.write(`threads ${input}: --jobs 1 ${said(entry.jobs1)}; --jobs 2 ${said(entry.jobs2)}, main while the workers parsed ${entry.jobs2.mainWhileParsing} s; compiling on the thread that runs the code: --jobs 1 ${said(entry['jobs1-compile-here'])}; --jobs 2 ${said(entry['jobs2-compile-here'])} (load ${loadStart.toFixed(1)}→${loadavg()[0].toFixed(1)})\n`);
    }
  }
}

result.loadAfter = loadavg().map((l) => Number(l.toFixed(2)));
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
