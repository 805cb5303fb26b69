/**
 * Judging in parse workers (parallel.ts) gives the Judgement of one thread: the runner's replay of what workers
 * recorded of each file, merged by key with what this thread's checks said, is compared with one pass over the whole
 * inventory (runChecks), byte for byte, on every check's fixtures and generated manifests with every check on; and on
 * test checks that crash in a worker, read what they did not declare, gather across objects or say shared
 * not-evaluated items, with files a worker judged, files parsed here, and files added before the workers started.
 * The worker here is the worker's own code (judgeFile) run in this thread over its own copy of the objects, its
 * answer sent as a parse worker sends it (packFile / packJudged / unpackFile, cloned). The real workers:
 * test/jobs.e2e.test.ts.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../checks/index.js';
import { TEST_SETTINGS } from '../checks/support/tester.js';
import { EMPTY_CONFIG, type KspectConfig } from '../core/config.js';
import { buildInventory } from '../model/inventory.js';
import type { K8sObject } from '../model/object.js';
import { judgeFile } from '../sources/parse-judge.js';
import { packFile, packJudged, unpackFile } from '../sources/parse-pool.js';
import { parseManifests } from '../sources/yaml.js';
import { defineCheck, type AnyCheck } from './define.js';
import type { JudgedFile, WorkerJudging } from './parallel.js';
import { resolveChecks, runChecks, runStreaming, type ActiveCheck } from './runner.js';
import { generateManifests } from '../../bench/generate.js';

interface Input {
  readonly file: string;
  /** As the main thread has them (moved from a worker). */
  readonly objects: K8sObject[];
  /** As the worker that parsed them keeps them. */
  readonly kept: K8sObject[];
}

function input(file: string, text: string): Input {
  const parsed = parseManifests(text, file, { type: 'file', uri: file });
  const moved = unpackFile(structuredClone(packFile(0, { read: true, objects: parsed.objects, problems: [], skipped: 0 }).packed), file);
  return { file, objects: moved.objects, kept: parsed.objects };
}

/** Every check's fixtures, a file each, and generated manifests in a few files. */
function inputs(): Input[] {
  const out: Input[] = [];
  const checks = join(import.meta.dirname, '..', 'checks');
  for (const c of readdirSync(checks).sort())
    for (const kind of ['fail', 'pass']) {
      const dir = join(checks, c, 'fixtures', kind);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).sort()) if (/\.ya?ml$/.test(f)) out.push(input(`${c}/${kind}/${f}`, readFileSync(join(dir, f), 'utf8')));
    }
  for (let i = 0; i < 4; i++) out.push(input(`generated-${i}.yaml`, generateManifests(150, i + 1)));
  return out;
}

/** What a worker said of each file it judged. */
type Said = JudgedFile[];

/** The file as a parse worker that judged it sends it, unpacked here (the objects: new ones, as moved). */
function fromWorker(f: Input, judging: WorkerJudging, registry: ReadonlyMap<string, AnyCheck>, said: Said): K8sObject[] {
  const judged = judgeFile(structuredClone(judging), f.kept, registry);
  said.push(judged);
  const { packed } = packFile(0, { read: true, objects: f.kept, problems: [], skipped: 0 });
  return unpackFile(structuredClone({ ...packed, judged: packJudged(judged) }), f.file).objects;
}

/**
 * The report of one pass over every object, and the one judged with a worker: the first `before` files are added
 * before the workers start, then file i is judged by the worker unless `here(i)`.
 */
function judgeBothWays(files: readonly Input[], active: readonly ActiveCheck[], registry: ReadonlyMap<string, AnyCheck>, here: (i: number) => boolean, options: { readonly config?: KspectConfig; readonly before?: number } = {}): { whole: string; split: string; findings: number; said: Said } {
  const config = options.config ?? EMPTY_CONFIG;
  const common = { checks: active, settings: TEST_SETTINGS, config, inputs: ['x'], toolVersion: 't', problems: [] };
  const whole = runChecks({ ...common, inventory: buildInventory(files.flatMap((f) => f.objects), 2) });
  // Sections read every kind: the run holds every object (as a scan does).
  const run = runStreaming({ ...common, parallel: { registry: new Set(active.map((a) => a.check)) }, sections: () => ({}) });
  const said: Said = [];
  let judging: WorkerJudging | undefined;
  files.forEach((f, i) => {
    if (i === (options.before ?? 0)) judging = run.workerJudging();
    // A new array each run: what a worker said is known by the array handed over.
    run.add(judging && !here(i) ? fromWorker(f, judging, registry, said) : [...f.objects]);
  });
  const split = run.finish({ skipped: 2 });
  return { whole: JSON.stringify(whole), split: JSON.stringify(split), findings: whole.findings.length, said };
}

