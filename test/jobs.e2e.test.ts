/**
 * `--jobs` (issue 16 §3): manifest files parsed in worker threads give the same load — objects, positions,
 * problems, files, in the same order — as one thread, whatever the number of threads and whatever order the workers
 * finish in; a bad file among good ones, a FIFO, stdin and a worker that dies on a file are one line each and the
 * rest is read; the bundled CLI ships its worker and prints byte-identical reports. Run `npm run build` first: the
 * workers are the built ones (dist/bundle/parse-worker.js) or, for random finishing orders and crashes, a test
 * worker around the built parser (test/support/parse-worker-testing.js).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allChecks } from '../src/checks/index.js';
import { TEST_SETTINGS } from '../src/checks/support/tester.js';
import { EMPTY_CONFIG } from '../src/core/config.js';
import { judgedFiles } from '../src/framework/parallel.js';
import { resolveChecks, runStreaming } from '../src/framework/runner.js';
import { AUTO_JOBS_MIN_BYTES, AUTO_JOBS_MIN_CPUS, autoThreads, loadManifests, PART_CHARS, type LoadOptions } from '../src/sources/files.js';
import { runCli } from './support/cli.js';
import { describeLoad, describeObject, SHARED_CORPUS } from './support/loaded.js';
import { generateManifests } from '../bench/generate.js';

const BUNDLED_WORKER = new URL('../dist/bundle/parse-worker.js', import.meta.url);
const TESTING_WORKER = new URL('./support/parse-worker-testing.js', import.meta.url);
const MISSING_WORKER = new URL('./support/no-such-worker.js', import.meta.url);
const CORPUS = ['badpods', 'kubernetes-goat', 'cert-manager'];

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kspect-jobs-'));
  // Generated files of different sizes (so workers finish out of order), the examples and a corpus subset.
  mkdirSync(join(dir, 'gen'));
  [40, 400, 5, 120, 1, 250, 60, 9].forEach((n, i) => { writeFileSync(join(dir, 'gen', `g${i}.yaml`), generateManifests(n, i + 1)); });
  cpSync(new URL('../examples', import.meta.url), join(dir, 'examples'), { recursive: true });
  for (const c of CORPUS) cpSync(join(SHARED_CORPUS, c), join(dir, 'corpus', c), { recursive: true });
  // Bad files among good ones, and a FIFO named like a manifest (in a folder and given directly).
  mkdirSync(join(dir, 'bad'));
  writeFileSync(join(dir, 'bad', 'a-good.yaml'), generateManifests(30, 99));
  writeFileSync(join(dir, 'bad', 'b-binary.yaml'), Buffer.from([0x61, 0x3a, 0x00, 0x62]));
  writeFileSync(join(dir, 'bad', 'c-syntax.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\n---\n: : :\n  - [\n');
  writeFileSync(join(dir, 'bad', 'd-utf8.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
  writeFileSync(join(dir, 'bad', 'e-large.yaml'), `${generateManifests(200, 5)}\n`);
  writeFileSync(join(dir, 'bad', 'f-good.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'json-pod' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
  writeFileSync(join(dir, 'bad', 'g-unnamed.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {}\n');
  execFileSync('mkfifo', [join(dir, 'bad', 'h-fifo.yaml')]);
  execFileSync('mkfifo', [join(dir, 'direct-fifo.yaml')]);
  // A file large enough to be cut into parts (PART_CHARS), with broken and unnamed documents in later parts.
  const docs = generateManifests(3200, 11).split('\n---\n');
  docs.splice(2500, 0, ': : :\n  - [');
  docs.splice(3000, 0, 'apiVersion: v1\nkind: Pod\nmetadata: {}');
  mkdirSync(join(dir, 'large'));
  writeFileSync(join(dir, 'large', 'one.yaml'), docs.join('\n---\n'));
  // Files on which the test worker dies.
  mkdirSync(join(dir, 'crash'));
  writeFileSync(join(dir, 'crash', 'a.yaml'), generateManifests(20, 1));
  writeFileSync(join(dir, 'crash', 'b-crash-exit.yaml'), generateManifests(20, 2));
  writeFileSync(join(dir, 'crash', 'c.yaml'), generateManifests(20, 3));
  writeFileSync(join(dir, 'crash', 'd-crash-throw.yaml'), generateManifests(20, 4));
  writeFileSync(join(dir, 'crash', 'e.yaml'), generateManifests(20, 5));
  // Namespaces after the Pods they govern, two of one name, labels changing the Pod Security level and version.
  mkdirSync(join(dir, 'nsorder'));
  const pod = (ns: string, i: number) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ${ns}}\nspec:\n  hostNetwork: ${i % 2 === 0}\n  containers: [{name: c, image: nginx, securityContext: {privileged: ${i % 3 === 0}, runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: {type: RuntimeDefault}, capabilities: {drop: [ALL], add: [${i % 4 === 0 ? 'NET_RAW' : ''}]}}}]\n`;
  const ns = (name: string, labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {${labels}}}\n`;
  const level = 'pod-security.kubernetes.io/enforce';
  writeFileSync(join(dir, 'nsorder', 'a-pods.yaml'), ['shop', 'web', 'mixed'].flatMap((n) => Array.from({ length: 12 }, (_, i) => pod(n, i))).join('---\n'));
  writeFileSync(join(dir, 'nsorder', 'b-ns.yaml'), `${ns('shop', `${level}: privileged`)}---\n${ns('web', `${level}: baseline, ${level}-version: v1.22`)}`);
  writeFileSync(join(dir, 'nsorder', 'c-pods.yaml'), ['shop', 'web', 'mixed'].flatMap((n) => Array.from({ length: 12 }, (_, i) => pod(n, i + 20))).join('---\n'));
  writeFileSync(join(dir, 'nsorder', 'd-ns.yaml'), `${ns('web', `${level}: restricted`)}---\n${pod('mixed', 40)}---\n${ns('mixed', `${level}: baseline`)}`);
  writeFileSync(join(dir, 'nsorder', 'e-pods.yaml'), ['shop', 'web', 'mixed', 'none'].flatMap((n) => Array.from({ length: 12 }, (_, i) => pod(n, i + 50))).join('---\n'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const load = async (inputs: readonly string[], options: LoadOptions = {}) => loadManifests(inputs, { cwd: dir, readStdin: () => Promise.resolve(Buffer.from(generateManifests(15, 8))), ...options });
const ALL = ['gen', 'examples', 'corpus', 'bad', 'direct-fifo.yaml', 'gen/g1.yaml', '-', 'gen/g*.yaml'];
const LIMITS = { maxFileSize: 200_000 };
const LIMITS_LARGE = { maxFileSize: 8 * 1024 * 1024 };

describe('loadManifests with jobs', () => {
  it('gives the same load with 1, 2, 3 and 4 threads (the bundled worker)', async () => {
    const one = await load(ALL, LIMITS);
    expect(one.objects.length).toBeGreaterThan(500);
    expect(one.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['binary', 'invalid-utf8', 'file-too-large', 'not-readable', 'object-unnamed']));
    const expected = describeLoad(one);
    for (const jobs of [2, 3, 4]) expect(describeLoad(await load(ALL, { ...LIMITS, jobs, parseWorker: BUNDLED_WORKER, awaitWorkers: true })), `jobs ${jobs}`).toBe(expected);
  });

  it('gives the same load whatever order the workers finish in', async () => {
    const expected = describeLoad(await load(['gen', 'examples', 'bad', 'corpus'], LIMITS));
    for (const jobs of [2, 3, 4, 2, 3, 4]) expect(describeLoad(await load(['gen', 'examples', 'bad', 'corpus'], { ...LIMITS, jobs, parseWorker: TESTING_WORKER, awaitWorkers: true })), `jobs ${jobs}`).toBe(expected);
  });

  it('hands each file\'s objects over (onObjects) in load order whatever order the workers finish in', async () => {
    const handed = async (options: LoadOptions): Promise<string> => {
      const calls: unknown[] = [];
      const r = await load(['gen', 'examples', 'bad', '-', 'corpus'], { ...LIMITS, ...options, onObjects: (objects, file) => calls.push([file, objects.map((o) => describeObject(o))]) });
      expect(r.objects).toEqual([]);
      return JSON.stringify({ calls, problems: r.problems, files: r.files, count: r.count, skipped: r.skipped });
    };
    const expected = await handed({});
    expect(expected.length).toBeGreaterThan(1000);
    for (const jobs of [2, 3, 4, 2, 3]) expect(await handed({ jobs, parseWorker: TESTING_WORKER, awaitWorkers: true }), `jobs ${jobs}`).toBe(expected);
  });

  it('a FIFO and a bad file among good ones are one line each; the rest is read', async () => {
    const r = await load(['bad', 'direct-fifo.yaml'], { ...LIMITS, jobs: 3, parseWorker: BUNDLED_WORKER });
    const lines = r.problems.map((p) => `${p.code} ${p.file ?? ''}`);
    expect(lines).toEqual([
      `binary ${join('bad', 'b-binary.yaml')}`,
      `yaml-syntax ${join('bad', 'c-syntax.yaml')}`,
      `invalid-utf8 ${join('bad', 'd-utf8.yaml')}`,
      `file-too-large ${join('bad', 'e-large.yaml')}`,
      `object-unnamed ${join('bad', 'g-unnamed.yaml')}`,
      `not-readable ${join('bad', 'h-fifo.yaml')}`,
      'not-readable direct-fifo.yaml',
    ]);
    expect(r.objects.filter((o) => o.origin.source.uri === join('bad', 'f-good.json')).map((o) => o.metadata.name)).toEqual(['json-pod']);
    expect(r.objects.filter((o) => o.origin.source.uri === join('bad', 'a-good.yaml'))).toHaveLength(30);
  });

  it('a worker that dies on a file costs that file one line; the other files are read', async () => {
    const one = await load(['crash']);
    const r = await load(['crash'], { jobs: 3, parseWorker: TESTING_WORKER, awaitWorkers: true });
    expect(r.problems.map((p) => `${p.code} ${p.file ?? ''}`)).toEqual([`internal ${join('crash', 'b-crash-exit.yaml')}`, `internal ${join('crash', 'd-crash-throw.yaml')}`]);
    expect(r.problems.every((p) => p.severity === 'error' && p.message.startsWith('not parsed: the parse worker stopped'))).toBe(true);
    const kept = (o: { origin: { source: { uri: string } } }) => !o.origin.source.uri.includes('crash-');
    expect(describeLoad({ ...r, problems: [], files: r.files })).toBe(describeLoad({ ...one, objects: one.objects.filter(kept), files: one.files.filter((f) => !f.includes('crash-')) }));
  });

  it('workers that cannot start leave the files to this thread, with one warning', async () => {
    const one = await load(['gen', 'bad'], LIMITS);
    const r = await load(['gen', 'bad'], { ...LIMITS, jobs: 2, parseWorker: MISSING_WORKER });
    expect(r.problems.at(-1)).toEqual(expect.objectContaining({ code: 'jobs-unavailable', severity: 'warning' }));
    expect(describeLoad({ ...r, problems: r.problems.slice(0, -1) })).toBe(describeLoad(one));
  });

  it('cuts a large file into parts at document boundaries, spread over the threads: the same load, problems included', async () => {
    expect(statSync(join(dir, 'large', 'one.yaml')).size).toBeGreaterThan(2 * PART_CHARS + PART_CHARS / 2);
    const one = await load(['large', 'gen/g1.yaml'], LIMITS_LARGE);
    expect(one.problems.map((p) => `${p.code} ${p.line ?? ''}`)).toHaveLength(2);
    const expected = describeLoad(one);
    for (const jobs of [2, 3]) expect(describeLoad(await load(['large', 'gen/g1.yaml'], { ...LIMITS_LARGE, jobs, parseWorker: BUNDLED_WORKER, awaitWorkers: true })), `jobs ${jobs}`).toBe(expected);
    for (const jobs of [2, 4]) expect(describeLoad(await load(['large', 'gen/g1.yaml'], { ...LIMITS_LARGE, jobs, parseWorker: TESTING_WORKER, awaitWorkers: true })), `jobs ${jobs}, random`).toBe(expected);
    // Handed over part by part, in order.
    const calls: string[] = [];
    await load(['large'], { ...LIMITS_LARGE, jobs: 2, parseWorker: BUNDLED_WORKER, awaitWorkers: true, onObjects: (objects, file) => calls.push(file) });
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(new Set(calls)).toEqual(new Set([join('large', 'one.yaml')]));
  });

  it('auto starts workers from AUTO_JOBS_MIN_CPUS (two) cores when the inputs hold AUTO_JOBS_MIN_BYTES, counted before the first file: every file goes to them', async () => {
    expect(AUTO_JOBS_MIN_CPUS).toBe(2);
    expect([1, 2, 3, 4, 16].map(autoThreads)).toEqual([1, 2, 3, 4, 16]);
    // Observed through a worker that cannot start: the warning says workers were tried.
    const small = await load(['gen'], { jobs: 'auto', cpus: 2, parseWorker: MISSING_WORKER });
    expect(small.problems).toEqual([]);
    // Past the threshold: manifests padded with comment lines (cheap to parse, counted as bytes).
    const bigDir = join(dir, 'big');
    mkdirSync(bigDir, { recursive: true });
    const padding = `# ${'x'.repeat(97)}\n`.repeat(Math.ceil((AUTO_JOBS_MIN_BYTES * 0.3) / 100));
    for (let i = 0; i < 5; i++) writeFileSync(join(bigDir, `b${i}.yaml`), `${generateManifests(40, 100 + i)}${padding}`);
    const bigBytes = [0, 1, 2, 3, 4].reduce((n, i) => n + statSync(join(bigDir, `b${i}.yaml`)).size, 0);
    expect(bigBytes).toBeGreaterThan(AUTO_JOBS_MIN_BYTES);
    for (const cpus of [2, 3]) expect((await load(['big'], { jobs: 'auto', cpus, parseWorker: MISSING_WORKER })).problems.map((p) => p.code), `${cpus} cores`).toEqual(['jobs-unavailable']);
    const bundled = await load(['big'], { jobs: 'auto', cpus: 2, parseWorker: BUNDLED_WORKER });
    expect(describeLoad(bundled)).toBe(describeLoad(await load(['big'])));
    // One core: one thread, whatever the size (the worker is never tried).
    expect((await load(['big'], { jobs: 'auto', cpus: 1, parseWorker: MISSING_WORKER })).problems).toEqual([]);
    // Counted over the inputs before the first file: at the threshold every file goes to the worker, the first
    // included (counted file by file, as before, the files before the last would have been parsed here). Seen through
    // what the workers judged (three cores: workers judge), with the load of one thread.
    const workerFiles = async (autoMinBytes: number) => {
      const config = { ...EMPTY_CONFIG, enable: ['*'] };
      const run = runStreaming({ checks: resolveChecks(allChecks, config).active, settings: TEST_SETTINGS, config, inputs: ['x'], toolVersion: 't', parallel: { registry: new Set(allChecks) }, sections: () => ({}) });
      const judgedBy: boolean[] = [];
      const loaded = await load(['big'], { jobs: 'auto', cpus: 3, autoMinBytes, parseWorker: BUNDLED_WORKER, awaitWorkers: true, workerJudging: () => run.workerJudging(), onObjects: (objects) => { judgedBy.push(judgedFiles.has(objects)); run.add(objects); } });
      return { judgedBy, report: JSON.stringify(run.finish({ skipped: loaded.skipped, problems: loaded.problems })) };
    };
    const at = await workerFiles(bigBytes);
    // (Each file is handed over in parts: it is larger than two PART_CHARS.)
    expect(at.judgedBy.length).toBeGreaterThanOrEqual(5);
    expect(at.judgedBy.every(Boolean)).toBe(true);
    const below = await workerFiles(bigBytes + 1);
    expect(below.judgedBy.length).toBe(at.judgedBy.length);
    expect(below.judgedBy.some(Boolean)).toBe(false);
    expect(at.report).toBe(below.report);
  });
});

describe('judging in the parse workers', () => {
  it('the workers judge the files they parse with the object-local checks: the report of one thread, many findings recorded by the workers', async () => {
    const config = { ...EMPTY_CONFIG, enable: ['*'] };
    const judged = async (jobs: number, parseWorker: URL, inputs = ['gen', 'examples', 'corpus', 'bad']) => {
      let files = 0;
      let recorded = 0;
      let pss = 0;
      const active = resolveChecks(allChecks, config).active;
      const run = runStreaming({ checks: active, settings: TEST_SETTINGS, config, inputs: ['x'], toolVersion: 't', parallel: { registry: new Set(allChecks) }, sections: () => ({}) });
      const loaded = await load(inputs, {
        ...LIMITS,
        jobs,
        parseWorker,
        awaitWorkers: true,
        workerJudging: () => run.workerJudging(),
        onObjects: (objects) => {
          // Seen from outside: what the workers said of the files.
          const said = judgedFiles.get(objects);
          if (said) {
            files++;
            recorded += said.records.filter((x) => x.t === 'f').length;
            pss += said.records.filter((x) => x.t === 'f' && active[x.c]?.check.id.startsWith('pss-') === true).length;
          }
          run.add(objects);
        },
      });
      const report = run.finish({ skipped: loaded.skipped, problems: loaded.problems });
      return { report: JSON.stringify(report), findings: report.findings.length, files, recorded, pss };
    };
    const one = await judged(1, BUNDLED_WORKER);
    expect(one.files).toBe(0);
    for (const jobs of [2, 3]) {
      const r = await judged(jobs, BUNDLED_WORKER);
      expect(r.report, `jobs ${jobs}`).toBe(one.report);
      expect(r.files, `jobs ${jobs}`).toBeGreaterThan(5);
      expect(r.recorded, `jobs ${jobs}`).toBeGreaterThan(one.findings / 10);
      // Pod Security too (it reads Namespaces by name: checked at finish).
      expect(r.pss, `jobs ${jobs}`).toBeGreaterThan(50);
    }
    for (const jobs of [2, 3]) expect((await judged(jobs, BUNDLED_WORKER, ['nsorder', 'gen'])).report, `jobs ${jobs}, namespaces after their pods`).toBe((await judged(1, BUNDLED_WORKER, ['nsorder', 'gen'])).report);
    // Workers finishing in random orders, some files not judged, workers dying on files: the report of one thread
    // over what was read.
    for (const jobs of [2, 4]) expect((await judged(jobs, TESTING_WORKER)).report, `jobs ${jobs}, random`).toBe(one.report);
    // The files a worker died on are lost (one line each): the rest is judged as one thread judges it alone.
    const judgedPart = (report: string) => { const r = JSON.parse(report) as { findings: unknown; notEvaluated: unknown; results: unknown }; return JSON.stringify([r.findings, r.notEvaluated, r.results]); };
    const survivors = await judged(1, BUNDLED_WORKER, ['crash/a.yaml', 'crash/c.yaml', 'crash/e.yaml']);
    const crashed = await judged(3, TESTING_WORKER, ['crash']);
    expect(crashed.files).toBeGreaterThan(0);
    expect(judgedPart(crashed.report)).toBe(judgedPart(survivors.report));
  });
});

describe('two threads: the parse worker only parses, the main thread judges as objects come', () => {
  it('asks judgeAsAdded (not workerJudging) on two threads, workerJudging on more: the report of one thread either way', async () => {
    const config = { ...EMPTY_CONFIG, enable: ['*'] };
    const judged = async (jobs: number, inputs: readonly string[]) => {
      const asked: string[] = [];
      let byWorkers = 0;
      const run = runStreaming({ checks: resolveChecks(allChecks, config).active, settings: TEST_SETTINGS, config, inputs: ['x'], toolVersion: 't', parallel: { registry: new Set(allChecks) }, sections: () => ({}) });
      const loaded = await load(inputs, {
        ...LIMITS,
        jobs,
        parseWorker: BUNDLED_WORKER,
        workerJudging: () => { asked.push('workerJudging'); return run.workerJudging(); },
        judgeAsAdded: () => { asked.push('judgeAsAdded'); run.judgeAsAdded(); },
        onObjects: (objects) => {
          if (judgedFiles.has(objects)) byWorkers++;
          run.add(objects);
        },
      });
      return { asked, byWorkers, report: JSON.stringify(run.finish({ skipped: loaded.skipped, problems: loaded.problems })) };
    };
    const inputs = ['gen', 'examples', 'large', 'nsorder', 'bad'];
    const one = await judged(1, inputs);
    expect(one.asked).toEqual([]);
    const two = await judged(2, inputs);
    expect(two.asked).toEqual(['judgeAsAdded']);
    expect(two.byWorkers).toBe(0);
    expect(two.report).toBe(one.report);
    const three = await judged(3, inputs);
    expect(three.asked).toEqual(['workerJudging']);
    expect(three.byWorkers).toBeGreaterThan(0);
    expect(three.report).toBe(one.report);
  });
});

describe('kspect --jobs (the bundled CLI)', () => {
  const withoutTime = (s: string): string => s.replace(/"generatedAt": "[^"]*"/, '');

  it('prints byte-identical reports with 1, 2 and 4 threads, bad files included', async () => {
    const args = ['scan', 'gen', 'examples', 'bad', 'large', 'nsorder', '-f', 'json'];
    const one = await runCli([...args, '--jobs', '1'], { cwd: dir });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('bad/b-binary.yaml');
    for (const jobs of ['2', '4', 'auto']) {
      const r = await runCli([...args, '--jobs', jobs], { cwd: dir });
      // No "workers could not be used" warning: the bundle ships its worker.
      expect({ code: r.code, stderr: r.stderr }, `--jobs ${jobs}`).toEqual({ code: one.code, stderr: one.stderr });
      expect(withoutTime(r.stdout), `--jobs ${jobs}`).toBe(withoutTime(one.stdout));
    }
  });

  it('is accepted by every command that reads manifests, and refuses a bad count in one line', async () => {
    for (const cmd of [['pss', 'check', 'gen'], ['rbac', 'risks', 'corpus'], ['netpol', 'check', 'gen'], ['rbac', 'who-can', 'get', 'pods', '-i', 'corpus']]) {
      const one = await runCli([...cmd, '--jobs', '1', '-f', 'json'], { cwd: dir });
      const two = await runCli([...cmd, '--jobs', '2', '-f', 'json'], { cwd: dir });
      expect(two.stderr, cmd.join(' ')).toBe(one.stderr);
      expect(withoutTime(two.stdout), cmd.join(' ')).toBe(withoutTime(one.stdout));
    }
    const bad = await runCli(['scan', 'gen', '--jobs', '0'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^kspect: --jobs must be a whole number from 1 to 64, or auto \(got "0"\)\n/);
  });
});