const records = (said: Said): number => said.reduce((n, f) => n + f.records.length, 0);

describe('judging in parse workers', () => {
  const files = inputs();
  const byId = new Map(allChecks.map((c) => [c.id, c]));

  it('gives the report of one pass: every check on, fixtures and generated files, files judged by a worker and here, some added before the workers started', () => {
    const config = { ...EMPTY_CONFIG, enable: ['*'] };
    const active = resolveChecks(allChecks, config).active;
    const { whole, split, findings, said } = judgeBothWays(files, active, byId, (i) => i % 5 === 4, { config, before: 7 });
    if (split !== whole && process.env.DUMP) { writeFileSync("/tmp/whole.json", whole); writeFileSync("/tmp/split.json", split); }
    expect(split).toBe(whole);
    expect(findings).toBeGreaterThan(1000);
    // The worker judged with the registry's object-local checks only, and recorded many of the findings.
    const judging = runStreaming({ checks: active, settings: TEST_SETTINGS, config, inputs: [], toolVersion: 't', parallel: { registry: new Set(allChecks) }, sections: () => ({}) }).workerJudging();
    expect(judging?.checks.length).toBeGreaterThan(40);
    expect(judging?.checks.every((c) => (byId.get(c.id)?.meta.reads ?? []).length === 0)).toBe(true);
    expect(said.flatMap((f) => f.unsplit)).toEqual([]);
    expect(records(said)).toBeGreaterThan(findings / 5);
  });

  it('is not asked of a run without the registry or in which no check reads every kind (the checks judge as objects come)', () => {
    const active = resolveChecks(allChecks, EMPTY_CONFIG).active;
    const common = { checks: active, settings: TEST_SETTINGS, config: EMPTY_CONFIG, inputs: [], toolVersion: 't' };
    expect(runStreaming({ ...common, sections: () => ({}) }).workerJudging()).toBeUndefined();
    const local = active.filter((a) => (a.check.meta.reads ?? []).length === 0);
    expect(runStreaming({ ...common, checks: local, parallel: { registry: new Set(allChecks) } }).workerJudging()).toBeUndefined();
    expect(runStreaming({ ...common, parallel: { registry: new Set(allChecks) }, sections: () => ({}) }).workerJudging()).toBeDefined();
  });

  const meta = (id: string, extra: object = {}) => ({ title: id, description: '', severity: 'low' as const, category: 'workload' as const, kinds: ['Pod', 'Deployment'], messages: { m: '{{name}} in {{ns}}' }, remediation: '', references: {}, recommended: true, ...extra });
  /** Fails on an object of generated-1.yaml, as it would in any thread. */
  const crashing = defineCheck({
    id: 'test-crashing',
    meta: meta('test-crashing'),
    create: (ctx) => (obj) => {
      if (obj.origin.source.uri === 'generated-1.yaml' && obj.metadata.name.endsWith('7')) throw new Error(`no ${obj.metadata.name}`);
      ctx.report({ messageId: 'm', object: obj, path: 'spec', data: { name: obj.metadata.name, ns: obj.metadata.namespace ?? '-' } });
    },
  });
  /** Says a shared not-evaluated item, and a finding whose subject is another object of the file. */
  let previous: K8sObject | undefined;
  const sharing = defineCheck({
    id: 'test-sharing',
    meta: meta('test-sharing'),
    create: (ctx) => (obj) => {
      if (obj.metadata.name.endsWith('2')) ctx.notEvaluated({ reason: 'missing-input', message: `namespace ${obj.metadata.namespace ?? ''} is not judged`, object: obj, shared: true });
      if (previous && previous.origin.source.uri === obj.origin.source.uri && obj.metadata.name.endsWith('5')) ctx.report({ messageId: 'm', object: obj, subject: previous, data: { name: obj.metadata.name, ns: previous.metadata.name } });
      previous = obj;
    },
  });
  /** Reads Services, which it does not declare, on some objects: a failure of the check in this thread. */
  const undeclared = defineCheck({
    id: 'test-undeclared',
    meta: meta('test-undeclared'),
    create: (ctx) => (obj) => {
      if (obj.metadata.name.endsWith('3')) ctx.report({ messageId: 'm', object: obj, data: { name: obj.metadata.name, ns: String(ctx.inventory.ofKind('Service').length) } });
    },
  });
  /** Says something when created (a worker cannot record that): this thread visits the worker's files with it. */
  const sayingAtCreate = defineCheck({
    id: 'test-saying-at-create',
    meta: meta('test-saying-at-create'),
    create: (ctx) => {
      ctx.notEvaluated({ reason: 'missing-input', message: 'said when created' });
      return (obj) => {
        if (obj.metadata.name.endsWith('4')) ctx.report({ messageId: 'm', object: obj, path: 'metadata', data: { name: obj.metadata.name, ns: 'here' } });
      };
    },
  });
  /** Gathers across objects and reports at the end: it waits for finish. */
  const gathering = defineCheck({
    id: 'test-gathering',
    meta: meta('test-gathering'),
    create: (ctx) => {
      const names: string[] = [];
      return {
        object: (obj) => { names.push(obj.metadata.name); },
        end: () => { ctx.report({ messageId: 'm', data: { name: names.slice(0, 3).join(','), ns: String(names.length) } }); },
      };
    },
  });
  /** Reads every kind: the run judges everything at finish, as a scan does. */
  const readsAll = defineCheck({
    id: 'test-reads-all',
    meta: meta('test-reads-all', { reads: ['*'], kinds: ['Service'] }),
    create: (ctx) => (obj) => { ctx.report({ messageId: 'm', object: obj, data: { name: obj.metadata.name, ns: String(ctx.inventory.objects.length) } }); },
  });
  const custom = [crashing, sharing, undeclared, sayingAtCreate, gathering, readsAll];
  const customIds = new Map<string, AnyCheck>(custom.map((c) => [c.id, c]));
  const active = resolveChecks(custom, EMPTY_CONFIG).active;
  const generated = files.filter((f) => f.file.startsWith('generated-'));

  it('a check that fails on an object in a worker says nothing of the objects after it in any file, as in one pass', () => {
    const { whole, split, said } = judgeBothWays(generated, active.filter((a) => a.check.id !== 'test-undeclared'), customIds, (i) => i === 3);
    if (split !== whole && process.env.DUMP) { writeFileSync("/tmp/whole.json", whole); writeFileSync("/tmp/split.json", split); }
    expect(split).toBe(whole);
    expect(whole).toContain('check test-crashing failed on');
    // The failure was recorded in the worker; the files after it were judged there too, and what it said dropped.
    expect(JSON.stringify(said[1])).toContain('"t":"x"');
    expect(said.length).toBe(3);
  });

  it('a check that reads what it did not declare in a worker is left to this thread for that file; one with an end waits for finish: the same report', () => {
    const { whole, split, said } = judgeBothWays(generated, active, customIds, (i) => i === 0, { before: 1 });
    if (split !== whole && process.env.DUMP) { writeFileSync("/tmp/whole.json", whole); writeFileSync("/tmp/split.json", split); }
    expect(split).toBe(whole);
    expect(whole).toContain('check test-undeclared failed on');
    const index = active.findIndex((a) => a.check.id === 'test-undeclared');
    const atCreate = active.findIndex((a) => a.check.id === 'test-saying-at-create');
    expect(said[0]?.unsplit).toEqual([index, atCreate].sort((a, b) => a - b));
    expect(whole).toContain('said when created');
    expect(whole).toContain('app-4 in here');
    expect(said.flatMap((f) => f.records).some((r) => r.c === index)).toBe(false);
    expect(records(said)).toBeGreaterThan(50);
    // The gathering check is not sent to the workers.
    expect(said.flatMap((f) => f.visited.map(([c]) => active[c]?.check.id))).not.toContain('test-gathering');
  });

  it('shared not-evaluated items and findings on another object (the subject) are replayed as one pass says them', () => {
    for (const before of [0, 2]) {
      previous = undefined;
      const { whole, split, said } = judgeBothWays(files, active.filter((a) => ['test-sharing', 'test-reads-all'].includes(a.check.id)), customIds, (i) => i % 3 === 0, { before });
      previous = undefined;
      if (split !== whole && process.env.DUMP) { writeFileSync("/tmp/whole.json", whole); writeFileSync("/tmp/split.json", split); }
    expect(split).toBe(whole);
      expect(whole).toContain('is not judged');
      expect(JSON.stringify(said)).toContain('"s":');
      expect(records(said)).toBeGreaterThan(20);
    }
  });
});
